"""A river's page: whether its walkway is open, each entrance, and each station's level now with
its alert levels. The page is the same for everyone, so the page cache keeps it; since it prints
levels with their time, a kept page lives at most LIVE_PAGE_SECONDS, and a closure empties the
cache at once (through the places closures it makes) and reaches open pages as a site alert."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from apps.municipalities.selectors import municipality_for_request_or_404
from apps.rivers import selectors

LIVE_PAGE_SECONDS = 60


@require_safe
def river_detail(request: HttpRequest, slug: str) -> HttpResponse:
    municipality = municipality_for_request_or_404(request)
    river = selectors.city_rivers(municipality).filter(slug=slug).first()
    if river is None:
        raise Http404("no river has this slug")
    state = selectors.river_states([river])[0]
    response = render(request, "rivers/river_detail.html", {"state": state, "river": river})
    response.page_cache_seconds = LIVE_PAGE_SECONDS
    return response
