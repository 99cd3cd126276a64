"""The city's data catalogue: datasets (CKAN packages), their resources, each resource's file
versions, and the rows of the published version (the datastore)."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from apps.common.language import pick_language
from apps.municipalities.models import Department, Municipality


class Licence(models.TextChoices):
    # 공공누리 (Korea Open Government Licence) types 1-4, then Creative Commons.
    KOGL_1 = "KOGL-Type1", _("KOGL Type 1: attribution (공공누리 제1유형)")
    KOGL_2 = "KOGL-Type2", _("KOGL Type 2: attribution, non-commercial (공공누리 제2유형)")
    KOGL_3 = "KOGL-Type3", _("KOGL Type 3: attribution, no derivatives (공공누리 제3유형)")
    KOGL_4 = "KOGL-Type4", _("KOGL Type 4: attribution, non-commercial, no derivatives (공공누리 제4유형)")
    CC_BY = "CC-BY-4.0", _("Creative Commons Attribution 4.0")
    CC_BY_SA = "CC-BY-SA-4.0", _("Creative Commons Attribution-ShareAlike 4.0")
    CC0 = "CC0-1.0", _("Creative Commons Zero (public domain)")


LICENCE_URLS = {
    Licence.KOGL_1: "https://www.kogl.or.kr/info/licenseType1.do",
    Licence.KOGL_2: "https://www.kogl.or.kr/info/licenseType2.do",
    Licence.KOGL_3: "https://www.kogl.or.kr/info/licenseType3.do",
    Licence.KOGL_4: "https://www.kogl.or.kr/info/licenseType4.do",
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/",
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
}


class UpdateCycle(models.TextChoices):
    REALTIME = "realtime", _("Real time")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half-yearly", _("Every six months")
    YEARLY = "yearly", _("Yearly")
    IRREGULAR = "irregular", _("When it changes")


# How long a cycle may run before the data counts as late (a little slack for office days).
CYCLE_DAYS = {
    UpdateCycle.REALTIME: 1,
    UpdateCycle.DAILY: 2,
    UpdateCycle.WEEKLY: 8,
    UpdateCycle.MONTHLY: 32,
    UpdateCycle.QUARTERLY: 93,
    UpdateCycle.HALF_YEARLY: 184,
    UpdateCycle.YEARLY: 366,
}


class Category(models.TextChoices):
    # 분야: the national open-data classification used by data.go.kr.
    ADMINISTRATION = "administration", _("Public administration (일반공공행정)")
    SAFETY = "safety", _("Public order and safety (공공질서및안전)")
    EDUCATION = "education", _("Education (교육)")
    CULTURE = "culture", _("Culture, sport and tourism (문화체육관광)")
    ENVIRONMENT = "environment", _("Environment (환경)")
    WELFARE = "welfare", _("Social welfare (사회복지)")
    HEALTH = "health", _("Health (보건)")
    INDUSTRY = "industry", _("Industry and business (산업·중소기업)")
    TRANSPORT = "transport", _("Transport and logistics (교통및물류)")
    LAND = "land", _("Land and regional development (국토·지역개발)")
    DISASTER = "disaster", _("Disaster management (재난관리)")


class Keyword(models.Model):
    """A tag (CKAN's tags); shared by datasets of every city, like CKAN's free tags."""

    name = models.CharField(_("keyword"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("keyword")
        verbose_name_plural = _("keywords")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Dataset(ClusterableModel):
    """One CKAN package: what the data is, who keeps it, how it may be reused, how often it changes."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="datasets"
    )
    slug = models.SlugField(
        _("URL name"), max_length=100, help_text=_("Lowercase letters, digits and hyphens; also the CKAN name.")
    )
    title_ko = models.CharField(_("title (Korean)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=250, blank=True)
    description_ko = models.TextField(_("description (Korean)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="datasets"
    )
    category = models.CharField(_("category (분야)"), max_length=30, choices=Category.choices)
    keywords = ParentalManyToManyField(Keyword, verbose_name=_("keywords"), blank=True, related_name="datasets")
    licence = models.CharField(_("licence"), max_length=20, choices=Licence.choices, blank=True)
    update_cycle = models.CharField(_("update cycle"), max_length=20, choices=UpdateCycle.choices)
    spatial_coverage = models.CharField(_("spatial coverage"), max_length=200, blank=True)
    temporal_start = models.DateField(_("covers from"), null=True, blank=True)
    temporal_end = models.DateField(_("covers until"), null=True, blank=True)
    contact_name = models.CharField(_("contact (team or role)"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    modified_at = models.DateTimeField(_("metadata modified"), auto_now=True)
    # When a resource last got a new published version: what "updated on time" is measured by.
    data_updated_at = models.DateTimeField(_("data updated"), null=True, blank=True)
    download_count = models.PositiveIntegerField(_("downloads"), default=0, editable=False)
    quality_score = models.PositiveSmallIntegerField(_("quality score"), default=0, editable=False)
    quality_checks = models.JSONField(_("quality checks"), default=dict, editable=False)
    # Lowercased titles, descriptions, keywords, department and formats: matched by substring so
    # Korean finds words inside words (정류장 in 버스정류장은), which word-based full text does not.
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")
        ordering = ["title_ko"]
        constraints = [models.UniqueConstraint(fields=["municipality", "slug"], name="dataset_slug_unique_per_city")]
        indexes = [models.Index(fields=["municipality", "is_published", "-modified_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return pick_language(self.title_ko, self.title_en)

    @property
    def description(self) -> str:
        return pick_language(self.description_ko, self.description_en)

    @property
    def licence_url(self) -> str:
        return LICENCE_URLS.get(self.licence, "")

    @property
    def next_update_due(self):
        """When the next update is expected; None for data that changes irregularly or has none yet."""
        days = CYCLE_DAYS.get(self.update_cycle)
        if days is None or self.data_updated_at is None:
            return None
        return self.data_updated_at + timedelta(days=days)


class Resource(Orderable):
    """A file the city publishes (with versions) or a link to a live API."""

    class Kind(models.TextChoices):
        FILE = "file", _("File")
        API = "api", _("API link")

    class Format(models.TextChoices):
        CSV = "CSV", "CSV"
        XLSX = "XLSX", "XLSX"
        JSON = "JSON", "JSON"
        GEOJSON = "GeoJSON", "GeoJSON"
        ZIP = "ZIP", "ZIP"
        API = "API", "API"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dataset = ParentalKey(Dataset, verbose_name=_("dataset"), on_delete=models.CASCADE, related_name="resources")
    name_ko = models.CharField(_("name (Korean)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=250, blank=True)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.FILE)
    format = models.CharField(_("format"), max_length=10, choices=Format.choices, default=Format.CSV)
    url = models.URLField(_("API address"), max_length=500, blank=True, help_text=_("Only for API links."))
    # The version residents see; a failed upload never replaces it.
    current_version = models.ForeignKey(
        "ResourceVersion",
        verbose_name=_("published version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    download_count = models.PositiveIntegerField(_("downloads"), default=0, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta(Orderable.Meta):
        verbose_name = _("resource")
        verbose_name_plural = _("resources")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick_language(self.name_ko, self.name_en)


def version_upload_path(version: "ResourceVersion", filename: str) -> str:
    return f"opendata/{version.resource_id}/{uuid.uuid4().hex}/{filename}"


class ResourceVersion(models.Model):
    """One uploaded file of a resource. Every version stays downloadable; only a version that
    ingested cleanly becomes the published one."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        PROCESSING = "processing", _("Loading")
        READY = "ready", _("Published")
        FAILED = "failed", _("Failed")

    resource = models.ForeignKey(
        Resource, verbose_name=_("resource"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    upload = models.FileField(_("file as uploaded"), upload_to=version_upload_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    sha256 = models.CharField(max_length=64, blank=True, editable=False)
    # Tabular files are also kept as UTF-8 CSV: the "download as CSV" file and the ingest's source.
    utf8_csv = models.FileField(_("UTF-8 CSV"), upload_to=version_upload_path, max_length=300, blank=True)
    encoding = models.CharField(_("detected encoding"), max_length=30, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED)
    bytes_read = models.PositiveBigIntegerField(_("bytes read"), default=0)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    # Frictionless Table Schema: {"fields": [{"name": ..., "type": ...}], ...}
    schema = models.JSONField(_("table schema"), default=dict, blank=True)
    schema_valid = models.BooleanField(_("rows match the schema"), default=False)
    error = models.TextField(_("why it failed"), blank=True)
    # Up to a hundred problems, each {"row": n, "field": name, "message": text}, for the editor.
    row_errors = models.JSONField(_("row problems"), default=list, blank=True)
    # Columns compared with the previous published version: {"added": [], "removed": [], "renamed": [[old, new]]}.
    changes = models.JSONField(_("changes from the previous version"), default=dict, blank=True)
    note = models.CharField(_("what changed (editor's note)"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("resource version")
        verbose_name_plural = _("resource versions")
        ordering = ["resource", "-number"]
        constraints = [models.UniqueConstraint(fields=["resource", "number"], name="resource_version_unique")]

    def __str__(self) -> str:
        return f"{self.resource} v{self.number}"

    @property
    def table_fields(self) -> list[dict]:
        """The Table Schema fields of its rows; empty for a file without rows (a ZIP, a failed load)."""
        return self.schema.get("fields", [])


class UnicodeJSONEncoder(DjangoJSONEncoder):
    """Keeps Korean as Korean in stored JSON text, so a row's text can be searched on SQLite too."""

    def __init__(self, *args, **kwargs):
        kwargs["ensure_ascii"] = False
        super().__init__(*args, **kwargs)


class DatastoreRow(models.Model):
    """One row of a tabular version, as {column: value} with values typed by the schema."""

    # Keyed by version and row number: one index to keep up while a million rows load, where an
    # id of their own would add a second (decision 23).
    pk = models.CompositePrimaryKey("version", "number")
    # No constraint in the database: checking it would cost PostgreSQL a lookup per row loaded (a
    # third of a bulk load); rows are written only by the load of an existing version and deleted
    # with it. No index of its own either: the primary key starts with the version.
    version = models.ForeignKey(
        ResourceVersion, on_delete=models.CASCADE, related_name="rows", db_constraint=False, db_index=False
    )
    number = models.PositiveIntegerField()  # 1-based, in file order: CKAN's _id
    # Empty cells are left out, so a missing key is SQL NULL and sorts and casts like one.
    data = models.JSONField(encoder=UnicodeJSONEncoder)

    def __str__(self) -> str:
        return f"{self.version} row {self.number}"
