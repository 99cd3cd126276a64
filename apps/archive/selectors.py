"""Reads of the archive: what the public, viewers and harvesters may see."""

from django.db.models import Prefetch, QuerySet

from apps.archive.models import Collection, Item, ItemMedia
from apps.municipalities.models import Municipality


def harvestable_items(*, municipality: Municipality) -> QuerySet[Item]:
    """The city's public items (OAI-PMH, the item API)."""
    return Item.objects.filter(municipality=municipality, is_public=True)


def public_item(*, pk: int) -> Item | None:
    """A public item with its place, for its manifest (any city's: the id is global)."""
    return Item.objects.filter(pk=pk, is_public=True).select_related("place", "municipality").first()


def item_media(item: Item) -> list[ItemMedia]:
    return list(item.media.order_by("position"))


def item_has_images(item: Item) -> bool:
    """Whether viewers can show it, so it has a manifest (uses prefetched media when there)."""
    return bool(item.media.all()) if _prefetched(item, "media") else item.media.exists()


def _prefetched(item: Item, name: str) -> bool:
    return name in getattr(item, "_prefetched_objects_cache", {})


def public_media(*, uuid_hex: str) -> ItemMedia | None:
    """An image of a public item, by its IIIF identifier (32 hex digits)."""
    if len(uuid_hex) != 32 or not all(character in "0123456789abcdef" for character in uuid_hex):
        return None
    return ItemMedia.objects.filter(uuid=uuid_hex, item__is_public=True).first()


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
