import json
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from apps.complaints.exports import complaints_export_write
from apps.municipalities.models import Municipality
from apps.opendata import trails_dataset
from apps.opendata.complaints_dataset import complaints_export_publish
from apps.opendata.models import Dataset, Keyword, Resource, ResourceVersion
from apps.opendata.services import dataset_refresh, resource_version_upload, version_ingest

DEMO_DIR = settings.BASE_DIR / "data" / "opendata"
CATALOGUE = DEMO_DIR / "catalogue.json"
# A resource whose versions come from the nightly complaints export instead of a file here.
COMPLAINTS_EXPORT = "complaints-export"
# A resource whose versions are the published trail pages (apps/opendata/trails_dataset.py).
TRAIL_PAGES = "trail-pages"


def demo_catalogue(path: Path = CATALOGUE) -> list[dict]:
    """The datasets described in data/opendata/catalogue.json, in the order they are listed."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))["datasets"]
    except (OSError, ValueError, KeyError) as error:
        raise CommandError(f"{path}: {error}") from error


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


class Command(BaseCommand):
    help = (
        "Give a municipality the demo datasets of data/opendata/catalogue.json, each file loaded into the "
        "datastore as it would be after an editor's upload. A dataset the city already has is left as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument("--municipality", default=settings.DEFAULT_MUNICIPALITY)

    def handle(self, *args, municipality: str, **options):
        city = Municipality.objects.filter(code=municipality).first()
        if city is None:
            raise CommandError(f"Unknown municipality {municipality!r}: run load_reference_data first.")
        existing = set(Dataset.objects.filter(municipality=city).values_list("slug", flat=True))
        missing = [entry for entry in demo_catalogue() if entry["slug"] not in existing]
        if not missing:
            self.stdout.write(f"{city.code}: demo datasets already there, left as they are")
            return
        for entry in missing:
            # One dataset at a time: a file that does not load leaves no half-made dataset behind.
            with transaction.atomic():
                dataset = self._create_dataset(city, entry)
                rows = [
                    self._load(city, resource, spec)
                    for resource, spec in zip(self._resources(dataset, entry), entry["resources"], strict=True)
                ]
                dataset_refresh(Dataset.objects.select_related("department").get(pk=dataset.pk))
            self.stdout.write(f"{city.code}: {dataset.slug} with {sum(rows)} rows")

    @staticmethod
    def _create_dataset(city: Municipality, entry: dict) -> Dataset:
        slug = entry["slug"]
        department = city.departments.filter(code=entry["department"]).first()
        if department is None:
            raise CommandError(f"{slug}: {city.code} has no department {entry['department']!r}.")
        contact = entry.get("contact", {})
        temporal = entry.get("temporal", {})
        dataset = Dataset(
            municipality=city,
            slug=slug,
            title_ko=entry["title"]["ko"],
            title_en=entry["title"]["en"],
            description_ko=entry["description"]["ko"],
            description_en=entry["description"]["en"],
            department=department,
            category=entry["category"],
            licence=entry["licence"],
            update_cycle=entry["update_cycle"],
            spatial_coverage=entry.get("spatial_coverage", ""),
            temporal_start=_date(temporal.get("start")),
            temporal_end=_date(temporal.get("end")),
            contact_name=contact.get("name", ""),
            contact_phone=contact.get("phone", ""),
            contact_email=contact.get("email", ""),
        )
        try:
            dataset.full_clean()
        except ValidationError as error:
            raise CommandError(f"{slug}: {error.message_dict}") from error
        dataset.save()
        dataset.keywords.set([Keyword.objects.get_or_create(name=name)[0] for name in entry.get("keywords", [])])
        dataset.save()  # a parental many-to-many is written on save
        return dataset

    @staticmethod
    def _resources(dataset: Dataset, entry: dict) -> list[Resource]:
        resources = []
        for order, spec in enumerate(entry["resources"]):
            resource = Resource(
                dataset=dataset,
                sort_order=order,
                name_ko=spec["name"]["ko"],
                name_en=spec["name"]["en"],
                kind=Resource.Kind.FILE,
                format=spec["format"],
            )
            try:
                resource.full_clean()
            except ValidationError as error:
                raise CommandError(f"{dataset.slug}: {error.message_dict}") from error
            resource.save()
            resources.append(resource)
        return resources

    @staticmethod
    def _load(city: Municipality, resource: Resource, spec: dict) -> int:
        """Loads the resource's first version now, not in the worker, and returns its row count."""
        if spec.get("source") == COMPLAINTS_EXPORT:
            # Published only once the city has complaints; until then the nightly export fills it.
            today = timezone.localdate()
            path = complaints_export_write(municipality=city, today=today)
            version = complaints_export_publish(municipality=city, path=path, exported_on=today)
        elif spec.get("source") == TRAIL_PAGES:
            # The published trail pages, once the city has them; each later publish adds a version.
            path = Path(trails_dataset.FILE_NAME)
            version = trails_dataset.city_trails_dataset_publish(city)
        else:
            path = DEMO_DIR / spec["file"]
            try:
                with path.open("rb") as file:
                    version = resource_version_upload(resource=resource, upload=File(file, name=path.name))
            except (OSError, ValidationError) as error:
                raise CommandError(f"{path.name}: {error}") from error
        if version is None:
            return 0
        # The worker's task, queued when this commits, finds the version ready and leaves it.
        version = version_ingest(version=version)
        if version.status != ResourceVersion.Status.READY:
            raise CommandError(f"{path.name}: {version.error}")
        return version.row_count
