"""Reads for municipalities and departments."""

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from wagtail.models import Site

from apps.municipalities.models import Department, Dong, Municipality


def municipality_for_request(request: HttpRequest | None) -> Municipality | None:
    """The city whose Wagtail site serves this request; the default city when none matches."""
    site = Site.find_for_request(request) if request is not None else None
    municipality = Municipality.objects.filter(site=site).first() if site else None
    return municipality or Municipality.objects.filter(code=settings.DEFAULT_MUNICIPALITY).first()


def municipality_for_request_or_404(request: HttpRequest) -> Municipality:
    """The city of a public page's request; 404 on an install with no city at all."""
    municipality = municipality_for_request(request)
    if municipality is None:
        raise Http404("no municipality is set up")
    return municipality


def department_list(*, municipality: Municipality) -> QuerySet[Department]:
    return municipality.departments.filter(is_active=True).order_by("name_ko")


def dong_list(*, municipality: Municipality) -> QuerySet[Dong]:
    return municipality.dongs.order_by("name_ko")


def dong_in_text(*, municipality: Municipality, text: str) -> Dong | None:
    """The dong an address names, by its own name or one of its place names; None when it names none.

    Spaces are ignored ("호원 1동" is 호원1동) and the longest name wins, so 의정부1동 is not taken
    for a mention of a shorter name inside it.
    """
    compact = "".join(text.split())
    if not compact:
        return None
    found: list[tuple[int, Dong]] = []
    for dong in dong_list(municipality=municipality):
        names = [dong.name_ko, *filter(None, (alias.strip() for alias in dong.aliases.split("|")))]
        found += [(len(name), dong) for name in names if name in compact]
    return max(found, key=lambda hit: hit[0])[1] if found else None
