"""The resident pages' GET forms: the car park finder (filters, where you are) and the fee
calculator. Both work without JavaScript and have canonical addresses (apps/common/query_forms.py),
so the page cache keeps a few variants of each page."""

from datetime import date, datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.common.query_forms import CanonicalQueryForm
from apps.mobility.fees import SEOUL, Discount
from apps.mobility.selectors import CarParkFilters

# How far from where you are a car park is still worth listing, when you say where you are.
NEAR_RADIUS_M = 3000
# A stay longer than this is a monthly pass's business, not the calculator's.
MAX_STAY_HOURS = 72


class CarParkListForm(CanonicalQueryForm):
    query_order = ("near", "open", "space", "ev", "accessible", "free")

    near = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)
    open = forms.BooleanField(label=_("Open now"), required=False, widget=forms.CheckboxInput(attrs={"value": "1"}))
    space = forms.BooleanField(
        label=_("Has free spaces now"), required=False, widget=forms.CheckboxInput(attrs={"value": "1"})
    )
    ev = forms.BooleanField(label=_("EV charging"), required=False, widget=forms.CheckboxInput(attrs={"value": "1"}))
    accessible = forms.BooleanField(
        label=_("Accessible bays"), required=False, widget=forms.CheckboxInput(attrs={"value": "1"})
    )
    free = forms.BooleanField(
        label=_("Free of charge"), required=False, widget=forms.CheckboxInput(attrs={"value": "1"})
    )

    def filters(self) -> CarParkFilters:
        data = self.valid_part()
        return CarParkFilters(
            near=data.get("near"),
            radius_m=NEAR_RADIUS_M,
            open_now=bool(data.get("open")),
            has_space=bool(data.get("space")),
            ev=bool(data.get("ev")),
            accessible=bool(data.get("accessible")),
            free=bool(data.get("free")),
        )

    @property
    def chosen(self) -> bool:
        return bool(self.canonical_query())


class FeeForm(CanonicalQueryForm):
    """ "3 h 20 min from 10:00 on Saturday, with a disabled driver's discount": what it costs."""

    query_order = ("day", "start", "hours", "minutes", "discount")

    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("Arriving at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    hours = forms.TypedChoiceField(
        label=_("Hours"), coerce=int, choices=[(hours, hours) for hours in range(MAX_STAY_HOURS + 1)]
    )
    minutes = forms.TypedChoiceField(
        label=_("Minutes"), coerce=int, choices=[(minutes, minutes) for minutes in range(0, 60, 5)]
    )
    discount = forms.ChoiceField(
        label=_("Discount"),
        required=False,
        choices=[
            ("", _("None")),
            (Discount.DISABLED, _("Disabled driver")),
            (Discount.MERIT, _("National merit")),
            (Discount.MULTICHILD, _("Multi-child family")),
            (Discount.EV, _("Electric car")),
            (Discount.COMPACT, _("Compact car")),
        ],
    )

    @classmethod
    def initial_values(cls, now: datetime | None = None) -> dict:
        """Today, from the next quarter hour, for two hours."""
        local = timezone.localtime(now or timezone.now(), SEOUL)
        quarter = (local + timedelta(minutes=15 - local.minute % 15)).replace(second=0, microsecond=0)
        return {"day": quarter.date(), "start": quarter.time(), "hours": 2, "minutes": 0}

    def clean_day(self) -> date:
        day = self.cleaned_data["day"]
        today = timezone.localdate(timezone=SEOUL)
        if not today - timedelta(days=7) <= day <= today + timedelta(days=366):
            raise forms.ValidationError(_("Choose a day within the next year."))
        return day

    def stay(self) -> tuple[datetime, datetime, list[str]] | None:
        """Arrival, departure and discounts, when the form is complete and valid."""
        if not self.is_bound or not self.is_valid():
            return None
        data = self.cleaned_data
        start = datetime.combine(data["day"], data["start"] or time(0), tzinfo=SEOUL)
        end = start + timedelta(hours=data["hours"], minutes=data["minutes"])
        return start, end, [data["discount"]] if data["discount"] else []
