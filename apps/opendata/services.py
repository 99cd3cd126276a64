"""Writes for the data catalogue that every entry point shares: keeping a dataset's search text
and quality score true after its metadata or its files change."""

from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.opendata.models import CYCLE_DAYS, Dataset, Resource

MACHINE_READABLE = {Resource.Format.CSV, Resource.Format.JSON, Resource.Format.GEOJSON, Resource.Format.API}

# Each check: (key, points, label). Points add up to 100.
QUALITY_CHECKS = (
    ("description", 20, _("A description of at least 50 characters, in Korean and English")),
    ("metadata", 15, _("Keywords, coverage and a contact")),
    ("licence", 15, _("An open licence")),
    ("machine_readable", 20, _("A machine-readable format (CSV, JSON, GeoJSON or an API)")),
    ("schema_valid", 15, _("Every row matches the column schema")),
    ("on_time", 15, _("Updated on schedule")),
)


def dataset_search_text(dataset: Dataset) -> str:
    parts = [
        dataset.slug,
        dataset.title_ko,
        dataset.title_en,
        dataset.description_ko,
        dataset.description_en,
        dataset.department.name_ko,
        dataset.department.name_en,
        dataset.spatial_coverage,
        *(keyword.name for keyword in dataset.keywords.all()),
        *(f"{resource.name_ko} {resource.name_en} {resource.format}" for resource in dataset.resources.all()),
    ]
    return " ".join(part for part in parts if part).lower()


def dataset_quality(dataset: Dataset) -> dict[str, bool]:
    resources = list(dataset.resources.select_related("current_version"))
    versions = [resource.current_version for resource in resources if resource.current_version]
    tabular = [version for version in versions if version.schema.get("fields")]
    due = CYCLE_DAYS.get(dataset.update_cycle)
    return {
        "description": len(dataset.description_ko) >= 50 and bool(dataset.description_en),
        "metadata": dataset.keywords.exists()
        and bool(dataset.spatial_coverage)
        and bool(dataset.contact_phone or dataset.contact_email),
        "licence": bool(dataset.licence),
        "machine_readable": any(resource.format in MACHINE_READABLE for resource in resources),
        "schema_valid": bool(tabular) and all(version.schema_valid for version in tabular),
        # Data that changes irregularly is on time once it has any data at all.
        "on_time": dataset.data_updated_at is not None
        and (due is None or (timezone.now() - dataset.data_updated_at).days <= due),
    }


def dataset_refresh(dataset: Dataset) -> Dataset:
    """Recompute what is derived from a dataset's metadata and files: search text, download total
    and quality score. Called after the admin saves it and after every ingest."""
    checks = dataset_quality(dataset)
    points = {key: weight for key, weight, _label in QUALITY_CHECKS}
    dataset.quality_checks = checks
    dataset.quality_score = sum(points[key] for key, passed in checks.items() if passed)
    dataset.search_text = dataset_search_text(dataset)
    dataset.download_count = dataset.resources.aggregate(total=Sum("download_count"))["total"] or 0
    Dataset.objects.filter(pk=dataset.pk).update(
        quality_checks=dataset.quality_checks,
        quality_score=dataset.quality_score,
        search_text=dataset.search_text,
        download_count=dataset.download_count,
    )
    return dataset


def quality_report(dataset: Dataset) -> list[dict]:
    """The checks as the public page lists them: label, points, passed."""
    return [
        {"key": key, "label": label, "points": weight, "passed": bool(dataset.quality_checks.get(key))}
        for key, weight, label in QUALITY_CHECKS
    ]


def resource_download_count(resource: Resource) -> None:
    """Count a download of any of the resource's files."""

    Resource.objects.filter(pk=resource.pk).update(download_count=F("download_count") + 1)
    Dataset.objects.filter(pk=resource.dataset_id).update(download_count=F("download_count") + 1)
