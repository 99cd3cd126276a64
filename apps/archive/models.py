"""The archive's holdings: items described in Dublin Core in Korean and English, their images or
pages in order, and collections of items. Viewers reach them through IIIF (apps/archive/iiif_*.py),
harvesters through OAI-PMH (apps/archive/oai.py), programs through /api/v1/archive/items/."""

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.archive.dates import date_in_english, year_range
from apps.archive.licences import LICENCES, Licence, LicenceCode
from apps.common.language import pick_language
from apps.municipalities.models import Municipality
from apps.places.models import Place

# The types a browser's player, a IIIF viewer and /files/ answers are told, by the file's
# extension, whatever the machine's own type list says.
MEDIA_TYPES = {
    "wav": "audio/wav",
    "m4a": "audio/mp4",
    "mp4": "video/mp4",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "pdf": "application/pdf",
}


def media_type(file) -> str:
    return MEDIA_TYPES.get(file.name.rsplit(".", 1)[-1].lower(), "application/octet-stream")


class PagesStatus(models.TextChoices):
    NONE = "", _("no PDF")
    PREPARING = "preparing", _("being prepared")
    READY = "ready", _("ready")
    FAILED = "failed", _("failed")


def _archive_storage():
    # Not under MEDIA_ROOT: a view hands each file out while its item is public (apps/archive/views.py).
    return storages["archive"]


def _random_name(folder: str, filename: str) -> str:
    # Not the uploaded name: an address that was never shown cannot be guessed either.
    return f"archive/{folder}/{uuid.uuid4().hex}{filename[filename.rfind('.') :].lower()[:6]}"


def _recording_path(item: "Item", filename: str) -> str:
    return _random_name("audio", filename)


def _pdf_path(item: "Item", filename: str) -> str:
    return _random_name("pdf", filename)


def _video_path(item: "Item", filename: str) -> str:
    return _random_name("video", filename)


class Item(models.Model):
    class Type(models.TextChoices):
        PHOTOGRAPH = "photograph", _("Photograph")
        DOCUMENT = "document", _("Document")
        AUDIO = "audio", _("Audio")
        VIDEO = "video", _("Video")
        ORAL_HISTORY = "oral_history", _("Oral history")
        OBJECT = "object", _("Object")

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="archive_items"
    )
    # dc:identifier: the holder's own number (e.g. a 문화원 accession number), unique in the city.
    identifier = models.CharField(_("identifier"), max_length=100)
    item_type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    title_ko = models.CharField(_("title (Korean)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    creator_ko = models.CharField(_("creator (Korean)"), max_length=200, blank=True)
    creator_en = models.CharField(_("creator (English)"), max_length=200, blank=True)
    # As the holder wrote it, uncertainty and all ("1950년대", "1960년경"); the years are read from it.
    date_text = models.CharField(_("date"), max_length=100, blank=True, help_text=_("e.g. 1950년대, 1960년경, 1887년"))
    date_earliest = models.SmallIntegerField(_("earliest year"), null=True, blank=True)
    date_latest = models.SmallIntegerField(_("latest year"), null=True, blank=True)
    subjects_ko = models.CharField(_("subjects (Korean)"), max_length=300, blank=True, help_text=_("Comma-separated"))
    subjects_en = models.CharField(_("subjects (English)"), max_length=300, blank=True, help_text=_("Comma-separated"))
    description_ko = models.TextField(_("description (Korean)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    place = models.ForeignKey(
        Place, verbose_name=_("place"), null=True, blank=True, on_delete=models.PROTECT, related_name="archive_items"
    )
    licence = models.CharField(_("licence"), max_length=20, choices=LicenceCode.choices)
    # dc:rights beside the licence, and the attribution every viewer shows (IIIF requiredStatement).
    rights_holder_ko = models.CharField(_("rights holder (Korean)"), max_length=200)
    rights_holder_en = models.CharField(_("rights holder (English)"), max_length=200, blank=True)
    source_ko = models.CharField(_("source (Korean)"), max_length=300, blank=True)
    source_en = models.CharField(_("source (English)"), max_length=300, blank=True)
    # Drawn for the demo, not a record of the past: every view of it says so.
    is_illustration = models.BooleanField(_("illustration"), default=False)
    # An oral history's words with their times, as WebVTT.
    transcript_vtt = models.TextField(_("timed transcript (WebVTT)"), blank=True)
    # A recording (an oral history, an audio item): a format every phone's browser plays.
    audio = models.FileField(_("recording"), storage=_archive_storage, upload_to=_recording_path, blank=True)
    audio_seconds = models.FloatField(_("recording length (s)"), null=True, blank=True, editable=False)
    # A document's PDF: its pages become the item's images (apps/archive/tasks.py), for IIIF and the
    # viewer; the file itself stays downloadable.
    pdf = models.FileField(_("PDF"), storage=_archive_storage, upload_to=_pdf_path, blank=True)
    pages_status = models.CharField(
        _("pages"), max_length=10, choices=PagesStatus.choices, blank=True, default="", editable=False
    )
    pages_error = models.CharField(_("why the pages could not be made"), max_length=300, blank=True, editable=False)
    # A film: MP4 (H.264), which every phone's browser plays; its captions are transcript_vtt.
    video = models.FileField(_("video"), storage=_archive_storage, upload_to=_video_path, blank=True)
    video_seconds = models.FloatField(_("video length (s)"), null=True, blank=True, editable=False)
    video_width = models.PositiveIntegerField(_("video width"), null=True, blank=True, editable=False)
    video_height = models.PositiveIntegerField(_("video height"), null=True, blank=True, editable=False)
    is_public = models.BooleanField(_("public"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # The OAI-PMH datestamp: harvesters ask for what changed since their last visit.
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("archive item")
        verbose_name_plural = _("archive items")
        ordering = ["identifier"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "identifier"], name="archive_item_identifier_unique")
        ]
        indexes = [models.Index(fields=["municipality", "updated_at", "id"], name="archive_item_harvest")]

    def __str__(self) -> str:
        return f"{self.identifier} {self.title_ko}"

    @property
    def title(self) -> str:
        return pick_language(self.title_ko, self.title_en)

    @property
    def date_display(self) -> str:
        """The date as written for Korean readers, worded in English for the others."""
        return pick_language(self.date_text, date_in_english(self.date_text))

    def clean(self) -> None:
        # The years the date text allows, for the facets and the timeline (the text is what people read).
        self.date_earliest, self.date_latest = year_range(self.date_text)

    @property
    def audio_type(self) -> str:
        return media_type(self.audio)

    @property
    def video_type(self) -> str:
        return media_type(self.video)

    @property
    def pages_error_display(self) -> str:
        """Why the PDF's pages could not be made, in the reader's language (a worker wrote it)."""
        return gettext(self.pages_error) if self.pages_error else ""

    @property
    def licence_info(self) -> Licence:
        return LICENCES[self.licence]


def _media_path(media: "ItemMedia", filename: str) -> str:
    return f"archive/{media.uuid.hex}{filename[filename.rfind('.') :]}"


class ItemMedia(models.Model):
    """One image of an item: a photograph, a side of an object, a page of a document. Its uuid is
    its IIIF Image API identifier."""

    item = models.ForeignKey(Item, verbose_name=_("item"), on_delete=models.CASCADE, related_name="media")
    position = models.PositiveIntegerField(_("position"))
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(_("file"), storage=_archive_storage, upload_to=_media_path)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    label_ko = models.CharField(_("label (Korean)"), max_length=100, blank=True)
    label_en = models.CharField(_("label (English)"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("item image")
        verbose_name_plural = _("item images")
        ordering = ["item", "position"]
        constraints = [models.UniqueConstraint(fields=["item", "position"], name="archive_media_position_unique")]

    def __str__(self) -> str:
        return f"{self.item.identifier} #{self.position}"


class Collection(models.Model):
    """A set of items (an OAI-PMH set, a IIIF collection). Curated exhibitions that tell a story
    with items will be Wagtail pages that point at collections and items."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="archive_collections"
    )
    # The OAI-PMH setSpec: letters, digits and -_.!~*'() only.
    slug = models.SlugField(_("short name"), max_length=60)
    title_ko = models.CharField(_("title (Korean)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_ko = models.TextField(_("description (Korean)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    items = models.ManyToManyField(Item, verbose_name=_("items"), related_name="collections", blank=True)

    class Meta:
        verbose_name = _("archive collection")
        verbose_name_plural = _("archive collections")
        ordering = ["slug"]
        constraints = [models.UniqueConstraint(fields=["municipality", "slug"], name="archive_collection_slug_unique")]

    def __str__(self) -> str:
        return self.title_ko

    @property
    def title(self) -> str:
        return pick_language(self.title_ko, self.title_en)


def _contribution_photo_path(contribution: "Contribution", filename: str) -> str:
    return f"archive-contributions/{uuid.uuid4().hex}.jpg"


def _private_storage():
    # Not published until approved: kept beside the complaint photos, served to moderators only.
    return storages["private"]


class Contribution(models.Model):
    """A photograph or a story a resident offers the archive. It waits for a moderator, who approves
    it (it becomes a public item crediting the contributor), asks for changes or refuses it with a
    reason; the contributor follows it by a private link. The contact details are never public."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for review")
        CHANGES_ASKED = "changes", _("Changes asked")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    # What a contributor may grant: licences that let the city and everyone reuse the item.
    class Grant(models.TextChoices):
        CC_BY = LicenceCode.CC_BY.value, LicenceCode.CC_BY.label
        CC_BY_SA = LicenceCode.CC_BY_SA.value, LicenceCode.CC_BY_SA.label
        CC_BY_NC = LicenceCode.CC_BY_NC.value, LicenceCode.CC_BY_NC.label
        CC0 = LicenceCode.CC0.value, LicenceCode.CC0.label

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="archive_contributions"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.WAITING)
    title = models.CharField(_("title"), max_length=200)
    story = models.TextField(_("story"), max_length=5000, blank=True)
    date_text = models.CharField(_("when"), max_length=100, blank=True)
    place_text = models.CharField(_("where"), max_length=200, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    photo = models.FileField(_("photo"), storage=_private_storage, upload_to=_contribution_photo_path, blank=True)
    licence = models.CharField(_("licence granted"), max_length=20, choices=Grant.choices)
    credit = models.CharField(_("credit as"), max_length=100)
    contact_name = models.CharField(_("contact name"), max_length=100, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    consent_at = models.DateTimeField(_("consent given"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    note = models.CharField(_("note to the contributor"), max_length=1000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    item = models.OneToOneField(
        Item, verbose_name=_("item"), null=True, blank=True, on_delete=models.SET_NULL, related_name="contribution"
    )
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("archive contribution")
        verbose_name_plural = _("archive contributions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


from apps.archive.pages import ArchiveStoryPage  # noqa: E402, F401 - Wagtail's page models live in models
