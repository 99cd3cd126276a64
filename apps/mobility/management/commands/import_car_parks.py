from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.mobility.services import car_parks_import
from apps.municipalities.models import Municipality


class Command(BaseCommand):
    help = (
        "Load a 전국주차장정보표준데이터 CSV (CP949 or UTF-8) into the city's car parks: rows that can be "
        "read are merged (a second run changes nothing), the others are listed by line with the reason."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--municipality", default=settings.DEFAULT_MUNICIPALITY)

    def handle(self, *args, file: Path, municipality: str, **options):
        city = Municipality.objects.filter(code=municipality).first()
        if city is None:
            raise CommandError(f"Unknown municipality {municipality!r}: run load_reference_data first.")
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"{file}: {error}") from error
        report = car_parks_import(city, data)
        for problem in report.problems:
            self.stderr.write(f"{file}:{problem.line}: {problem.reason}")
        self.stdout.write(
            f"{city.code}: {report.created} car parks added, {report.updated} updated, "
            f"{report.unchanged} unchanged, {len(report.problems)} rows refused, "
            f"{report.other_cities} of other cities left"
        )
