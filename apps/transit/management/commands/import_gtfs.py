from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from apps.municipalities.models import Municipality
from apps.transit.services import FeedInvalid, gtfs_feed_import


class Command(BaseCommand):
    help = "Replace the city's transit timetable with a GTFS feed (zip or folder); nothing changes if it is invalid."

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path)
        parser.add_argument("--municipality", default="uijeongbu")

    def handle(self, *args, source: Path, municipality: str, **options):
        city = Municipality.objects.filter(code=municipality).first()
        if city is None:
            raise CommandError(f"No municipality {municipality!r}: run load_reference_data first.")
        try:
            feed = gtfs_feed_import(municipality=city, source=source)
        except FeedInvalid as invalid:
            for problem in invalid.problems:
                for language in ("ko", "en"):
                    with translation.override(language):
                        self.stderr.write(str(problem))
            raise CommandError(f"{len(invalid.problems)} problem(s): the feed was not imported.") from None
        if options["verbosity"]:
            self.stdout.write(f"Imported {source}: {feed.stops.count()} stops, {feed.trips.count()} trips.")
