"""Fine dust at the AirKorea station nearest a river: the adapter on recorded answers in AirKorea's
format (an hour with nothing measured, a sensor in calibration, malformed values, an error answer,
"24:00"), the station list, and the value kept in the cache reaching the river page, the API and
the open pages over the socket without emptying the page cache."""

import dataclasses
from datetime import datetime, timedelta

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import caches
from django.utils import timezone

from apps.rivers import air, services, tasks
from apps.rivers.hrfco import SEOUL
from apps.rivers.selectors import air_stations, fine_dust_at
from portal import page_cache
from tests.rivers.conftest import RECORDED, recorded


@pytest.fixture(autouse=True)
def _recorded_stations(settings):
    settings.RIVERS_AIRKOREA_STATIONS = str(RECORDED / "airkorea-stations.json")


def test_the_newest_hour_with_its_grades_and_midnight_written_24_00():
    reading = air.fine_dust_latest(recorded("airkorea-fine-dust"), "의정부동")
    assert reading == air.FineDust(
        station="의정부동",
        measured_at=datetime(2026, 12, 6, 0, 0, tzinfo=SEOUL),
        pm10=58,
        pm25=36,
        pm10_grade=2,
        pm25_grade=3,
    )
    assert (air.grade_label(2), air.grade_label(3), air.grade_label(None)) == ("Moderate", "Unhealthy", "")


def test_an_hour_with_nothing_measured_is_skipped_and_a_sensor_in_calibration_is_none_not_zero():
    reading = air.fine_dust_latest(recorded("airkorea-fine-dust-missing"), "의정부1동")
    # 14:00 was a communication fault ("-" everywhere): 13:00 is the newest hour measured.
    assert reading.measured_at == datetime(2026, 12, 5, 13, 0, tzinfo=SEOUL)
    assert (reading.pm10, reading.pm10_grade, reading.pm25, reading.pm25_grade) == (41, 2, None, None)


def test_malformed_values_are_left_out_never_guessed():
    reading = air.fine_dust_latest(recorded("airkorea-fine-dust-malformed"), "의정부동")
    # "어제 오후" is no time: that item is skipped. At 09:00 "4x" and grade 9 are no values.
    assert reading.measured_at == datetime(2026, 12, 5, 9, 0, tzinfo=SEOUL)
    assert (reading.pm10, reading.pm10_grade, reading.pm25, reading.pm25_grade) == (None, None, 18, 2)
    with pytest.raises(air.BadAnswer, match="SERVICE KEY IS NOT REGISTERED"):
        air.fine_dust_latest(recorded("airkorea-error"), "의정부동")
    with pytest.raises(air.BadAnswer):
        air.fine_dust_latest({"html": "<title>error</title>"}, "의정부동")


def test_the_station_list_and_the_request_as_airkorea_takes_it():
    assert [(station.name, station.latitude) for station in air_stations()] == [
        ("의정부동", 37.7438),
        ("의정부1동", 37.7365),
        ("송산3동", 37.7462),
    ]
    url = air.measurements_url("https://apis.data.go.kr/", "a+b/c==", "의정부1동")
    assert url.startswith("https://apis.data.go.kr/B552584/ArpltnInforInqireSvc/getMsrstnAcctoRltmMesureDnsty?")
    assert "serviceKey=a%2Bb%2Fc%3D%3D" in url and "stationName=%EC%9D%98%EC%A0%95%EB%B6%801%EB%8F%99" in url
    assert "returnType=json" in url and "dataTerm=DAILY" in url


@pytest.mark.django_db(databases=["default", "channels"])
def test_the_nearest_stations_hour_reaches_the_page_the_api_and_open_pages_and_keeps_the_page_cache(
    client, river, settings
):
    settings.RIVERS_AIR_KEEP_SECONDS = 3 * 3600
    layer = get_channel_layer()
    open_page = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(services.river_group(river.pk), open_page)
    page = client.get("/en/rivers/jungnangcheon/").content.decode()
    assert "AirKorea has no measurement near this river now." in page
    generation = caches[page_cache.PAGE_CACHE].get("generation:site")

    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    # 중랑천's entrances are nearer 의정부1동 than 의정부동.
    reading = dataclasses.replace(
        air.fine_dust_latest(recorded("airkorea-fine-dust-missing"), "의정부1동"), measured_at=hour
    )
    assert services.fine_dust_apply(reading) == "applied"
    assert services.fine_dust_apply(reading) == "older"
    stale = dataclasses.replace(reading, station="의정부동", measured_at=timezone.now() - timedelta(hours=4))
    assert services.fine_dust_apply(stale) == "stale" and fine_dust_at("의정부동") is None

    assert caches[page_cache.PAGE_CACHE].get("generation:site") == generation  # no page emptied
    pushed = async_to_sync(layer.receive)(open_page)
    assert (pushed["type"], pushed["station"], pushed["pm10"], pushed["pm25"]) == ("air.changed", "의정부1동", 41, None)

    # The page kept before lives its minute (open pages got the push); one rendered after shows it.
    assert "AirKorea has no measurement" in client.get("/en/rivers/jungnangcheon/").content.decode()
    page_cache.new_generations(page_cache.SITE)
    page = client.get("/en/rivers/jungnangcheon/").content.decode()
    seoul_hour = hour.astimezone(SEOUL)
    assert "PM10 (fine dust) <strong>41 µg/m³</strong> (Moderate)" in page
    assert "PM2.5 (ultrafine dust) <strong>not measured</strong>" in page
    assert f"의정부1동 station, measured at {seoul_hour:%Y-%m-%d %H:%M}" in page
    [answer] = client.get("/api/v1/rivers/", HTTP_ACCEPT="application/json", HTTP_ACCEPT_LANGUAGE="en").json()
    assert datetime.fromisoformat(answer["air"].pop("measured_at")) == hour
    assert answer["air"] == {
        "station": "의정부1동",
        "pm10": 41,
        "pm25": None,
        "pm10_grade": 2,
        "pm25_grade": None,
        "pm10_grade_label": "Moderate",
        "pm25_grade_label": "",
        "illustrative": False,
    }


def test_the_pull_is_off_without_a_key_and_a_station_that_cannot_be_reached_is_said(settings, river):
    settings.RIVERS_AIRKOREA_KEY = ""
    assert tasks.pull_airkorea_fine_dust() == "RIVERS_AIRKOREA_KEY is not set: nothing pulled"
    settings.RIVERS_AIRKOREA_KEY = "KEY"
    settings.RIVERS_AIRKOREA_URL = "http://127.0.0.1:9"  # nothing listens on the discard port
    assert tasks.pull_airkorea_fine_dust() == "의정부1동 failed"
    assert tasks.fine_dust_pull("의정부1동", {"response": {"header": {"resultCode": "00"}, "body": {"items": []}}}) == (
        "nothing measured"
    )
