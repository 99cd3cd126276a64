from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from apps.complaints.services import categories_sync, category_questions_sync
from apps.municipalities.services import (
    ReferenceDataError,
    departments_sync,
    dongs_sync,
    municipality_ensure,
    read_reference_csv,
)

REFERENCE_DIR = settings.BASE_DIR / "data" / "reference"


def _coordinate(value: str, line: int) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        raise ReferenceDataError(f"municipalities.csv line {line}: {value!r} is not a coordinate") from None


class Command(BaseCommand):
    help = (
        "Load each municipality in data/reference/municipalities.csv with its departments, dongs, complaint categories "
        "and their extra questions (data/reference/<code>/). Adds what is missing; never overwrites admin edits."
    )

    def add_arguments(self, parser):
        parser.add_argument("--directory", type=Path, default=REFERENCE_DIR, help="folder holding the tables")

    def handle(self, *args, directory: Path, **options):
        try:
            with transaction.atomic():  # a bad table anywhere leaves every city as it was
                self._load(directory)
        except ReferenceDataError as error:
            raise CommandError(str(error)) from error

    def _load(self, directory: Path) -> None:
        cities = read_reference_csv(directory / "municipalities.csv", {"code", "name_ko", "name_en"})
        for line, city in enumerate(cities, start=2):
            municipality = municipality_ensure(
                code=city["code"],
                name_ko=city["name_ko"],
                name_en=city["name_en"],
                phone=city.get("phone", ""),
                address_ko=city.get("address_ko", ""),
                address_en=city.get("address_en", ""),
                latitude=_coordinate(city.get("latitude", ""), line),
                longitude=_coordinate(city.get("longitude", ""), line),
            )
            tables = directory / city["code"]
            departments = departments_sync(municipality=municipality, path=tables / "departments.csv")
            categories = categories_sync(municipality=municipality, path=tables / "complaint_categories.csv")
            if (tables / "dongs.csv").exists():
                dongs_sync(municipality=municipality, path=tables / "dongs.csv")
            questions = tables / "category_questions.csv"
            if questions.exists():  # optional: a city may ask no extra questions
                category_questions_sync(municipality=municipality, path=questions)
            self.stdout.write(
                f"{municipality.code}: departments {departments.created} added, {departments.kept} kept; "
                f"categories {categories.created} added, {categories.kept} kept"
            )
