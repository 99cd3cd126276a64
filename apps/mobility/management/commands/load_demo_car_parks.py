from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.mobility.services import car_parks_import
from apps.municipalities.models import Municipality

CITY_FILE = settings.BASE_DIR / "data" / "opendata" / "public-parking-lots.csv"


class Command(BaseCommand):
    help = (
        "Load the city's public car parks from data/opendata/public-parking-lots.csv (the city's "
        "전국주차장정보표준데이터 file). Idempotent: car parks already loaded are left as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument("--municipality", default=settings.DEFAULT_MUNICIPALITY)

    def handle(self, *args, municipality: str, **options):
        city = Municipality.objects.filter(code=municipality).first()
        if city is None:
            raise CommandError(f"Unknown municipality {municipality!r}: run load_reference_data first.")
        report = car_parks_import(city, CITY_FILE.read_bytes())
        self.stdout.write(
            f"{city.code}: car parks {report.created} added, {report.updated} updated, "
            f"{report.unchanged} unchanged, {len(report.problems)} rows refused"
        )
