"""GET forms whose canonical query string is the page's address: only the values understood, in a
fixed order, a location rounded to about 100 m. A page served from the page cache then has a few
variants, not one per visit, and a hand-edited address still gets the part that made sense."""

import re
from urllib.parse import urlencode

from django import forms
from django.http import HttpRequest, HttpResponseRedirect

NEAR_PATTERN = re.compile(r"^\s*(-?\d{1,2}(?:\.\d{1,12})?)\s*,\s*(-?\d{1,3}(?:\.\d{1,12})?)\s*$")
# Three decimals of a degree: about 110 m north-south, enough to rank places by distance and few
# enough addresses for the page cache.
NEAR_DECIMALS = 3


def near_point(text: str | None) -> tuple[float, float] | None:
    """ "37.7385,127.0337" as a point rounded to NEAR_DECIMALS; None for anything else."""
    match = NEAR_PATTERN.match(text or "")
    if not match:
        return None
    latitude, longitude = (round(float(value), NEAR_DECIMALS) for value in match.groups())
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    return latitude, longitude


class CanonicalQueryForm(forms.Form):
    """A GET form with `query_order`: the fields of its address, in the order the form sends them,
    so a submitted form is already at its canonical address. A `near` field holds a rounded point."""

    query_order: tuple[str, ...] = ()

    def clean_near(self) -> tuple[float, float] | None:
        return near_point(self.cleaned_data.get("near"))

    def valid_part(self) -> dict:
        """The fields that passed, when others did not (a hand-edited address)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if name not in self.errors}

    def canonical_query(self) -> str:
        """The address's query string for what was understood, in `query_order`."""
        data = self.valid_part()
        pairs = []
        for name in self.query_order:
            value = data.get(name)
            if name == "near" and value:
                value = f"{value[0]:.{NEAR_DECIMALS}f},{value[1]:.{NEAR_DECIMALS}f}"
            elif value is True or value is False:
                value = "1" if value else ""
            if value not in (None, ""):
                pairs.append((name, str(value)))
        return urlencode(pairs)


def canonical_redirect(request: HttpRequest, form: CanonicalQueryForm) -> HttpResponseRedirect | None:
    """To the form's canonical address when the request asked the same another way (values not
    understood, empty fields, a finer location), so the page cache keeps a few variants, not one a visit."""
    canonical = form.canonical_query()
    if request.method == "GET" and request.GET and canonical != request.META.get("QUERY_STRING", ""):
        return HttpResponseRedirect(f"{request.path}?{canonical}" if canonical else request.path)
    return None
