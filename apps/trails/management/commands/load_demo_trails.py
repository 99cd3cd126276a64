import csv
import json
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.models import Locale

from apps.municipalities.models import Municipality
from apps.trails import services
from apps.trails.approximate import approximate_track
from apps.trails.models import TrailIndexPage, TrailMarker, TrailPage

REFERENCE_DIR = settings.BASE_DIR / "data" / "opendata"
DEMO_DIR = settings.BASE_DIR / "data" / "demo"
SECTIONS = {"대구간": TrailPage.Section.MAJOR, "소구간": TrailPage.Section.MINOR}
# Rolling hills added to the generated tracks: foothill courses roll, stream-side ones barely.
HILLS_M = {TrailPage.Section.MAJOR: 6.0, TrailPage.Section.MINOR: 1.0}
# Tourists' languages: the trails are translated into them, not the rest of the site.
TOURIST_LANGUAGES = ["ja", "zh-hans"]


class Command(BaseCommand):
    help = (
        "Turn a city's /trails/ section into the trails index and add the 소풍길 courses that are missing "
        "(names, sections, start and end, distances and lines from data/opendata/sopung-gil-courses.*, texts and "
        "markers from data/demo/<code>-trails.json), each with an approximate track and its English page, and "
        "Japanese and Chinese pages where the demo text has them. Courses that exist are left as editors made them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--municipality", default=settings.DEFAULT_MUNICIPALITY)

    def handle(self, *args, municipality: str, **options):
        city = Municipality.objects.filter(code=municipality).select_related("site__root_page").first()
        if city is None:
            raise CommandError(f"Unknown municipality {municipality!r}: run load_reference_data first.")
        if city.site is None:
            self.stdout.write(f"{city.code}: no site yet (run load_demo_data first); trails not loaded")
            return
        path = DEMO_DIR / f"{city.code}-trails.json"
        if not path.exists():
            self.stdout.write(f"{city.code}: no {path.name}; trails not loaded")
            return
        demo = json.loads(path.read_text(encoding="utf-8"))
        with transaction.atomic():
            index = services.trail_index_install(city.site.root_page.specific, texts=demo["index"])
            for language in TOURIST_LANGUAGES:
                if language in demo["index"]:
                    services.trail_index_translate(index, language, texts=demo["index"][language])
            added = [
                self._add_course(index, course, demo["courses"][str(course["number"])], demo["ecology"])
                for course in self._reference_courses()
                if str(course["number"]) in demo["courses"] and not self._exists(index, course["number"])
            ]
        self.stdout.write(f"{city.code}: trails index {index.url}, {len(added)} courses added")

    @staticmethod
    def _reference_courses() -> list[dict]:
        with open(REFERENCE_DIR / "sopung-gil-courses.csv", encoding="utf-8") as file:
            rows = {int(row["코스번호"]): row for row in csv.DictReader(file)}
        lines = json.loads((REFERENCE_DIR / "sopung-gil-courses.geojson").read_text(encoding="utf-8"))
        courses = []
        for feature in lines["features"]:
            number = int(feature["properties"]["코스번호"])
            row = rows[number]
            courses.append(
                {
                    "number": number,
                    "name": row["코스명"],
                    "section": SECTIONS[row["구분"]],
                    "start": row["시점"],
                    "end": row["종점"],
                    "km": Decimal(row["거리_km"]),
                    "vertices": [(latitude, longitude) for longitude, latitude in feature["geometry"]["coordinates"]],
                }
            )
        return sorted(courses, key=lambda course: course["number"])

    @staticmethod
    def _exists(index: TrailIndexPage, number: int) -> bool:
        return TrailPage.objects.child_of(index).filter(course_number=number).exists()

    def _add_course(self, index: TrailIndexPage, course: dict, text: dict, ecology: dict) -> TrailPage:
        page = TrailPage(
            title=course["name"],
            slug=text["slug"],
            summary=text["summary_ko"],
            start_name=course["start"],
            end_name=course["end"],
            getting_there=text["getting_there_ko"],
            course_number=course["number"],
            section=course["section"],
            official_distance_km=course["km"],
        )
        points = approximate_track(
            course["vertices"],
            text["elevations"],
            length_m=float(course["km"]) * 1000,
            hills_m=HILLS_M[course["section"]],
        )
        services.trail_track_set(page, points, approximate=True)
        total = page.track[-1][3]
        page.markers = [
            TrailMarker(
                number=number,
                name_ko=marker["ko"],
                name_en=marker["en"],
                name_ja=marker.get("ja", ""),
                name_zh_hans=marker.get("zh_hans", ""),
                text_ko=marker["text_ko"],
                text_en=marker["text_en"],
                text_ja=marker.get("text_ja", ""),
                text_zh_hans=marker.get("text_zh_hans", ""),
                ecology=[
                    ("season", {"season": season, **words}) for season, words in ecology[course["section"]].items()
                ],
                latitude=latitude,
                longitude=longitude,
                is_stamp_point=marker["stamp"],
                facilities=marker["facilities"],
            )
            for number, marker in enumerate(text["markers"], start=1)
            for latitude, longitude in [_point_at(page.track, marker["at"] * total)]
        ]
        services.trail_markers_prepare(page, site_page=index)
        index.add_child(instance=page)
        page.save_revision().publish()

        english_index = index.get_translations().filter(locale__language_code="en").first()
        if english_index is not None:
            translation = page.copy_for_translation(Locale.objects.get(language_code="en"))
            translation.title, translation.summary = text["title_en"], text["summary_en"]
            translation.start_name, translation.end_name = text["start_en"], text["end_en"]
            translation.getting_there = text["getting_there_en"]
            translation.save()
            translation.save_revision().publish()
        for language, words in text.get("translations", {}).items():
            locale = Locale.objects.filter(language_code=language).first()
            if locale is None or not index.get_translations().filter(locale=locale).exists():
                continue
            translation = page.copy_for_translation(locale)
            translation.title, translation.summary = words["title"], words["summary"]
            translation.start_name, translation.end_name = words["start"], words["end"]
            translation.getting_there = words["getting_there"]
            translation.save()
            translation.save_revision().publish()
        self.stdout.write(f"  {course['number']}. {course['name']}: {len(text['markers'])} markers")
        return page


def _point_at(rows: list[list], along_m: float) -> tuple[float, float]:
    """The point of the track `along_m` metres from its start."""
    for first, second in zip(rows, rows[1:], strict=False):
        if second[3] >= along_m:
            span = second[3] - first[3]
            t = 0.0 if span <= 0 else (along_m - first[3]) / span
            return first[0] + t * (second[0] - first[0]), first[1] + t * (second[1] - first[1])
    return rows[-1][0], rows[-1][1]
