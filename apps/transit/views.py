from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from apps.municipalities.selectors import municipality_for_request
from apps.transit.api import STOP_ID
from apps.transit.arrivals import stop_board
from apps.transit.models import Stop

# Arrivals are cached per stop this long anyway: the page may be kept as long.
PAGE_SECONDS = 30


def stop_detail(request: HttpRequest, stop_id: str) -> HttpResponse:
    municipality = municipality_for_request(request)
    stop = (
        Stop.objects.select_related("place", "feed").filter(feed__municipality=municipality, stop_id=stop_id).first()
        if municipality is not None and STOP_ID.match(stop_id)
        else None
    )
    if stop is None:
        raise Http404
    now = timezone.now()
    board = stop_board(stop, now=now)
    response = render(request, "transit/stop_detail.html", {"board": board, "stop": stop, "now": now})
    response.page_cache_seconds = PAGE_SECONDS
    return response
