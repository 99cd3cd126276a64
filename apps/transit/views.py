from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from apps.municipalities.selectors import municipality_for_request
from apps.transit.api import STOP_ID
from apps.transit.arrivals import stop_board
from apps.transit.models import Stop

# The page may be kept a minute: its arrivals are refreshed from the board address below.
PAGE_SECONDS = 60


def _city_stop(request: HttpRequest, stop_id: str) -> Stop:
    municipality = municipality_for_request(request)
    stop = (
        Stop.objects.select_related("place", "feed").filter(feed__municipality=municipality, stop_id=stop_id).first()
        if municipality is not None and STOP_ID.match(stop_id)
        else None
    )
    if stop is None:
        raise Http404
    return stop


def _render_board(request: HttpRequest, stop: Stop, template: str, seconds: int) -> HttpResponse:
    now = timezone.now()
    context = {"board": stop_board(stop, now=now), "stop": stop, "now": now}
    response = render(request, template, context)
    response.page_cache_seconds = seconds
    return response


def stop_detail(request: HttpRequest, stop_id: str) -> HttpResponse:
    return _render_board(request, _city_stop(request, stop_id), "transit/stop_detail.html", PAGE_SECONDS)


def stop_board_fragment(request: HttpRequest, stop_id: str) -> HttpResponse:
    """The stop page's arrivals alone, for static/js/stop-board.js: kept as long as arrivals are."""
    stop = _city_stop(request, stop_id)
    return _render_board(request, stop, "transit/_board.html", settings.TRANSIT_ARRIVALS_CACHE_SECONDS)
