"""/api/v1/rivers/: rivers with their walkway state, stations with the level now and HRFCO's alert
levels (unknown after 30 minutes, never a stale level as live), entrances open or closed; in the
OpenAPI schema, kept by caches briefly with an ETag. The river page and an entrance's QR code."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from apps.rivers import services
from apps.rivers.models import GateChange, WaterLevelReading

LIST = "/api/v1/rivers/"


def read(station, metres: float, *, minutes_ago: float) -> None:
    services.water_level_reading_apply(
        station,
        water_level_m=metres,
        read_at=timezone.now() - timedelta(minutes=minutes_ago),
        source=WaterLevelReading.Source.SENSOR,
        message_id=f"api-{metres}",
    )


def test_the_list_gives_each_river_its_walkway_stations_and_entrances(river, singok):
    read(singok, 2.7, minutes_ago=5)
    entrance = river.entrances.get(name_ko="중랑천 회룡교 진입로")
    services.gate_state_set(entrance, closed=True, source=GateChange.Source.GATE, message_id="g")
    answer = Client().get(LIST)
    assert answer.status_code == 200, answer.content
    [jungnang] = answer.json()
    assert (jungnang["slug"], jungnang["closing_level"], jungnang["walkway"]["closed"]) == (
        "jungnangcheon",
        "caution",
        False,
    )
    stations = {station["code"]: station for station in jungnang["stations"]}
    assert stations["1018665"]["thresholds"] == {
        "attention_m": 2.5,
        "caution_m": 3.6,
        "warning_m": 4.4,
        "serious_m": 5.0,
    }
    assert stations["1018665"]["live"]["status"] == "live"
    assert (stations["1018665"]["live"]["water_level_m"], stations["1018665"]["live"]["alert_level"]) == (
        2.7,
        "attention",
    )
    assert stations["1018666"]["live"] == {
        "status": "unknown",
        "water_level_m": None,
        "flow_m3s": None,
        "alert_level": "unknown",
        "read_at": None,
    }
    entrances = {entry["name"]: entry for entry in jungnang["entrances"]}
    assert entrances["중랑천 신곡교 진입로"]["open"] is True
    assert entrances["중랑천 회룡교 진입로"]["open"] is False
    assert "차단기가 닫혔습니다" in entrances["중랑천 회룡교 진입로"]["reason"]  # Korean, the API's default


def test_a_reading_older_than_30_minutes_is_unknown_never_live(river, singok):
    read(singok, 4.0, minutes_ago=31)
    stations = Client().get(f"{LIST}jungnangcheon/").json()["stations"]
    [station] = [station for station in stations if station["code"] == "1018665"]
    assert (station["live"]["status"], station["live"]["water_level_m"], station["live"]["alert_level"]) == (
        "unknown",
        None,
        "unknown",
    )
    assert station["live"]["read_at"] is not None  # when it was last known
    # The walkway it closed stays closed: unknown water is not a reason to reopen.
    assert Client().get(f"{LIST}jungnangcheon/").json()["walkway"]["closed"] is True


def test_a_closed_walkway_shows_on_every_entrance(river, singok):
    read(singok, 3.9, minutes_ago=1)
    answer = Client().get(f"{LIST}jungnangcheon/").json()
    assert answer["walkway"]["closed"] and answer["walkway"]["cause"] == "rule"
    assert [entry["open"] for entry in answer["entrances"]] == [False, False]


def test_an_unknown_river_is_404_and_answers_are_cached_briefly_with_an_etag(river):
    assert Client().get(f"{LIST}nope/").status_code == 404
    answer = Client().get(LIST)
    assert "max-age=15" in answer["Cache-Control"] and answer["ETag"]
    assert Client().get(LIST, headers={"if-none-match": answer["ETag"]}).status_code == 304


def test_the_endpoints_are_in_the_openapi_schema(db):
    schema = Client().get("/api/schema/", headers={"accept": "application/json"})
    text = schema.content.decode()
    for path in (
        "/api/v1/rivers/",
        "/api/v1/rivers/{slug}/",
        "/api/v1/rivers/sensors/readings",
        "/api/v1/rivers/gates/states",
    ):
        assert path in text
    assert "RiverDeviceToken" in text


def test_the_river_page_and_an_entrances_qr_code_show_the_walkway(river, singok):
    read(singok, 1.1, minutes_ago=3)
    page = Client().get("/en/rivers/jungnangcheon/")
    assert page.status_code == 200
    assert "The walkway is open." in page.content.decode() and "1.10 m" in page.content.decode()
    entrance = river.entrances.select_related("place").first()
    scan = Client().get(f"/t/{entrance.place.code}", headers={"accept-language": "en"})
    assert scan.status_code == 302 and scan["Location"].startswith("/en/rivers/jungnangcheon/")
