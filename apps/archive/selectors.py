"""Reads of the archive: what the public, viewers and harvesters may see."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import CharField, Count, F, Func, Prefetch, Q, QuerySet, Value
from django.db.models.fields.files import FieldFile
from django.db.models.functions import Cast, Coalesce, Concat, Replace
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.archive.models import Collection, Item, ItemMedia
from apps.archive.pages import ArchiveStoryPage
from apps.common.language import pick_language
from apps.common.text import search_terms
from apps.municipalities.models import Municipality
from apps.places.history import PastRecord
from apps.places.models import Place
from apps.places.spatial import within


def harvestable_items(*, municipality: Municipality) -> QuerySet[Item]:
    """The city's public items (OAI-PMH, the item API)."""
    return Item.objects.filter(municipality=municipality, is_public=True)


def public_item(*, pk: int) -> Item | None:
    """A public item with its place, for its manifest (any city's: the id is global)."""
    return Item.objects.filter(pk=pk, is_public=True).select_related("place", "municipality").first()


def item_media(item: Item) -> list[ItemMedia]:
    return list(item.media.order_by("position"))


def item_has_manifest(item: Item) -> bool:
    """Whether viewers can show or play it, so it has a manifest (uses prefetched media when there)."""
    if item.audio or item.video:
        return True
    return bool(item.media.all()) if _prefetched(item, "media") else item.media.exists()


def _prefetched(item: Item, name: str) -> bool:
    return name in getattr(item, "_prefetched_objects_cache", {})


def public_media(*, uuid_hex: str) -> ItemMedia | None:
    """An image of a public item, by its IIIF identifier (32 hex digits)."""
    if len(uuid_hex) != 32 or not all(character in "0123456789abcdef" for character in uuid_hex):
        return None
    return ItemMedia.objects.filter(uuid=uuid_hex, item__is_public=True).first()


def item_file_named(name: str) -> tuple[Item, FieldFile] | None:
    """A stored archive file by its name, with the item it belongs to: one of the item's images,
    its recording, film or PDF."""
    if not name.startswith("archive/") or len(name) > 100:
        return None
    media = ItemMedia.objects.filter(file=name).select_related("item").first()
    if media is not None:
        return media.item, media.file
    item = Item.objects.filter(Q(audio=name) | Q(pdf=name) | Q(video=name)).first()
    if item is None:
        return None
    return item, next(file for file in (item.audio, item.pdf, item.video) if file.name == name)


def collection_with_items(*, pk: int) -> tuple[Collection, list[Item]] | None:
    """A collection and its public items that have images, in identifier order."""
    collection = Collection.objects.filter(pk=pk).first()
    if collection is None:
        return None
    items = collection.items.filter(is_public=True, media__isnull=False).distinct().order_by("identifier")
    return collection, list(items)


def api_items(*, municipality: Municipality) -> QuerySet[Item]:
    """The item API's list: public items with what each entry shows, in identifier order."""
    return (
        harvestable_items(municipality=municipality)
        .select_related("place")
        .prefetch_related(Prefetch("media", queryset=ItemMedia.objects.order_by("position")), "collections")
        .order_by("identifier", "pk")
    )


# --- Public search ----------------------------------------------------------------------------

THUMBNAIL_WIDTH = 240
MAP_POINTS = 500  # the map shows at most this many items; the list pages through all
SEARCH_FACETS = ("type", "decade", "place", "subject", "collection", "licence")
SEARCH_FIELDS = (
    "title_ko",
    "title_en",
    "creator_ko",
    "creator_en",
    "subjects_ko",
    "subjects_en",
    "description_ko",
    "description_en",
    "date_text",
    "identifier",
    "place__name_ko",
    "place__name_en",
)


@dataclass
class ItemQuery:
    q: str = ""
    # Facet name (SEARCH_FACETS) -> accepted values; an item must match one value of every facet given.
    filters: dict[str, list[str]] = field(default_factory=dict)
    start: int = 0
    rows: int = 20


@dataclass
class ItemPage:
    count: int
    items: list[Item]
    # Facet name -> [(value, item count)], largest first; "decade" in time order, for the timeline.
    facets: dict[str, list[tuple[str, int]]]


def _decade() -> Func:
    """The decade an item is placed in: that of the middle of its date range ("1960년경",
    1958-1962, is the 1960s; "1950년대" is the 1950s), as "1950"; undated items have none."""
    middle = (F("date_earliest") + Coalesce("date_latest", "date_earliest")) / 2
    return Cast(middle / 10 * 10, CharField())


def _subject_list(column: str) -> Func:
    """A comma-separated subject column as ",a,b,": a subject matches whole, never inside another."""
    return Concat(Value(","), Replace(F(column), Value(", "), Value(",")), Value(","), output_field=CharField())


def _item_filtered(queryset: QuerySet[Item], filters: dict[str, list[str]]) -> QuerySet[Item]:
    for name, values in filters.items():
        if name == "type":
            queryset = queryset.filter(item_type__in=values)
        elif name == "licence":
            queryset = queryset.filter(licence__in=values)
        elif name == "place":
            queryset = queryset.filter(place__code__in=values)
        elif name == "collection":
            queryset = queryset.filter(collections__slug__in=values)
        elif name == "decade":
            queryset = queryset.annotate(decade=_decade()).filter(decade__in=values)
        elif name == "subject":
            matches = Q()
            for value in values:
                matches |= Q(subject_list_ko__contains=f",{value},") | Q(subject_list_en__contains=f",{value},")
            queryset = queryset.annotate(
                subject_list_ko=_subject_list("subjects_ko"), subject_list_en=_subject_list("subjects_en")
            ).filter(matches)
    return queryset


def _item_matching(queryset: QuerySet[Item], query: ItemQuery) -> QuerySet[Item]:
    for term in search_terms(query.q):
        anywhere = Q()
        for column in SEARCH_FIELDS:
            anywhere |= Q(**{f"{column}__icontains": term})
        queryset = queryset.filter(anywhere)
    return _item_filtered(queryset, query.filters).distinct()


def _item_facets(queryset: QuerySet[Item]) -> dict[str, list[tuple[str, int]]]:
    ids = queryset.values("pk")
    items = Item.objects.filter(pk__in=ids)

    def counted(rows, column: str) -> list[tuple[str, int]]:
        return sorted(((row[column], row["n"]) for row in rows if row[column]), key=lambda item: (-item[1], item[0]))

    facets = {
        "type": counted(items.values("item_type").annotate(n=Count("pk")), "item_type"),
        "licence": counted(items.values("licence").annotate(n=Count("pk")), "licence"),
        "place": counted(items.values("place__code").annotate(n=Count("pk")), "place__code"),
        "collection": counted(
            Collection.objects.filter(items__in=ids).values("slug").annotate(n=Count("items", distinct=True)), "slug"
        ),
    }
    decades = items.exclude(date_earliest=None).annotate(decade=_decade()).values("decade").annotate(n=Count("pk"))
    facets["decade"] = sorted(((row["decade"], row["n"]) for row in decades), key=lambda item: int(item[0]))
    # Subjects are comma-separated text: counted here, over the matching items' subjects in the
    # reader's language (Korean where an item has no English ones).
    subjects: dict[str, int] = {}
    for korean, english in items.values_list("subjects_ko", "subjects_en"):
        for subject in {part.strip() for part in pick_language(korean, english).split(",") if part.strip()}:
            subjects[subject] = subjects.get(subject, 0) + 1
    facets["subject"] = sorted(subjects.items(), key=lambda item: (-item[1], item[0]))
    return facets


def item_search(*, municipality: Municipality, query: ItemQuery) -> ItemPage:
    """Public items matching every word of q anywhere inside their text (부대 finds 부대찌개: Korean
    joins particles to nouns, so words are matched inside words), filtered by facets, oldest first."""
    queryset = _item_matching(harvestable_items(municipality=municipality), query)
    facets = _item_facets(queryset)
    count = queryset.count()
    page = (
        queryset.select_related("place")
        .prefetch_related(Prefetch("media", queryset=ItemMedia.objects.order_by("position")))
        .order_by(F("date_earliest").asc(nulls_last=True), "identifier")[query.start : query.start + query.rows]
    )
    return ItemPage(count=count, items=list(page) if query.start < count else [], facets=facets)


def item_points(*, municipality: Municipality, query: ItemQuery) -> list[Item]:
    """Every matching public item that has a place, for the map (at most MAP_POINTS)."""
    queryset = _item_matching(harvestable_items(municipality=municipality).exclude(place=None), query)
    return list(queryset.select_related("place").order_by("pk")[:MAP_POINTS])


def map_points(items: Iterable[Item]) -> list[dict]:
    """Items with a place as the points of a map (templates/includes/points_map.html)."""
    return [
        {
            "latitude": item.place.latitude,
            "longitude": item.place.longitude,
            "url": reverse("archive:item", args=[item.pk]),
            "label": item.title,
        }
        for item in items
    ]


def items_on_map(item_ids: Iterable[int]) -> list[dict]:
    """The public ones among these items that have a place, as map points (at most MAP_POINTS)."""
    items = Item.objects.filter(pk__in=list(item_ids), is_public=True).exclude(place=None)
    return map_points(items.select_related("place").order_by("pk")[:MAP_POINTS])


def item_portrait(item: Item) -> dict | None:
    """A public item's first image at portrait sizes, with its title for the text alternative."""
    media = item.media.order_by("position").first() if item.is_public else None
    if media is None:
        return None
    return {"src": iiif_image_url(media, 240), "srcset": f"{iiif_image_url(media, 480)} 2x", "alt": item.title}


def public_item_page(*, municipality: Municipality, pk: int) -> Item | None:
    """A public item of this city with what its page shows."""
    return (
        harvestable_items(municipality=municipality)
        .filter(pk=pk)
        .select_related("place")
        .prefetch_related(Prefetch("media", queryset=ItemMedia.objects.order_by("position")), "collections")
        .first()
    )


def history_for_places(latitude: float, longitude: float, within_m: float) -> list[PastRecord]:
    """Public items at places within `within_m` of a point (apps/places/history.py), for the
    "이곳의 옛 모습" panel of trail markers: any city's, since the point is where the walker is."""
    places = Place.objects.filter(archive_items__is_public=True).distinct()
    distances = {place.pk: metres for place, metres in within(places, latitude, longitude, within_m)}
    items = (
        Item.objects.filter(is_public=True, place_id__in=distances)
        .prefetch_related(Prefetch("media", queryset=ItemMedia.objects.order_by("position")))
        .order_by("identifier")
    )
    records = []
    for item in items:
        media = item.media.all()
        records.append(
            PastRecord(
                title=item.title,
                date_text=item.date_display,
                distance_m=distances[item.place_id],
                url=reverse("archive:item", args=[item.pk]),
                thumbnail_url=iiif_image_url(media[0], THUMBNAIL_WIDTH) if media else "",
                illustrative=item.is_illustration,
            )
        )
    return records


def iiif_image_url(media: ItemMedia, width: int) -> str:
    """An image of the item `width` pixels wide (never wider than the scan), through the IIIF Image API."""
    return reverse(
        "archive-iiif-image",
        kwargs={
            "identifier": media.uuid.hex,
            "region": "full",
            "size": f"{min(width, media.width)},",
            "rotation": "0",
            "quality": "default",
            "image_format": "jpg",
        },
    )


def item_decade(item: Item) -> int | None:
    """The decade the search's timeline puts the item in (see _decade), e.g. 1960; None if undated."""
    if item.date_earliest is None:
        return None
    latest = item.date_latest if item.date_latest is not None else item.date_earliest
    return (item.date_earliest + latest) // 2 // 10 * 10


def collection_public_items(collection: Collection) -> list[dict]:
    """A collection's public items for a story page, as a timeline: by decade (undated last), each
    with its title, date, page and a small image."""
    items = collection.items.filter(is_public=True).prefetch_related(
        Prefetch("media", queryset=ItemMedia.objects.order_by("position"))
    )
    shown = []
    for item in items:
        media = item.media.all()
        shown.append(
            {
                "title": item.title,
                "date_text": item.date_display,
                "decade": (decade := item_decade(item)),
                "decade_label": _("%(decade)ss") % {"decade": decade} if decade is not None else _("Date unknown"),
                "identifier": item.identifier,
                "url": reverse("archive:item", args=[item.pk]),
                "thumbnail_url": iiif_image_url(media[0], THUMBNAIL_WIDTH) if media else "",
                "illustrative": item.is_illustration,
            }
        )
    return sorted(shown, key=lambda row: (row["decade"] is None, row["decade"] or 0, row["identifier"]))


@dataclass
class StoryGroups:
    """The stories under the archive's landing page, grouped as the archive plan groups them."""

    exhibitions: list = field(default_factory=list)
    people: list = field(default_factory=list)
    # (topic label, stories) in the plan's order of the everyday-culture topics; topics with none left out.
    culture: list[tuple[str, list]] = field(default_factory=list)
    # Pages under the archive that are not stories (an editor's plain section page).
    others: list = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.exhibitions or self.people or self.culture)


def story_groups(children) -> StoryGroups:
    """The archive landing page's live children (specific pages), grouped for its lists."""
    groups = StoryGroups()
    by_topic: dict[str, list] = {}
    for page in children:
        if not isinstance(page, ArchiveStoryPage):
            groups.others.append(page)
        elif page.kind == ArchiveStoryPage.Kind.EXHIBITION:
            groups.exhibitions.append(page)
        elif page.kind == ArchiveStoryPage.Kind.PERSON:
            groups.people.append(page)
        else:
            by_topic.setdefault(page.topic, []).append(page)
    topics = [*ArchiveStoryPage.Topic.choices, ("", _("Other"))]
    groups.culture = [(label, by_topic[topic]) for topic, label in topics if topic in by_topic]
    return groups
