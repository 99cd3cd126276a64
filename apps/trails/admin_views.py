"""Editors' downloads for a trail: the print sheet with every marker's QR code."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from django.utils.translation import gettext as _

from apps.places.print_sheet import print_sheet_svg
from apps.places.selectors import place_permanent_url
from apps.trails.models import TrailPage
from apps.trails.selectors import trail_markers


def print_sheet(request: HttpRequest, page_id: int) -> HttpResponse:
    page = get_object_or_404(TrailPage, pk=page_id)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    trail = page.source
    labels = [
        {
            "number": marker.number,
            "name_ko": marker.name_ko,
            "name_en": marker.name_en,
            "code": marker.place.code,
            "url": place_permanent_url(marker.place),
        }
        for marker in trail_markers(trail)
        if marker.place
    ]
    title = _("QR codes of the markers of %(trail)s") % {"trail": trail.title}
    svg = print_sheet_svg(title=title, group=trail.title, labels=labels)
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    filename = f"{slugify(trail.slug) or trail.pk}-qr-codes.svg"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
