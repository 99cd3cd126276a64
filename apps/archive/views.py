"""The archive's machine interfaces: IIIF Image API 3.0 and Presentation 3.0 under /iiif/, OAI-PMH
2.0 at /oai, and the items' own files at /files/. Open to any site (CORS `*`, as IIIF viewers
expect) and to any cache."""

import json
import logging
from urllib.parse import urlencode

from django.conf import settings
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers, set_response_etag
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from PIL import Image

from apps.archive import image_api, manifests, oai, selectors
from apps.archive.admin_views import EDIT_ITEMS
from apps.archive.models import media_type
from apps.common.file_responses import private_file_response
from apps.municipalities.selectors import municipality_for_request

logger = logging.getLogger(__name__)

# An image's pixels never change under its address (a new scan is a new ItemMedia, a new uuid), so
# made images may be kept a week; manifests and info.json follow edits within minutes.
IMAGE_MAX_AGE = 7 * 24 * 3600
DOCUMENT_MAX_AGE = 300
# A file stops being handed out when its item is withdrawn; caches may keep it this much longer.
FILE_MAX_AGE = 600
IMAGE_CONTEXT = "http://iiif.io/api/image/3/context.json"
PRESENTATION_CONTEXT = "http://iiif.io/api/presentation/3/context.json"

# One per process: it counts what the process wrote since it last measured the folder.
_tile_cache: image_api.TileCache | None = None


def _cache() -> image_api.TileCache:
    global _tile_cache
    folder = settings.ARCHIVE_IIIF_CACHE_DIR
    if _tile_cache is None or _tile_cache.folder != folder:
        _tile_cache = image_api.TileCache(folder, settings.ARCHIVE_IIIF_CACHE_MAX_MB * 1024 * 1024)
    return _tile_cache


def _open(response: HttpResponseBase) -> HttpResponseBase:
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _refused(status: int, reason: str) -> HttpResponse:
    return _open(HttpResponse(reason, status=status, content_type="text/plain; charset=utf-8"))


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _json_ld(request: HttpRequest, document: dict, context: str) -> HttpResponse:
    """JSON-LD for clients that ask for it, plain JSON (the same bytes) for the rest, with an ETag."""
    wants_json_ld = "application/ld+json" in request.headers.get("Accept", "")
    content_type = f'application/ld+json;profile="{context}"' if wants_json_ld else "application/json"
    response = HttpResponse(json.dumps(document, ensure_ascii=False), content_type=content_type)
    patch_vary_headers(response, ["Accept"])
    patch_cache_control(response, public=True, max_age=DOCUMENT_MAX_AGE)
    set_response_etag(response)
    return _open(get_conditional_response(request, etag=response["ETag"], response=response))


@require_safe
def image_base(request: HttpRequest, identifier: str) -> HttpResponse:
    """The service's own address sends a viewer on to its description (Image API 3.0, 2.2)."""
    return _open(HttpResponseRedirect(f"{request.path.rstrip('/')}/info.json", status=303))


@require_safe
def image_information(request: HttpRequest, identifier: str) -> HttpResponse:
    media = selectors.public_media(uuid_hex=identifier)
    if media is None:
        return _refused(404, "no image has this identifier")
    service_url = manifests.image_service_url(_base_url(request), media)
    return _json_ld(request, image_api.image_information(service_url, media.width, media.height), IMAGE_CONTEXT)


@require_safe
def image(
    request: HttpRequest, identifier: str, region: str, size: str, rotation: str, quality: str, image_format: str
) -> HttpResponse:
    media = selectors.public_media(uuid_hex=identifier)
    if media is None:
        return _refused(404, "no image has this identifier")
    try:
        wanted = image_api.image_request_parse(
            region=region,
            size=size,
            rotation=rotation,
            quality=quality,
            image_format=image_format,
            width=media.width,
            height=media.height,
        )
    except image_api.ImageRequestError as error:
        return _refused(400, str(error))
    key = wanted.cache_key(f"{media.uuid.hex}:{media.file.name}")
    etag = f'"{key[:40]}"'
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        return _open(not_modified)
    cache = _cache()
    data = cache.get(key)
    if data is None:
        try:
            data = image_api.image_render(media.file.path, wanted)
        except (OSError, Image.DecompressionBombError):
            logger.exception("IIIF image %s: its file cannot be read", identifier)
            return _refused(404, "the image file cannot be read")
        cache.put(key, data)
    response = HttpResponse(data, content_type=wanted.content_type)
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=IMAGE_MAX_AGE)
    return _open(response)


@require_safe
def item_file(request: HttpRequest, name: str) -> HttpResponseBase:
    """An item's image, recording, film or PDF, to anyone while the item is public and to the
    archive's editors always; 404 alike for a withdrawn item's file and for no file at all."""
    found = selectors.item_file_named(name)
    if found is None or not (found[0].is_public or request.user.has_perm(EDIT_ITEMS)):
        raise Http404
    item, file = found
    response = private_file_response(
        request,
        file,
        cache_control=f"public, max-age={FILE_MAX_AGE}" if item.is_public else "private, no-store",
        content_type=media_type(file),
    )
    return _open(response) if item.is_public else response


@require_safe
def item_manifest(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.public_item(pk=pk)
    media = selectors.item_media(item) if item else []
    if not media and not (item and (item.audio or item.video)):
        return _refused(404, "no item with images, a film or a recording has this id")
    base_url = _base_url(request)
    record = {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": f"{_oai_prefix()}{item.pk}"}
    oai_record = f"{base_url}/oai?{urlencode(record)}"
    transcript = f"{base_url}{reverse('archive:transcript', args=[item.pk])}" if item.transcript_vtt else ""
    document = manifests.item_manifest(
        item, media, base_url=base_url, oai_record_url=oai_record, transcript_url=transcript
    )
    return _json_ld(request, document, PRESENTATION_CONTEXT)


@require_safe
def collection_manifest(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.collection_with_items(pk=pk)
    if found is None:
        return _refused(404, "no collection has this id")
    collection, items = found
    return _json_ld(
        request, manifests.collection_manifest(collection, items, base_url=_base_url(request)), PRESENTATION_CONTEXT
    )


def _oai_prefix() -> str:
    return f"oai:{settings.ARCHIVE_OAI_REPOSITORY_IDENTIFIER}:archive/"


@csrf_exempt
def oai_pmh(request: HttpRequest) -> HttpResponse:
    """OAI-PMH requests come as GET or as a form POST (protocol 3.1.1); both answer alike."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    query = request.POST if request.method == "POST" else request.GET
    municipality = municipality_for_request(request)
    if municipality is None:
        return _refused(404, "no municipality is set up")
    base_url = _base_url(request)
    repository = oai.Repository(
        municipality=municipality,
        base_url=f"{base_url}/oai",
        identifier_prefix=_oai_prefix(),
        admin_email=settings.ARCHIVE_OAI_ADMIN_EMAIL,
        manifest_url=f"{base_url}/iiif/manifest/{{id}}.json",
    )
    document = oai.oai_response({name: query.getlist(name) for name in query}, repository, now=timezone.now())
    response = HttpResponse(document, content_type="text/xml; charset=utf-8")
    patch_cache_control(response, no_cache=True)
    return _open(response)
