"""IIIF Presentation 3.0 documents built with iiif-prezi3's models (pydantic checks every field as
it is set): a manifest per item with images, one canvas per image or page, and a collection per
archive collection. Labels are language maps in Korean and English; `rights` is the licence's URI
and `requiredStatement` the attribution that every viewer shows."""

from django.utils import translation
from iiif_prezi3 import (
    Annotation,
    AnnotationBody,
    AnnotationPage,
    Canvas,
    KeyValueString,
    LinkedResource,
    Manifest,
    ManifestRef,
    NavPlace,
    ServiceV3,
)
from iiif_prezi3 import Collection as IIIFCollection

from apps.archive import image_api
from apps.archive.models import Collection, Item, ItemMedia, media_type

PRESENTATION_CONTEXT = "http://iiif.io/api/presentation/3/context.json"
NAVPLACE_CONTEXT = "http://iiif.io/api/extension/navplace/context.json"
THUMBNAIL_SIZE = 300
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"

ILLUSTRATION_NOTE = {
    "ko": ["데모용으로 그린 삽화입니다. 실제 옛 사진이나 자료가 아닙니다."],
    "en": ["An illustration drawn for the demo, not a historical photograph or record."],
}


def in_both_languages(text) -> tuple[str, str]:
    """A translatable label in Korean and in English, whatever the reader's language."""
    with translation.override("ko"):
        korean = str(text)
    with translation.override("en"):
        return korean, str(text)


def _as_dict(model) -> dict:
    return model.model_dump(exclude_none=True, by_alias=True, mode="json")


def _map(korean: str, english: str) -> dict[str, list[str]]:
    """A IIIF language map: Korean, and English when there is some (else none, not a copy)."""
    return {"ko": [korean], **({"en": [english]} if english else {})}


def _entry(label_ko: str, label_en: str, value_ko: str, value_en: str = "") -> KeyValueString:
    return KeyValueString(label=_map(label_ko, label_en), value=_map(value_ko, value_en or ""))


def _metadata(item: Item) -> list[KeyValueString]:
    licence = item.licence_info
    entries = [
        _entry("유형", "Type", *in_both_languages(Item.Type(item.item_type).label)),
        _entry("식별자", "Identifier", item.identifier),
    ]
    if item.creator_ko:
        entries.append(_entry("만든이", "Creator", item.creator_ko, item.creator_en))
    if item.date_text:
        entries.append(_entry("날짜", "Date", item.date_text))
    if item.subjects_ko:
        entries.append(_entry("주제", "Subject", item.subjects_ko, item.subjects_en))
    if item.place_id:
        entries.append(_entry("장소", "Place", item.place.name_ko, item.place.name_en))
    if item.source_ko:
        entries.append(_entry("출처", "Source", item.source_ko, item.source_en))
    entries.append(_entry("이용조건", "Licence", licence.name_ko, licence.name_en))
    if item.is_illustration:
        entries.append(KeyValueString(label=_map("알림", "Note"), value=ILLUSTRATION_NOTE))
    return entries


def image_service_url(base_url: str, media: ItemMedia) -> str:
    return f"{base_url}/iiif/image/{media.uuid.hex}"


def manifest_url(base_url: str, item: Item) -> str:
    return f"{base_url}/iiif/manifest/{item.pk}.json"


def collection_url(base_url: str, collection: Collection) -> str:
    return f"{base_url}/iiif/collection/{collection.pk}.json"


def _canvas(base_url: str, item_url: str, media: ItemMedia) -> Canvas:
    canvas_id = f"{item_url}/canvas/{media.position}"
    service = image_service_url(base_url, media)
    label_ko = media.label_ko or f"{media.position}"
    canvas = Canvas(id=canvas_id, label=_map(label_ko, media.label_en), width=media.width, height=media.height)
    # The painted image is the largest this service makes, with its own size (viewers zoom through the service).
    width, height = image_api.max_size(media.width, media.height)
    body = AnnotationBody(
        id=f"{service}/full/max/0/default.jpg",
        type="Image",
        format=image_api.FORMATS["jpg"][1],
        width=width,
        height=height,
        service=[ServiceV3(id=service, type="ImageService3", profile="level1")],
    )
    annotation = Annotation(id=f"{canvas_id}/painting", motivation="painting", body=body, target=canvas_id)
    canvas.items = [AnnotationPage(id=f"{canvas_id}/page", items=[annotation])]
    return canvas


# Where a timed item's file is, what a canvas of it is called and what it shows (Presentation 3.0:
# a canvas with a duration, painted by a Sound or a Video).
TIMED = {
    "Sound": {"suffix": "recording", "label": ("녹음", "Recording"), "file": "audio", "seconds": "audio_seconds"},
    "Video": {"suffix": "film", "label": ("영상", "Film"), "file": "video", "seconds": "video_seconds"},
}


def _timed_canvas(base_url: str, item_url: str, item: Item, transcript_url: str, kind: str) -> Canvas:
    """The recording or the film as a canvas with a duration, painted by its file, and the timed
    transcript as a supplementing WebVTT annotation (the IIIF cookbook's captions)."""
    timed = TIMED[kind]
    file = getattr(item, timed["file"])
    seconds = getattr(item, timed["seconds"]) or 0.0
    canvas_id = f"{item_url}/canvas/{timed['suffix']}"
    size = {"width": item.video_width, "height": item.video_height} if kind == "Video" else {}
    canvas = Canvas(id=canvas_id, label=_map(*timed["label"]), duration=seconds, **size)
    body = AnnotationBody(
        id=f"{base_url}{file.url}",
        type=kind,
        format=media_type(file),
        duration=seconds,
        **size,
    )
    canvas.items = [
        AnnotationPage(
            id=f"{canvas_id}/page",
            items=[Annotation(id=f"{canvas_id}/painting", motivation="painting", body=body, target=canvas_id)],
        )
    ]
    if item.transcript_vtt:
        captions = AnnotationBody(id=transcript_url, type="Text", format="text/vtt", language="ko")
        canvas.annotations = [
            AnnotationPage(
                id=f"{canvas_id}/captions",
                items=[
                    Annotation(
                        id=f"{canvas_id}/captions/1", motivation="supplementing", body=captions, target=canvas_id
                    )
                ],
            )
        ]
    return canvas


def thumbnail_url(base_url: str, media: ItemMedia) -> str:
    return f"{image_service_url(base_url, media)}/full/!{THUMBNAIL_SIZE},{THUMBNAIL_SIZE}/0/default.jpg"


def _thumbnail(base_url: str, media: ItemMedia) -> AnnotationBody:
    service = image_service_url(base_url, media)
    return AnnotationBody(
        id=thumbnail_url(base_url, media),
        type="Image",
        format=image_api.FORMATS["jpg"][1],
        service=[ServiceV3(id=service, type="ImageService3", profile="level1")],
    )


def item_manifest(
    item: Item, media: list[ItemMedia], *, base_url: str, oai_record_url: str, transcript_url: str = ""
) -> dict:
    """The item's manifest as JSON-LD (a dict): its images in order, then its film and its recording
    if it has them, and its PDF as a rendering."""
    item_url = manifest_url(base_url, item).removesuffix(".json")
    licence = item.licence_info
    description_ko = item.description_ko
    manifest = Manifest(
        id=manifest_url(base_url, item),
        label=_map(item.title_ko, item.title_en),
        metadata=_metadata(item),
        rights=licence.uri,
        requiredStatement=KeyValueString(
            label=_map("출처 표시", "Attribution"),
            value=_map(
                f"{item.rights_holder_ko} · {licence.name_ko}",
                f"{item.rights_holder_en or item.rights_holder_ko} · {licence.name_en}",
            ),
        ),
        seeAlso=[
            LinkedResource(
                id=oai_record_url, type="Dataset", format="text/xml", profile=OAI_DC, label=_map("Dublin Core", "")
            )
        ],
        items=[_canvas(base_url, item_url, one) for one in media],
    )
    if item.video:
        manifest.items.append(_timed_canvas(base_url, item_url, item, transcript_url, "Video"))
    if item.audio:
        manifest.items.append(_timed_canvas(base_url, item_url, item, transcript_url, "Sound"))
    if item.pdf:
        # The document itself, for those who would rather read or print it than page through images.
        manifest.rendering = [
            LinkedResource(
                id=f"{base_url}{item.pdf.url}", type="Text", format="application/pdf", label=_map("PDF 파일", "PDF")
            )
        ]
    if description_ko:
        manifest.summary = _map(description_ko, item.description_en)
    if media:
        manifest.thumbnail = [_thumbnail(base_url, media[0])]
    if item.item_type == Item.Type.DOCUMENT:
        manifest.behavior = ["paged"]
    if item.date_earliest is not None and item.date_earliest > 0:
        manifest.navDate = f"{item.date_earliest:04d}-01-01T00:00:00Z"
    context: str | list[str] = PRESENTATION_CONTEXT
    if item.place_id:
        # navPlace: the IIIF extension that puts a manifest on a map ("이곳의 옛 모습").
        manifest.navPlace = NavPlace(
            id=f"{item_url}/place",
            type="FeatureCollection",
            features=[
                {
                    "id": f"{item_url}/place/1",
                    "type": "Feature",
                    "properties": {"label": _map(item.place.name_ko, item.place.name_en)},
                    "geometry": {"type": "Point", "coordinates": [item.place.longitude, item.place.latitude]},
                }
            ],
        )
        context = [NAVPLACE_CONTEXT, PRESENTATION_CONTEXT]
    return {"@context": context, **_as_dict(manifest)}


def collection_manifest(collection: Collection, items: list[Item], *, base_url: str) -> dict:
    """The collection as a IIIF Collection listing the manifests of its items that have images."""
    iiif_collection = IIIFCollection(
        id=collection_url(base_url, collection),
        label=_map(collection.title_ko, collection.title_en),
        items=[
            ManifestRef(id=manifest_url(base_url, item), type="Manifest", label=_map(item.title_ko, item.title_en))
            for item in items
        ],
    )
    if collection.description_ko:
        iiif_collection.summary = _map(collection.description_ko, collection.description_en)
    return {"@context": PRESENTATION_CONTEXT, **_as_dict(iiif_collection)}
