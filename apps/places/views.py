"""The permanent short URLs of places (/t/<code>) and their QR codes."""

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_safe

from apps.places import qr, selectors
from apps.places.models import Place

# A code and its place never change, so their QR images may be kept for a day by anyone.
QR_MAX_AGE = 24 * 3600


def _place_or_404(code: str) -> Place:
    place = selectors.place_by_code(code)
    if place is None:
        raise Http404("no place has this code")
    return place


@require_safe
def short_url(request: HttpRequest, code: str) -> HttpResponse:
    """What a QR code opens: the place's page in the visitor's language (cookie, then the phone's
    Accept-Language), or, for a retired place, a note that links to the page it belonged to."""
    place = _place_or_404(code)
    language = translation.get_language()
    owner = place.owner if place.owner_type_id else None
    target = owner.place_url(place, language) if owner is not None and not place.is_retired else None
    if target:
        response = HttpResponseRedirect(target)
    else:
        parent = owner.place_parent(language) if owner is not None else None
        response = render(
            request,
            "places/retired.html",
            {"place": place, "parent_title": parent[0] if parent else "", "parent_url": parent[1] if parent else ""},
            status=410,
        )
    # Which page the code opens depends on the reader's language: no shared cache may keep one answer.
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    patch_cache_control(response, private=True, max_age=0)
    return response


@require_safe
def qr_code(request: HttpRequest, code: str, image_format: str) -> HttpResponse:
    place = _place_or_404(code)
    url = selectors.place_permanent_url(place)
    if image_format == "svg":
        response = HttpResponse(qr.qr_svg(url, title=url), content_type="image/svg+xml")
    else:
        response = HttpResponse(qr.qr_png(url), content_type="image/png")
    patch_cache_control(response, public=True, max_age=QR_MAX_AGE)
    return response
