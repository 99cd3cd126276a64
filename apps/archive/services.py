"""Writes of the archive: items, their images, PDF, film and recording, and collections. Every entry
point (the admin, the seed, an approved contribution) adds files through these, which check them
first (apps/archive/files.py)."""

import logging
from functools import partial
from io import BytesIO

import pypdfium2 as pdfium
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_noop
from PIL import Image

from apps.archive import files
from apps.archive.models import Collection, Item, ItemMedia, PagesStatus
from apps.municipalities.models import Municipality

logger = logging.getLogger(__name__)
PAGE_LONGEST_SIDE = 2400  # a page read comfortably when zoomed on a phone, small enough to render fast
# Written by a worker, shown in the reader's language (Item.pages_error_display).
PAGES_NOT_QUEUED = gettext_noop("The pages could not be queued; upload the PDF again.")
PAGES_NOT_RENDERED = gettext_noop("The PDF's pages could not be rendered; the item keeps the images it had.")


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


def item_image_add(item: Item, upload: File, *, label_ko: str = "", label_en: str = "") -> ItemMedia:
    """An archivist's scan or photograph added after the item's images, without its camera data."""
    return item_media_add(
        item, image=files.scan_clean(upload), filename="scan.jpg", label_ko=label_ko, label_en=label_en
    )


@transaction.atomic
def item_media_remove(media: ItemMedia) -> None:
    """Takes an image out of its item; the ones after it move up. Its file goes once that is committed."""
    item = Item.objects.select_for_update().get(pk=media.item_id)
    removed = item.media.filter(pk=media.pk).first()
    if removed is None:
        return
    removed.delete()
    # One at a time in order: (item, position) stays unique at every step.
    for later in item.media.filter(position__gt=removed.position).order_by("position"):
        ItemMedia.objects.filter(pk=later.pk).update(position=F("position") - 1)
    transaction.on_commit(partial(removed.file.storage.delete, removed.file.name))
    item.save(update_fields=["updated_at"])


@transaction.atomic
def item_media_move(media: ItemMedia, *, earlier: bool) -> None:
    """Swaps an image with the one before (`earlier`) or after it; nothing at either end."""
    item = Item.objects.select_for_update().get(pk=media.item_id)
    moved = item.media.filter(pk=media.pk).first()
    if moved is None:
        return
    neighbour = item.media.filter(position=moved.position + (-1 if earlier else 1)).first()
    if neighbour is None:
        return
    here, there = moved.position, neighbour.position
    ItemMedia.objects.filter(pk=moved.pk).update(position=0)  # free its place for the swap
    ItemMedia.objects.filter(pk=neighbour.pk).update(position=here)
    ItemMedia.objects.filter(pk=moved.pk).update(position=there)
    item.save(update_fields=["updated_at"])


def item_recording_set(item: Item, upload: File) -> Item:
    """Gives an item its recording (WAV or M4A), its length read from it for the player and manifest."""
    info = files.recording_check(upload)
    upload.seek(0)
    item.audio.save(upload.name, upload, save=False)
    item.audio_seconds = info.seconds
    item.save(update_fields=["audio", "audio_seconds", "updated_at"])
    return item


def item_video_set(item: Item, upload: File) -> Item:
    """Gives an item its film (MP4), with its length and picture size read from it."""
    info = files.video_check(upload)
    upload.seek(0)
    item.video.save(upload.name, upload, save=False)
    item.video_seconds, item.video_width, item.video_height = info.seconds, info.width, info.height
    item.save(update_fields=["video", "video_seconds", "video_width", "video_height", "updated_at"])
    return item


def item_pdf_set(item: Item, upload: File) -> Item:
    """Keeps a document's PDF and has its pages made into the item's images by a worker
    (item_pdf_pages_make); until they are, the item keeps the images it had."""
    files.pdf_check(upload)
    upload.seek(0)
    with transaction.atomic():
        locked = Item.objects.select_for_update().get(pk=item.pk)
        locked.pdf.save(upload.name, upload, save=False)
        locked.pages_status, locked.pages_error = PagesStatus.PREPARING, ""
        locked.save(update_fields=["pdf", "pages_status", "pages_error", "updated_at"])
        transaction.on_commit(partial(_pages_queue, locked.pk))
    return locked


def _pages_queue(item_id: int) -> None:
    from apps.archive.tasks import make_pdf_pages

    try:
        make_pdf_pages.delay(item_id)
    except Exception:  # noqa: BLE001 - the broker is down: say so on the item rather than wait for ever
        logger.exception("the pages of archive item %s could not be queued", item_id)
        Item.objects.filter(pk=item_id, pages_status=PagesStatus.PREPARING).update(
            pages_status=PagesStatus.FAILED, pages_error=PAGES_NOT_QUEUED
        )


def _page_images(pdf_name: str, storage) -> list[tuple[bytes, int, int]]:
    """Each page of the stored PDF as a JPEG, PAGE_LONGEST_SIDE on its longer side."""
    with storage.open(pdf_name, "rb") as stored:
        document = pdfium.PdfDocument(stored.read())
    pages = []
    with document:
        for page in document:
            width, height = page.get_size()
            picture = page.render(scale=PAGE_LONGEST_SIDE / max(width, height, 1)).to_pil().convert("RGB")
            out = BytesIO()
            picture.save(out, "JPEG", quality=85, optimize=True)
            pages.append((out.getvalue(), picture.width, picture.height))
            page.close()
    return pages


def item_pdf_pages_make(item_id: int) -> str:
    """Makes the pages of the item's PDF its images, replacing the ones it had in one transaction;
    a PDF that cannot be rendered leaves them as they were and says why. Safe to run again (a
    worker that died mid-way): it starts over from the stored PDF."""
    item = Item.objects.filter(pk=item_id).first()
    if item is None or item.pages_status != PagesStatus.PREPARING or not item.pdf:
        return item.pages_status if item else "gone"
    pdf_name = item.pdf.name
    try:
        pages = _page_images(pdf_name, item.pdf.storage)
    except (pdfium.PdfiumError, OSError, ValueError) as error:
        logger.warning("the pages of archive item %s could not be made: %s", item_id, error)
        Item.objects.filter(pk=item_id, pdf=pdf_name).update(
            pages_status=PagesStatus.FAILED, pages_error=PAGES_NOT_RENDERED
        )
        return PagesStatus.FAILED
    made = []
    for number, (jpeg, width, height) in enumerate(pages, start=1):
        media = ItemMedia(item=item, position=number, width=width, height=height, label_ko=f"{number}쪽")
        media.label_en = f"Page {number}"
        media.file.save("page.jpg", ContentFile(jpeg), save=False)
        made.append(media)
    with transaction.atomic():
        locked = Item.objects.select_for_update().get(pk=item_id)
        if locked.pdf.name != pdf_name or locked.pages_status != PagesStatus.PREPARING:
            # A newer PDF came meanwhile: its own run makes its pages.
            transaction.on_commit(lambda: [media.file.delete(save=False) for media in made])
            return locked.pages_status
        replaced = [media.file.name for media in locked.media.all()]
        locked.media.all().delete()
        ItemMedia.objects.bulk_create(made)
        locked.pages_status = PagesStatus.READY
        locked.save(update_fields=["pages_status", "updated_at"])
        storage = item.pdf.storage
        transaction.on_commit(lambda: [storage.delete(name) for name in replaced])
    return PagesStatus.READY


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
