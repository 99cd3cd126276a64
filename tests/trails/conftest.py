"""A small trail to test against: four points 1 km apart along a meridian (the track worked out by
hand in test_track.py), three markers, a Korean page and its English translation, under the trails
index that the demo site's /trails/ section becomes."""

from collections.abc import Iterator

import pytest
from django.core.management import call_command
from wagtail.models import Locale

from apps.trails import services
from apps.trails.models import TrailMarker, TrailPage
from apps.trails.track import Point
from tests.package_data import loaded_for_the_package

# 0.009° of latitude is 1,000.754 m on the 6,371 km sphere.
HAND_TRACK = [
    Point(37.700, 127.0, 100.0),
    Point(37.709, 127.0, 200.0),
    Point(37.718, 127.0, 197.0),
    Point(37.727, 127.0, 201.0),
]

INDEX_TEXTS = {
    "ko": {"title": "소풍길", "summary": "걷기 좋은 길", "intro": "<p>소개</p>"},
    "en": {"title": "Sopung-gil trails", "summary": "Walks", "intro": "<p>About</p>"},
}


def gpx_of(points, *, name="test") -> bytes:
    rows = "".join(f'<trkpt lat="{p.latitude}" lon="{p.longitude}"><ele>{p.elevation}</ele></trkpt>' for p in points)
    return (
        '<?xml version="1.0" encoding="UTF-8"?><gpx version="1.1" creator="test" '
        f'xmlns="http://www.topografix.com/GPX/1/1"><trk><name>{name}</name><trkseg>{rows}</trkseg></trk></gpx>'
    ).encode()


@pytest.fixture(scope="package")
def shared_city_id(django_db_setup, django_db_blocker) -> Iterator[int]:
    """The reference data and the demo site, loaded once for the whole package instead of once per
    test: in a transaction that each test's own (a savepoint inside it) rolls back to, so no test
    sees another's changes, and that is rolled back after the package, so no other package sees it."""
    from apps.municipalities.models import Municipality

    def load() -> int:
        call_command("load_reference_data", verbosity=0)
        call_command("load_demo_data", verbosity=0)
        return Municipality.objects.get(code="uijeongbu").pk

    yield from loaded_for_the_package(django_db_blocker, load)


@pytest.fixture
def city(shared_city_id, db):
    """tests/conftest.py's city, from the package's shared data."""
    from apps.municipalities.models import Municipality

    return Municipality.objects.get(pk=shared_city_id)


@pytest.fixture
def demo_site(city):
    """tests/conftest.py's demo site, from the package's shared data."""
    return city.site


@pytest.fixture
def trails_index(demo_site):
    return services.trail_index_install(demo_site.root_page.specific, texts=INDEX_TEXTS)


@pytest.fixture
def trail(trails_index) -> TrailPage:
    page = TrailPage(
        title="명상의길",
        slug="myeongsang-gil",
        summary="숲길",
        start_name="망월사역",
        end_name="의정부시청",
        course_number=1,
    )
    services.trail_track_set(page, HAND_TRACK, approximate=True)
    page.markers = [
        TrailMarker(number=1, name_ko="출발점", name_en="Start", latitude=37.700, longitude=127.0, is_stamp_point=True),
        # 30 m east of the track: snapped onto it, 1 km from the start.
        TrailMarker(number=2, name_ko="쉼터", name_en="Rest area", latitude=37.709, longitude=127.00034),
        TrailMarker(number=3, name_ko="도착점", name_en="Finish", latitude=37.727, longitude=127.0),
    ]
    services.trail_markers_prepare(page, site_page=trails_index)
    trails_index.add_child(instance=page)
    page.save_revision().publish()
    english = page.copy_for_translation(Locale.objects.get(language_code="en"))
    english.title, english.summary, english.start_name, english.end_name = (
        "Myeongsang-gil",
        "Forest path",
        "Mangwolsa Station",
        "City Hall",
    )
    english.save()
    english.save_revision().publish()
    return TrailPage.objects.get(pk=page.pk)
