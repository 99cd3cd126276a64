"""The permanent short URLs of places (/t/<code>) and their QR codes."""

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_safe

from apps.places import qr, scan, selectors
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
        # The proof of this scan rides in the fragment: the page it opens is the same for everyone.
        response = HttpResponseRedirect(f"{target}#{scan.FRAGMENT}={scan.scan_proof_new(place)}")
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
def scan_proof(request: HttpRequest, code: str) -> JsonResponse:
    """A fresh scan proof for a place still in use: what a phone that scanned the code offline asks
    for once it is online again (the same thing the redirect above hands over)."""
    place = _place_or_404(code)
    if place.is_retired:
        return JsonResponse({"code": "retired"}, status=410)
    response = JsonResponse({"code": place.code, "proof": scan.scan_proof_new(place)})
    patch_cache_control(response, private=True, no_store=True)
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
