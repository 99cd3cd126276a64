"""Writes of the archive: items, their images and collections."""

import wave
from io import BytesIO

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image

from apps.archive.models import Collection, Item, ItemMedia
from apps.municipalities.models import Municipality


def item_save(item: Item) -> Item:
    """Saves an item checked as the admin's form checks it, with the years its date text allows
    read again (Item.clean)."""
    item.full_clean(validate_unique=False, validate_constraints=False)
    item.save()
    return item


def item_media_add(item: Item, *, image: bytes, filename: str, label_ko: str = "", label_en: str = "") -> ItemMedia:
    """Adds an image (a photograph, a page) after the item's last one; its size is read from it."""
    with Image.open(BytesIO(image)) as picture:
        width, height = picture.size
    with transaction.atomic():
        last = item.media.select_for_update().order_by("-position").first()
        media = ItemMedia(
            item=item,
            position=(last.position + 1) if last else 1,
            width=width,
            height=height,
            label_ko=label_ko,
            label_en=label_en,
        )
        media.file.save(filename, ContentFile(image), save=False)
        media.save()
    # The item's datestamp moves: harvesters pick up the new image's manifest.
    item.save(update_fields=["updated_at"])
    return media


def item_recording_set(item: Item, *, wav: bytes, filename: str) -> Item:
    """Gives an item its recording (a WAV file; its length is read from it, for the manifest)."""
    with wave.open(BytesIO(wav)) as recording:
        seconds = recording.getnframes() / recording.getframerate()
    item.audio.save(filename, ContentFile(wav), save=False)
    item.audio_seconds = round(seconds, 3)
    item.save(update_fields=["audio", "audio_seconds", "updated_at"])
    return item


def collection_ensure(
    *,
    municipality: Municipality,
    slug: str,
    title_ko: str,
    title_en: str,
    description_ko: str = "",
    description_en: str = "",
) -> Collection:
    collection, _created = Collection.objects.get_or_create(
        municipality=municipality,
        slug=slug,
        defaults={
            "title_ko": title_ko,
            "title_en": title_en,
            "description_ko": description_ko,
            "description_en": description_en,
        },
    )
    return collection


def item_collections_add(item: Item, collections: list[Collection]) -> None:
    """Puts the item in these collections; its datestamp moves, so harvesters see its new sets."""
    if not collections:
        return
    item.collections.add(*collections)
    item.save(update_fields=["updated_at"])
