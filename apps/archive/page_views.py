"""The archive's public pages under /<language>/archive/: search (words inside words, facets, a map
of items by place and a timeline by decade) and an item's page. The same for every visitor, so
the page cache keeps them; facet links work without JavaScript."""

import math

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from apps.archive import selectors
from apps.archive.licences import LICENCES
from apps.archive.models import Collection, Item
from apps.common.facets import chosen_filters, clear_filters_url, facet_list, filters_from_query, toggled
from apps.common.language import pick_language
from apps.common.sections import section_page
from apps.municipalities.selectors import municipality_for_request_or_404
from apps.places.models import Place

SECTION_SLUG = "archive"  # the Wagtail section page these pages sit under
PAGE_SIZE = 20
MAX_PAGE = 10_000
THUMBNAIL_WIDTHS = (240, 480)
IMAGE_WIDTHS = (480, 800, 1200)


class ItemSearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search the archive"), required=False, max_length=200)
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE, widget=forms.HiddenInput)


def _facet_titles() -> dict[str, str]:
    return {
        "type": _("Type"),
        "decade": _("Decade"),
        "place": _("Place"),
        "subject": _("Subject"),
        "collection": _("Collection"),
        "licence": _("Licence"),
    }


def _decade_label(decade: str) -> str:
    return _("%(decade)ss") % {"decade": decade}


def _facet_labels(facets: dict[str, list[tuple[str, int]]], filters: dict[str, list[str]]) -> dict[str, dict]:
    def asked(name: str) -> set[str]:
        return {value for value, _count in facets.get(name, [])} | set(filters.get(name, []))

    places = Place.objects.filter(code__in=asked("place"))
    collections = Collection.objects.filter(slug__in=asked("collection"))
    return {
        "type": dict(Item.Type.choices),
        "licence": {code: pick_language(licence.name_ko, licence.name_en) for code, licence in LICENCES.items()},
        "place": {place.code: place.name for place in places},
        "collection": {collection.slug: collection.title for collection in collections},
        "decade": {decade: _decade_label(decade) for decade in asked("decade") if decade.isdigit()},
    }


def _picture(media, widths: tuple[int, ...]) -> dict:
    """An image through the IIIF Image API at phone-friendly widths, never wider than the scan."""
    sizes = sorted({min(width, media.width) for width in widths})
    return {
        "src": selectors.iiif_image_url(media, sizes[0]),
        "srcset": ", ".join(f"{selectors.iiif_image_url(media, width)} {width}w" for width in sizes),
        "width": sizes[0],
        "height": round(media.height * sizes[0] / media.width),
    }


def _timeline(decades: list[tuple[str, int]], query, chosen: list[str]) -> list[dict]:
    """Each decade with items, as a bar as long as its share of the busiest decade, linking to it."""
    busiest = max((count for _decade, count in decades), default=0)
    return [
        {
            "label": _decade_label(decade),
            "count": count,
            "percent": math.ceil(100 * count / busiest),
            "selected": decade in chosen,
            "url": toggled(query, "decade", decade),
        }
        for decade, count in decades
    ]


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    municipality = municipality_for_request_or_404(request)
    form = ItemSearchForm(request.GET)
    cleaned = form.cleaned_data if form.is_valid() else {}
    q = cleaned.get("q") or ""
    filters = filters_from_query(request.GET, selectors.SEARCH_FACETS)
    page_number = cleaned.get("page") or 1
    query = selectors.ItemQuery(q=q, filters=filters, start=(page_number - 1) * PAGE_SIZE, rows=PAGE_SIZE)
    found = selectors.item_search(municipality=municipality, query=query)
    page_count = max(1, math.ceil(found.count / PAGE_SIZE))
    if page_number > page_count:  # an old link past the last page gets the last page
        page_number = page_count
        query.start = (page_number - 1) * PAGE_SIZE
        found = selectors.item_search(municipality=municipality, query=query)
    titles = _facet_titles()
    labels = _facet_labels(found.facets, filters)
    for item in found.items:
        media = item.media.all()
        item.thumbnail = _picture(media[0], THUMBNAIL_WIDTHS) if media else None
    points = selectors.map_points(selectors.item_points(municipality=municipality, query=query))
    section = section_page(request, SECTION_SLUG)
    context = {
        "form": form,
        "q": q,
        "found": found,
        "facets": facet_list(request.GET, found.facets, filters, titles, labels),
        "chosen_filters": chosen_filters(request.GET, filters, titles, labels),
        "clear_url": clear_filters_url(reverse("archive:search"), q),
        "timeline": _timeline(found.facets.get("decade", []), request.GET, filters.get("decade", [])),
        "points": points,
        "municipality": municipality,
        "section_url": section.get_url(request) if section else "",
        "page_number": page_number,
        "page_count": page_count,
        "previous_page": page_number - 1 if page_number > 1 else None,
        "next_page": page_number + 1 if page_number < page_count else None,
    }
    return render(request, "archive/search.html", context, status=400 if form.errors else 200)


@require_safe
def item(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = municipality_for_request_or_404(request)
    found = selectors.public_item_page(municipality=municipality, pk=pk)
    if found is None:
        raise Http404
    media = list(found.media.all())
    section = section_page(request, SECTION_SLUG)
    subjects = pick_language(found.subjects_ko, found.subjects_en)
    record = [
        (_("Type"), found.get_item_type_display()),
        (_("Creator"), pick_language(found.creator_ko, found.creator_en)),
        (_("Date"), found.date_display),
        (_("Source"), pick_language(found.source_ko, found.source_en)),
        (_("Rights holder"), pick_language(found.rights_holder_ko, found.rights_holder_en)),
        (_("Identifier"), found.identifier),
    ]
    context = {
        "item": found,
        "record": [(label, value) for label, value in record if value],
        "description": pick_language(found.description_ko, found.description_en),
        "images": [
            {"number": number, "label": pick_language(image.label_ko, image.label_en), **_picture(image, IMAGE_WIDTHS)}
            for number, image in enumerate(media, start=1)
        ],
        "licence": found.licence_info,
        "licence_name": pick_language(found.licence_info.name_ko, found.licence_info.name_en),
        "subjects": [subject.strip() for subject in subjects.split(",") if subject.strip()],
        "collections": list(found.collections.all()),
        "manifest_url": reverse("archive-iiif-manifest", args=[found.pk])
        if media or found.audio or found.video
        else "",
        "info_url": reverse("archive-iiif-image-info", args=[media[0].uuid.hex]) if media else "",
        "municipality": municipality,
        "section_url": section.get_url(request) if section else "",
    }
    return render(request, "archive/item.html", context)


# Mirador's language by the portal's: it labels the item in it (the manifest has Korean and English
# labels) and speaks it where it has a translation (Japanese, Chinese), English otherwise.
# Mirador names its Korean "kr" (its own code, not ISO 639), its Chinese by region.
VIEWER_LANGUAGES = {"ko": "kr", "ja": "ja", "zh-hans": "zh-CN"}


@require_safe
def viewer(request: HttpRequest, pk: int) -> HttpResponse:
    """The item in Mirador: pages side by side, deep zoom (pinch on a phone), its record beside. The
    first image is shown until the visitor starts the viewer. Mirador writes its styles at run time:
    this path has its own policy (CONTENT_SECURITY_POLICY_BY_PATH)."""
    municipality = municipality_for_request_or_404(request)
    found = selectors.public_item_page(municipality=municipality, pk=pk)
    if found is None or not found.media.all():
        raise Http404
    section = section_page(request, SECTION_SLUG)
    first = found.media.all()[0]
    context = {
        "item": found,
        # Shown at once; Mirador (2.3 MB of script, seconds of a phone's time) loads when asked for.
        "preview": {"label": pick_language(first.label_ko, first.label_en), **_picture(first, IMAGE_WIDTHS)},
        "manifest_url": request.build_absolute_uri(reverse("archive-iiif-manifest", args=[found.pk])),
        "viewer_language": VIEWER_LANGUAGES.get(request.LANGUAGE_CODE, "en"),
        "municipality": municipality,
        "section_url": section.get_url(request) if section else "",
    }
    return render(request, "archive/viewer.html", context)


@require_safe
def transcript(request: HttpRequest, pk: int) -> HttpResponse:
    """An item's timed transcript as a WebVTT file: the captions of its <audio> and of its manifest."""
    found = selectors.public_item(pk=pk)
    if found is None or not found.transcript_vtt:
        raise Http404
    response = HttpResponse(found.transcript_vtt, content_type="text/vtt; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"  # IIIF viewers on other sites load it
    return response
