"""ILLUSTRATIVE rivers for a fresh install: 중랑천, 부용천, 백석천 and 회룡천 with walkway entrances
at plausible places along 중랑천 and 부용천, the stations 신곡교 and 금신교 with their alert levels
read (through the HRFCO adapter) from a recorded station answer, a day of calm water levels, and
an hour of fine dust at each AirKorea station of the station list. Every station and fine-dust
value made here is marked illustrative, which pages and the API show."""

import dataclasses
import json
import math
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from wagtail.documents.models import Document

from apps.common.sections import page_publish_translated
from apps.municipalities.models import Municipality
from apps.places.models import Place
from apps.places.services import place_create
from apps.rivers import air, hrfco, selectors, services
from apps.rivers.models import River, RiverEntrance, WaterLevelReading, WaterLevelStation
from apps.rivers.pages import RiverCoursePage, RiverPage, RiverPointPage

STATION_INFO = settings.BASE_DIR / "data" / "rivers" / "hrfco-waterlevel-info-illustrative.json"
FINE_DUST = settings.BASE_DIR / "data" / "rivers" / "airkorea-fine-dust-illustrative.json"
RIVERS = [
    ("jungnangcheon", "중랑천", "Jungnangcheon Stream"),
    ("buyongcheon", "부용천", "Buyongcheon Stream"),
    ("baekseokcheon", "백석천", "Baekseokcheon Stream"),
    ("hoeryongcheon", "회룡천", "Hoeryongcheon Stream"),
]
ENTRANCES = {
    "jungnangcheon": [
        ("중랑천 녹양교 진입로", "Jungnangcheon entrance at Nogyanggyo", 37.7590, 127.0430),
        ("중랑천 청과시장 진입로", "Jungnangcheon entrance by the produce market", 37.7430, 127.0418),
        ("중랑천 신곡교 진입로", "Jungnangcheon entrance at Singokgyo", 37.7342, 127.0455),
        ("중랑천 회룡교 진입로", "Jungnangcheon entrance at Hoeryonggyo", 37.7240, 127.0465),
    ],
    "buyongcheon": [
        ("부용천 금신교 진입로", "Buyongcheon entrance at Geumsingyo", 37.7418, 127.0555),
        ("부용천 합류부 진입로", "Buyongcheon entrance at the confluence", 37.7365, 127.0480),
    ],
}
STATIONS = {"1018665": ("jungnangcheon", "Singokgyo"), "1018666": ("buyongcheon", "Geumsingyo")}
DAY_READINGS = 144  # every ten minutes
GUIDE_SECTION = "river-guide"
# A page per river under 하천 가이드, from the city's plans (labelled illustrative on the page).
RIVER_PAGES = {
    "jungnangcheon": {
        "ko": {
            "title": "중랑천",
            "summary": "의정부 시가지를 남북으로 가로지르는 한강의 제1지류, 도심의 산책길",
            "body": "<p>중랑천은 의정부 시가지를 남북으로 관통하는 한강의 제1지류입니다. 부용천, 백석천, 회룡천, "
            "호원천이 이곳에 합류합니다.</p><p>의정부1동에서 호원동까지 시민의 약 30%가 사는 원도심을 따라 "
            "자전거길, 운동기구, 스마트폴이 이어지며, 왜가리를 비롯한 새들이 여울에서 먹이를 찾습니다.</p>",
        },
        "en": {
            "title": "Jungnangcheon Stream",
            "summary": "The Han River's tributary that crosses the city from north to south: the town's walk",
            "body": "<p>Jungnangcheon is a first tributary of the Han River and runs through the city from north "
            "to south; Buyongcheon, Baekseokcheon, Hoeryongcheon and Howoncheon flow into it.</p><p>Along the "
            "old town, where about 30% of the city lives, it has a bike path, exercise equipment and smart "
            "poles, and grey herons wait for fish in its shallows.</p>",
        },
    },
    "buyongcheon": {
        "ko": {
            "title": "부용천",
            "summary": "도심을 동서로 흘러 중랑천에 합류하는 하천",
            "body": "<p>부용천은 시의 중앙을 동서로 흘러 중랑천에 합류합니다. 새말역에서 탑석역에 이르는 "
            "구간에 스마트 하천 서비스가 확대될 예정입니다.</p>",
        },
        "en": {
            "title": "Buyongcheon Stream",
            "summary": "A stream crossing the centre from east to west into Jungnangcheon",
            "body": "<p>Buyongcheon flows through the middle of the city from east to west and joins "
            "Jungnangcheon. The smart river services are to reach its stretch from Saemal to Tapseok "
            "station.</p>",
        },
    },
    "baekseokcheon": {
        "ko": {
            "title": "백석천",
            "summary": "서쪽에서 흘러와 중랑천에 합류하는 하천",
            "body": "<p>백석천은 서쪽에서 흘러와 중랑천에 합류합니다.</p>",
        },
        "en": {
            "title": "Baekseokcheon Stream",
            "summary": "A stream from the west that joins Jungnangcheon",
            "body": "<p>Baekseokcheon comes from the west and joins Jungnangcheon.</p>",
        },
    },
    "hoeryongcheon": {
        "ko": {
            "title": "회룡천",
            "summary": "회룡사 계곡에서 내려와 중랑천에 합류하는 하천",
            "body": "<p>회룡천은 도봉산 자락 회룡사 계곡에서 내려와 회룡역 부근에서 중랑천에 합류합니다.</p>",
        },
        "en": {
            "title": "Hoeryongcheon Stream",
            "summary": "A stream from the Hoeryongsa valley that joins Jungnangcheon",
            "body": "<p>Hoeryongcheon comes down from the Hoeryongsa valley on Dobongsan and joins "
            "Jungnangcheon near Hoeryong station.</p>",
        },
    },
}
DEMO_MODELS = settings.BASE_DIR / "data" / "rivers" / "models"
# ILLUSTRATIVE guide points along 중랑천: the heron's spot, and a smart pole whose light makes the
# path walkable at night. Positions beside the seed entrances.
GUIDE_COURSES = [
    {
        "slug": "jungnangcheon-evening-walk",
        "time_of_day": "evening",
        "points": ["jungnangcheon-smart-pole-singokgyo", "jungnangcheon-heron"],
        "ko": {"title": "중랑천 저녁 산책", "summary": "신곡교에서 왜가리 쉼터까지, 해 질 녘의 짧은 걸음."},
        "en": {
            "title": "Jungnangcheon evening walk",
            "summary": "From Singokgyo to the heron spot, a short walk at dusk.",
        },
    },
    {
        "slug": "jungnangcheon-night-walk",
        "time_of_day": "night",
        "points": ["jungnangcheon-smart-pole-singokgyo"],
        "ko": {"title": "중랑천 밤 산책", "summary": "스마트폴이 밝히는 길만 따라 걷는 밤 산책."},
        "en": {"title": "Jungnangcheon night walk", "summary": "A night walk only where smart poles light the path."},
    },
]
GUIDE_POINTS = [
    {
        "slug": "jungnangcheon-heron",
        "river": "jungnangcheon",
        "kind": "ecology",
        "latitude": 37.7352,
        "longitude": 127.0450,
        "model": "heron",
        "ko": {
            "title": "중랑천 왜가리 쉼터",
            "intro": "얕은 여울에서 왜가리가 물고기를 기다리는 곳입니다. 가만히 서서 지켜보세요.",
            "species": [
                (
                    "species",
                    {
                        "name_ko": "왜가리",
                        "name_en": "Grey heron",
                        "scientific_name": "Ardea cinerea",
                        "season": "사계절",
                        "how_to_recognise": (
                            "키가 90cm쯤 되는 회색 새. 목이 길고 부리가 노랗고, 머리에 검은 댕기깃이 있습니다."
                        ),
                    },
                )
            ],
        },
        "en": {
            "title": "Jungnangcheon heron spot",
            "intro": "Where grey herons wait for fish in the shallows. Stand still and watch.",
        },
    },
    {
        "slug": "jungnangcheon-smart-pole-singokgyo",
        "river": "jungnangcheon",
        "kind": "facility",
        "latitude": 37.7338,
        "longitude": 127.0457,
        "lit": True,
        "ko": {
            "title": "신곡교 스마트폴",
            "intro": "밤에 산책로를 밝히고, 위급할 때 누르는 비상벨이 있는 스마트폴입니다.",
        },
        "en": {
            "title": "Smart pole at Singokgyo",
            "intro": "A smart pole that lights the path at night, with an emergency bell to press when in danger.",
        },
    },
]


class Command(BaseCommand):
    help = (
        "Load ILLUSTRATIVE rivers, entrances, two water-level stations (alert levels from a recorded "
        "HRFCO station answer) and a day of water levels. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--municipality", default=settings.DEFAULT_MUNICIPALITY)

    def handle(self, *args, municipality: str, **options):
        city = Municipality.objects.filter(code=municipality).first()
        if city is None:
            raise CommandError(f"Unknown municipality {municipality!r}: run load_reference_data first.")
        rivers = {}
        for order, (slug, name_ko, name_en) in enumerate(RIVERS):
            rivers[slug], _created = River.objects.get_or_create(
                municipality=city, slug=slug, defaults={"name_ko": name_ko, "name_en": name_en, "sort_order": order}
            )
            # The car parks on the riverbank (둔치) close and reopen with the walkway.
            rivers[slug].also_closes.add(
                *Place.objects.filter(municipality=city, name_ko__startswith=f"{name_ko} 둔치")
            )
        for slug, entrances in ENTRANCES.items():
            for name_ko, name_en, latitude, longitude in entrances:
                if not RiverEntrance.objects.filter(river=rivers[slug], name_ko=name_ko).exists():
                    self._entrance(city, rivers[slug], name_ko, name_en, latitude, longitude)
        payload = json.loads(STATION_INFO.read_text(encoding="utf-8"))
        for item in hrfco.items(payload):
            info = hrfco.station_info(item)
            slug, name_en = STATIONS[info.code]
            WaterLevelStation.objects.get_or_create(
                code=info.code,
                defaults={
                    "river": rivers[slug],
                    "name_ko": info.name.split("(")[-1].rstrip(")"),
                    "name_en": name_en,
                    "illustrative": True,
                },
            )
        services.station_info_apply(payload)
        applied = sum(self._day_of_levels(station) for station in WaterLevelStation.objects.filter(illustrative=True))
        dust = self._fine_dust()
        points = self._guide_points(city, rivers)
        self.stdout.write(
            f"{city.code}: {len(rivers)} rivers, {applied} illustrative water levels added, "
            f"illustrative fine dust at {dust} stations, {points} river, point and course pages"
        )

    def _guide_points(self, city, rivers) -> int:
        """The illustrative pages under the site's 하천 가이드 section (none without it): a page per
        river, then the guide points (the heron spot with the 3D model made by
        data/rivers/models/make_heron_glb.py, its iPhone copy by make_heron_usdz.py, and a lit smart
        pole) and the walking courses. In Korean, and in English where the site has it."""
        site = city.site
        section = site.root_page.get_children().filter(slug=GUIDE_SECTION).first() if site else None
        if section is None:
            return 0
        added = self._river_pages(section, rivers)
        for point in GUIDE_POINTS:
            if section.get_children().filter(slug=point["slug"]).exists():
                continue
            fields = {key: value for key, value in point.items() if key not in ("ko", "en", "model", "river")}
            page = RiverPointPage(river=rivers[point["river"]], illustrative=True, **fields, **point["ko"])
            if point.get("model"):
                page.model_glb, page.model_usdz = (
                    self._model_document(f"{point['model']}.{extension}") for extension in ("glb", "usdz")
                )
                page.model_alt = point["ko"]["title"]
            page_publish_translated(section, page, {"en": point["en"]})
            added += 1
        return added + self._courses(section)

    def _river_pages(self, section, rivers) -> int:
        """A page per river, in Korean and in English where the site has it."""
        added = 0
        for slug, texts in RIVER_PAGES.items():
            if slug not in rivers or section.get_children().filter(slug=slug).exists():
                continue
            page = RiverPage(slug=slug, river=rivers[slug], illustrative=True, **texts["ko"])
            page_publish_translated(section, page, {"en": texts["en"]})
            added += 1
        return added

    @staticmethod
    def _model_document(name: str) -> Document:
        with (DEMO_MODELS / name).open("rb") as model:
            return Document.objects.create(title=name, file=File(model, name))

    def _courses(self, section) -> int:
        """An evening walk by both points, and a night walk by the lit one only."""
        points = {page.slug: page for page in RiverPointPage.objects.child_of(section)}
        added = 0
        for course in GUIDE_COURSES:
            if section.get_children().filter(slug=course["slug"]).exists():
                continue
            blocks = [("point", points[slug]) for slug in course["points"] if slug in points]
            page = RiverCoursePage(
                slug=course["slug"], time_of_day=course["time_of_day"], points=blocks, illustrative=True, **course["ko"]
            )
            page.clean()  # a night course only by lit points, as the editor's form checks
            page_publish_translated(section, page, {"en": course["en"]})
            added += 1
        return added

    def _fine_dust(self) -> int:
        """The illustrative AirKorea hour at every station of the station list, as of this hour
        (kept in the cache for RIVERS_AIR_KEEP_SECONDS, labelled illustrative wherever it shows)."""
        payload = json.loads(FINE_DUST.read_text(encoding="utf-8"))
        hour = timezone.now().replace(minute=0, second=0, microsecond=0)
        seeded = 0
        for station in selectors.air_stations():
            reading = air.fine_dust_latest(payload, station.name)
            if reading is not None:
                services.fine_dust_apply(dataclasses.replace(reading, measured_at=hour, illustrative=True))
                seeded += 1
        return seeded

    def _entrance(self, city, river, name_ko, name_en, latitude, longitude) -> RiverEntrance:
        place = place_create(
            municipality=city,
            kind=Place.Kind.POINT,
            name_ko=name_ko,
            name_en=name_en,
            latitude=latitude,
            longitude=longitude,
        )
        entrance = RiverEntrance.objects.create(river=river, place=place, name_ko=name_ko, name_en=name_en)
        place.owner = entrance
        place.save(update_fields=["owner_type", "owner_id"])
        return entrance

    def _day_of_levels(self, station: WaterLevelStation) -> int:
        """The last 24 hours at ten-minute steps: a calm river with a gentle daily swing, well under
        the station's first alert level."""
        now = timezone.now()
        last = now.replace(minute=now.minute - now.minute % 10, second=0, microsecond=0)
        calm = (station.attention_m or 2.0) * 0.3
        applied = 0
        for step in range(DAY_READINGS, 0, -1):
            read_at = last - timedelta(minutes=10 * (step - 1))
            level = round(calm + 0.08 * math.sin(2 * math.pi * step / DAY_READINGS), 2)
            result = services.water_level_reading_apply(
                station,
                water_level_m=level,
                read_at=read_at,
                source=WaterLevelReading.Source.ILLUSTRATIVE,
                message_id=f"{station.code}@{read_at:%Y%m%dT%H%M}",
                now=now,
            )
            applied += result.outcome != "duplicate"
        return applied
