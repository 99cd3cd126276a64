"""The trails list for walkers: filters by length, walking time, difficulty and this season's
highlights; "near me" (a location or a station picked without JavaScript) sorting trails by
distance; the recommendation for the time a walker has from where they are; and on each trail page
the station and bus stop nearest its start and end, from the city's data files."""

import pytest
from wagtail.models import Locale

from apps.places.services import closure_create
from apps.trails import services, transit
from apps.trails.list_selectors import current_season
from apps.trails.models import TrailMarker, TrailPage
from apps.trails.track import Point

pytestmark = pytest.mark.django_db

# Mangwolsa Station in data/reference/uijeongbu/railway-stations.csv, and the bus stop of that
# name in data/opendata/bus-stops.csv.
MANGWOLSA = (37.71028, 127.04750)
MANGWOLSA_BUS = (37.710400, 127.048200)


@pytest.fixture
def station_trail(trails_index) -> TrailPage:
    """A flat 1.5 km stream-side walk from Mangwolsa Station north towards Hoeryong Station, some
    4 km east of the hand-worked trail."""
    page = TrailPage(
        title="Ssangdungi-gil",
        slug="ssangdungi-gil",
        summary="하천길",
        start_name="망월사역",
        end_name="회룡역",
        course_number=8,
    )
    points = [Point(37.7105 + step * 0.00135, 127.0472, 50.0) for step in range(11)]
    services.trail_track_set(page, points, approximate=True)
    trails_index.add_child(instance=page)
    page.save_revision().publish()
    english = page.copy_for_translation(Locale.objects.get(language_code="en"))
    english.title, english.start_name, english.end_name = "Ssangdungi-gil", "Mangwolsa Station", "Hoeryong Station"
    english.save()
    english.save_revision().publish()
    return page


def listing(client, query: str = "") -> str:
    response = client.get(f"/en/trails/{query}")
    assert response.status_code == 200, response
    return response.content.decode().split('id="courses-title"', 1)[1]


def test_filters_keep_the_trails_that_fit_and_the_address_stays_canonical(client, trail):
    # The hand-worked trail: 3.0 km, 40 minutes, easy.
    assert "Myeongsang-gil" in listing(client)
    for query in ["?time=60", "?length=short", "?difficulty=easy", "?time=60&length=short&difficulty=easy"]:
        assert "Myeongsang-gil" in listing(client, query), query
    for query in ["?time=60&length=medium", "?length=long", "?difficulty=hard"]:
        html = listing(client, query)
        assert "Myeongsang-gil" not in html and "No trail matches these filters." in html, query

    # This season's highlights: only trails with a marker that has ecology for the season now in Korea.
    assert "Myeongsang-gil" not in listing(client, "?season=1")
    marker = trail.markers.get(number=2)
    season_block = TrailMarker._meta.get_field("ecology").stream_block.child_blocks["season"]
    marker.ecology = [
        ("season", season_block.to_python({"season": current_season(), "flowers": {"ko": "동백", "en": "Camellias"}}))
    ]
    marker.save()
    html = listing(client, "?difficulty=easy&season=1")
    assert "Myeongsang-gil" in html and "highlights this season" in html

    # Empty fields, values not understood and a location finer than ~100 m all go to one address.
    redirects = {
        "?time=&from=&near=&length=&difficulty=": "/en/trails/",
        "?time=abc&near=999,999&difficulty=impossible&from=nowhere": "/en/trails/",
        "?difficulty=easy&time=60": "/en/trails/?time=60&difficulty=easy",
        "?near=37.70012345,%20127.0000001&season=on": "/en/trails/?near=37.700%2C127.000&season=1",
    }
    for query, target in redirects.items():
        response = client.get(f"/en/trails/{query}")
        assert (response.status_code, response["Location"]) == (302, target), query
        assert client.get(target).status_code == 200
    oversized = client.get("/en/trails/?near=" + "1" * 5000 + "&time=60")
    assert (oversized.status_code, oversized["Location"]) == (302, "/en/trails/?time=60")
    assert client.get("/en/trails/?time=\x00").status_code == 400


def test_near_me_sorts_by_distance_and_the_recommendation_fits_the_time_from_there(client, trail, station_trail):
    by_mangwolsa = listing(client, "?near=37.710%2C127.047")
    assert by_mangwolsa.index("Ssangdungi-gil") < by_mangwolsa.index("Myeongsang-gil")
    assert "from you at its nearest point" in by_mangwolsa
    by_hand_trail = listing(client, "?near=37.700%2C127.000")
    assert by_hand_trail.index("Myeongsang-gil") < by_hand_trail.index("Ssangdungi-gil")

    # An hour from Mangwolsa Station (picked from the list, no location shared): the station trail
    # (1.5 km, at the station) fits; the hand-worked one (40 min of walking, 4 km away by bus or
    # train) does not.
    response = client.get("/en/trails/?time=60&from=mangwolsa")
    page = response.content.decode()
    recommended = page.split('id="recommended-title"', 1)[1].split('id="courses-title"', 1)[0]
    assert "Best for your 1 h, from where you are" in recommended
    assert "Ssangdungi-gil" in recommended and "Myeongsang-gil" not in recommended
    assert "from Mangwolsa Station: about" in recommended and "on foot" in recommended
    assert "Nearest station to the start: Mangwolsa Station" in recommended

    # Two hours from the hand-worked trail's start: both fit, the one you stand at first.
    recommended = listing_recommended(client, "?time=120&near=37.700%2C127.000")
    assert recommended.index("Myeongsang-gil") < recommended.index("Ssangdungi-gil")
    assert "by bus or train" in recommended

    # A trail closed as a whole is never recommended.
    closure_create(page=trail, reason_ko="산사태", reason_en="Landslide", severity="closed")
    assert "Myeongsang-gil" not in listing_recommended(client, "?time=120&near=37.701%2C127.000")


def listing_recommended(client, query: str) -> str:
    return (
        client.get(f"/en/trails/{query}")
        .content.decode()
        .split('id="recommended-title"', 1)[1]
        .split('id="courses-title"', 1)[0]
    )


def test_the_trail_page_names_the_station_and_bus_stop_nearest_its_start_and_end(client, station_trail):
    html = client.get("/en/trails/ssangdungi-gil/").content.decode()
    getting_there = html.split('id="getting-there-title"', 1)[1].split("</section>", 1)[0]
    start, end = getting_there.split("<dt>")[1:3]
    assert "Station: Mangwolsa Station (1호선), 36 m, about 1 min on foot" in start
    assert "Bus stop: 망월사역, 89 m, about 1 min on foot" in start
    assert "Station: Hoeryong Station (1호선 · 의정부경전철)" in end


def test_nearest_stops_come_from_the_data_files_with_walking_time():
    station = transit.nearest_station(*MANGWOLSA)
    assert station.stop.name_ko == "망월사역" and station.distance_m == pytest.approx(0, abs=0.1)
    bus = transit.nearest_bus_stop(MANGWOLSA[0] + 0.009, MANGWOLSA[1])  # 1 km north: 회룡역 stop is nearer
    assert bus.stop.name_ko != "망월사역"
    # 1 km as the crow flies is 1.3 km of streets at Tobler's 5.04 km/h on the flat: 15.5 minutes.
    assert transit.walking_minutes(1000) == pytest.approx(1300 / (6000 * 2.718281828**-0.175 / 60), rel=1e-6)
    assert transit.nearest_station(33.45, 126.56) is None  # Jeju: nothing within 3 km
