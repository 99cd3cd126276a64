"""The residents' parking pages: car parks near you with free spaces now, a page per car park (its
fees with a calculator, its hours, its typical occupancy), and a board for signs and kiosks.

Every page is the same for every visitor, so the page cache keeps it; because they print free
spaces with the time they were counted, a kept page lives at most LIVE_PAGE_SECONDS, and the
pages' script brings the numbers up to date over the socket (apps/mobility/consumers.py)."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_safe

from apps.common.query_forms import canonical_redirect
from apps.common.sections import section_page
from apps.mobility import selectors
from apps.mobility.fees import SEOUL, parking_fee
from apps.mobility.page_forms import CarParkListForm, FeeForm
from apps.municipalities.models import Municipality
from apps.municipalities.selectors import municipality_for_request_or_404

SECTION_SLUG = "mobility"  # the Wagtail section page these pages sit under
LIVE_PAGE_SECONDS = 60
REPORT_CATEGORY = "public-car-park"
BOARD_SIZE = 6


def _live_page(request: HttpRequest, template: str, context: dict, municipality: Municipality) -> HttpResponse:
    context |= {
        "municipality": municipality,
        "section": section_page(request, SECTION_SLUG),
        "live_seconds": settings.MOBILITY_LIVE_SECONDS,
        "live_texts": {
            "one": ngettext("{count} space free", "{count} spaces free", 1),
            "many": ngettext("{count} space free", "{count} spaces free", 2),
            "unknown": gettext("Free spaces unknown"),
            "at": gettext("counted at {time}"),
        },
    }
    response = render(request, template, context)
    response.page_cache_seconds = LIVE_PAGE_SECONDS
    return response


def _week_chart(typical: dict[int, dict[int, float]]) -> list[dict]:
    """Each weekday (1 = Monday) with the share of spaces taken at each hour, None when unknown."""
    return [
        {"weekday": weekday, "hours": [(hour, typical.get(weekday, {}).get(hour)) for hour in range(24)]}
        for weekday in range(1, 8)
        if weekday in typical
    ]


def _report_url(car_park) -> str:
    """The 민원 form with the car park category and this car park's name, code and position."""
    query = {
        "category": REPORT_CATEGORY,
        "address": f"{car_park.name} ({car_park.address_road or car_park.address_lot}, {car_park.place.code})",
        "latitude": f"{car_park.place.latitude:.6f}",
        "longitude": f"{car_park.place.longitude:.6f}",
    }
    return reverse("complaints:report") + "?" + urlencode(query)


def _map_points(entries: list[selectors.CarParkEntry]) -> list[dict]:
    return [
        {
            "latitude": entry.car_park.place.latitude,
            "longitude": entry.car_park.place.longitude,
            "url": reverse("mobility:car-park", args=[entry.car_park.place.code]),
            "label": entry.car_park.name,
        }
        for entry in entries
    ]


@require_safe
def car_park_list(request: HttpRequest) -> HttpResponse:
    municipality = municipality_for_request_or_404(request)
    form = CarParkListForm(request.GET or None)
    if redirect := canonical_redirect(request, form):
        return redirect
    filters = form.filters()
    entries = selectors.car_park_entries(municipality, filters)
    context = {"form": form, "filters": filters, "entries": entries, "points": _map_points(entries)}
    return _live_page(request, "mobility/car_park_list.html", context, municipality)


@require_safe
def car_park_detail(request: HttpRequest, code: str) -> HttpResponse:
    municipality = municipality_for_request_or_404(request)
    car_park = selectors.city_car_parks(municipality).filter(place__code=code).first()
    if car_park is None:
        raise Http404("no car park has this code")
    form = FeeForm(request.GET or None, initial=FeeForm.initial_values())
    if redirect := canonical_redirect(request, form):
        return redirect
    quote = None
    if stay := form.stay():
        start, end, discounts = stay
        quote = parking_fee(car_park, start, end, discounts=discounts)
    now = timezone.now()
    entry = selectors.car_park_entry(car_park, now=now)
    context = {
        "entry": entry,
        "car_park": car_park,
        "form": form,
        "quote": quote,
        "week": _week_chart(selectors.typical_occupancy(car_park)),
        "today": timezone.localtime(now, SEOUL).isoweekday(),
        "points": _map_points([entry]),
        "report_url": _report_url(car_park),
    }
    return _live_page(request, "mobility/car_park_detail.html", context, municipality)


@require_safe
def board(request: HttpRequest) -> HttpResponse:
    """Large type, no interaction: the car parks nearest a place (?near=<car park code>), or the
    city's largest, with free spaces now. The page follows the counts by itself."""
    municipality = municipality_for_request_or_404(request)
    car_parks = selectors.city_car_parks(municipality)
    here = car_parks.filter(place__code=request.GET.get("near", "")).first()
    if here is not None:
        nearby = selectors.CarParkFilters(near=(here.place.latitude, here.place.longitude))
        entries = selectors.car_park_entries(municipality, nearby)[:BOARD_SIZE]
    else:
        now = timezone.now()
        entries = [
            selectors.car_park_entry(car_park, now=now)
            for car_park in car_parks.order_by("-spaces_total", "name_ko")[:BOARD_SIZE]
        ]
    return _live_page(request, "mobility/board.html", {"entries": entries, "here": here}, municipality)
