"""/api/v1/mobility/car-parks/: free spaces now with their status, filters, the detail by code, the
KOTSA-shaped feed, the OpenAPI schema and the caching headers."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from apps.mobility import services
from apps.mobility.models import CarPark, OccupancyReading
from apps.places.models import Closure
from apps.places.services import closure_create, closure_lift

LIST = "/api/v1/mobility/car-parks/"
STATION = "37.7381,127.0460"  # between the two 의정부역 car parks


def live(car_park: CarPark, free: int) -> None:
    services.occupancy_reading_apply(
        car_park, free_spaces=free, read_at=timezone.now(), source=OccupancyReading.Source.SENSOR, message_id="t"
    )


def names(answer) -> list[str]:
    assert answer.status_code == 200, answer.content
    return [car_park["name"] for car_park in answer.json()]


def test_the_list_gives_every_car_park_with_its_live_status_hours_and_fees(station_east):
    live(station_east, 42)
    answer = Client().get(LIST)
    by_id = {car_park["stable_id"]: car_park for car_park in answer.json()}
    assert len(by_id) == 58
    east = by_id["366-001-1"]
    assert east["live"]["status"] == "live" and east["live"]["free_spaces"] == 42
    assert east["code"] == station_east.place.code
    assert east["fees"]["base_fee"] == 600 and east["fees"]["discounts"]["ev"] == 0
    assert east["hours"]["weekday"] == {"opens": "00:00:00", "closes": "23:59:00"}
    assert by_id["366-002-1"]["live"] == {"status": "unknown", "free_spaces": None, "read_at": None}
    assert "max-age=30" in answer["Cache-Control"]
    assert Client().get(LIST, headers={"if-none-match": answer["ETag"]}).status_code == 304


def test_filters_combine_nearest_first(city, station_east):
    near = Client().get(LIST, {"near": STATION, "radius_m": 500}).json()
    distances = [car_park["distance_m"] for car_park in near]
    assert distances == sorted(distances) and 0 < len(distances) < 58 and distances[-1] <= 500
    assert "의정부역 동부 공영주차장" in [car_park["name"] for car_park in near]
    assert names(Client().get(LIST, {"near": STATION, "radius_m": 500, "has_space": "true"})) == []
    live(station_east, 3)
    assert names(Client().get(LIST, {"near": STATION, "radius_m": 500, "has_space": "true"})) == [
        "의정부역 동부 공영주차장"
    ]
    station_east.spaces_ev = 4
    station_east.save()
    assert names(Client().get(LIST, {"ev": "true"})) == ["의정부역 동부 공영주차장"]
    free = set(names(Client().get(LIST, {"free": "true"})))
    assert free == set(CarPark.objects.filter(is_free=True).values_list("name_ko", flat=True))
    accessible = names(Client().get(LIST, {"accessible": "true"}))
    assert len(accessible) == CarPark.objects.filter(has_accessible_bays=True).count()


def test_a_stale_count_is_unknown_and_does_not_count_as_space(station_east):
    services.occupancy_reading_apply(
        station_east,
        free_spaces=50,
        read_at=timezone.now() - timedelta(minutes=20),
        source=OccupancyReading.Source.SENSOR,
        message_id="old",
    )
    answer = Client().get(f"{LIST}{station_east.place.code}/")
    assert answer.json()["live"]["status"] == "unknown" and answer.json()["live"]["free_spaces"] is None
    assert names(Client().get(LIST, {"near": STATION, "radius_m": 500, "has_space": "true"})) == []


def test_a_closure_of_its_place_closes_the_car_park_until_lifted(station_east, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        closure = closure_create(place=station_east.place, reason_ko="중랑천 범람", reason_en="Flood")
    answer = Client().get(f"{LIST}{station_east.place.code}/").json()
    assert (answer["is_open"], answer["closed_by_event"], answer["closed_reason"]) == (False, True, "중랑천 범람")
    assert "의정부역 동부 공영주차장" not in names(Client().get(LIST, {"open_now": "true"}))
    with django_capture_on_commit_callbacks(execute=True):
        closure_lift(closure)
    answer = Client().get(f"{LIST}{station_east.place.code}/").json()
    assert (answer["is_open"], answer["closed_by_event"], answer["closed_reason"]) == (True, False, "")


@pytest.mark.parametrize(
    "query",
    [{"near": "north"}, {"near": "91,127"}, {"near": "nan,inf"}, {"radius_m": "-5"}, {"ev": "maybe"}],
)
def test_impossible_filters_are_400(city, query):
    assert Client().get(LIST, query).status_code == 400


def test_an_unknown_code_is_404(city):
    assert Client().get(f"{LIST}NOPE/").status_code == 404
    assert Client().get(f"{LIST}{'X' * 300}/").status_code == 404


def test_the_kotsa_shaped_feed_reads_like_prk_realtime_info(station_east):
    live(station_east, 7)
    answer = Client().get("/api/v1/mobility/feeds/kotsa-realtime").json()
    assert (answer["resultCode"], answer["totalCount"]) == ("0", "58")
    east = next(item for item in answer["PrkRealtimeInfo"] if item["prk_center_id"] == "366-001-1")
    assert (east["pkfc_ParkingLots_total"], east["pkfc_Available_ParkingLots_total"]) == ("160", "7")
    other = next(item for item in answer["PrkRealtimeInfo"] if item["prk_center_id"] == "366-002-1")
    assert other["pkfc_Available_ParkingLots_total"] == ""


def test_the_endpoints_are_in_the_openapi_schema(city):
    paths = Client().get("/api/schema/", {"format": "json"}).json()["paths"]
    assert {
        "/api/v1/mobility/car-parks/",
        "/api/v1/mobility/car-parks/{code}/",
        "/api/v1/mobility/feeds/kotsa-realtime",
        "/api/v1/mobility/sensors/readings",
    } <= paths.keys()
    assert {"201", "401", "413", "422", "429"} <= paths["/api/v1/mobility/sensors/readings"]["post"]["responses"].keys()


def test_a_closure_scheduled_ahead_closes_the_car_park_when_it_begins(station_east):
    starts = timezone.now() + timedelta(hours=1)
    closure_create(place=station_east.place, reason_ko="둔치 침수 우려", starts_at=starts)
    assert services.car_park_closures_sync() == 0  # not yet
    Closure.objects.filter(place=station_east.place).update(starts_at=timezone.now() - timedelta(minutes=1))
    assert services.car_park_closures_sync() == 1
    station_east.refresh_from_db()
    assert (station_east.closed_by_event, station_east.closed_reason) == (True, "둔치 침수 우려")
    assert services.car_park_closures_sync() == 0
