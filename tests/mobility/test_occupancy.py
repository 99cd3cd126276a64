"""Live free spaces: the sensor push endpoint (a token per device, idempotent, out-of-order safe,
implausible counts refused, bursts limited, attacks answered 4xx), the KOTSA realtime pull, and
counts turning to "unknown" when readings stop."""

import json
from datetime import datetime, timedelta

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.test import Client
from django.utils import timezone

from apps.mobility import services
from apps.mobility.fees import SEOUL
from apps.mobility.models import CarPark, CarParkSource, OccupancyReading
from apps.mobility.selectors import LiveStatus, free_now, nearest_with_space, typical_occupancy
from apps.mobility.tasks import pull_kotsa_realtime, realtime_apply
from tests.mobility.conftest import recorded

URL = "/api/v1/mobility/sensors/readings"


@pytest.fixture
def device(station_east):
    device, token = services.sensor_device_create(station_east, name="동부 입구 게이트")
    return device, token


def push(token: str, body, *, client=None, raw: bytes | None = None, content_type="application/json"):
    client = client or Client()
    data = raw if raw is not None else json.dumps(body)
    headers = {"authorization": f"Bearer {token}", "accept-language": "en"}
    return client.post(URL, data=data, content_type=content_type, headers=headers)


def reading(station_east, free: int, *, minutes_ago: float = 0, message_id: str = "m1") -> dict:
    read_at = timezone.now() - timedelta(minutes=minutes_ago)
    return {
        "car_park": station_east.place.code,
        "free_spaces": free,
        "read_at": read_at.isoformat(),
        "message_id": message_id,
    }


def current(station_east) -> tuple[int | None, object]:
    station_east.refresh_from_db()
    return station_east.free_spaces, station_east.free_spaces_read_at


def test_a_device_token_is_stored_only_as_its_hash_and_a_wrong_one_is_refused(station_east, device):
    stored, token = device
    assert token not in stored.token_hash and len(stored.token_hash) == 64
    assert push("not-the-token", reading(station_east, 40)).status_code == 401
    assert Client().post(URL, data=reading(station_east, 40), content_type="application/json").status_code in (401, 403)
    stored.is_active = False
    stored.save()
    assert push(token, reading(station_east, 40)).status_code == 401
    assert current(station_east) == (None, None)


def test_a_reading_is_applied_once_and_an_older_one_never_overwrites_it(station_east, device):
    _stored, token = device
    first = push(token, reading(station_east, 40, minutes_ago=1, message_id="a1"))
    assert (first.status_code, first.json()["outcome"], first.json()["free_spaces"]) == (201, "applied", 40)

    again = push(token, reading(station_east, 40, minutes_ago=1, message_id="a1"))
    assert (again.status_code, again.json()["outcome"]) == (200, "duplicate")

    late = push(token, reading(station_east, 10, minutes_ago=3, message_id="a0"))  # sent late, read earlier
    assert (late.status_code, late.json()["outcome"], late.json()["free_spaces"]) == (200, "older", 40)
    assert current(station_east)[0] == 40
    assert OccupancyReading.objects.filter(car_park=station_east).count() == 2  # both kept as history

    newer = push(token, reading(station_east, 38, message_id="a2"))
    assert (newer.status_code, current(station_east)[0]) == (201, 38)


@pytest.mark.parametrize(
    ("free", "minutes_ago", "reason"),
    [
        (-1, 0, "Free spaces cannot be negative."),
        (161, 0, "161 free spaces is more than the car park's 160 spaces."),
        (20, -10, "The reading time is in the future: check the device's clock."),
        (20, 3 * 24 * 60, "The reading is more than two days old."),
        # 40 → 150 within a minute: more than 60 cars a minute through the gates.
        (150, 0, "From 40 to 150 free spaces in 1.0 minutes is more cars than the gates pass."),
    ],
)
def test_implausible_counts_are_refused_with_the_reason(station_east, device, free, minutes_ago, reason):
    _stored, token = device
    push(token, reading(station_east, 40, minutes_ago=1, message_id="base"))
    answer = push(token, reading(station_east, free, minutes_ago=minutes_ago, message_id="odd"))
    assert (answer.status_code, answer.json()["detail"]) == (422, reason)
    assert current(station_east)[0] == 40


def test_a_burst_from_one_device_is_limited(station_east, device, settings):
    settings.MOBILITY_SENSOR_PUSHES_PER_MINUTE = 3
    _stored, token = device
    codes = [push(token, reading(station_east, 40, message_id=f"b{n}")).status_code for n in range(5)]
    assert codes == [201, 201, 201, 429, 429]


@pytest.mark.parametrize(
    "raw",
    [
        b"[" * 1000 + b"]" * 1000,  # nested past the parser's depth, within the size limit
        b'{"car_park": "' + b"A" * 5000 + b'"}',  # oversized
        b"[1, 2, 3]",
        b"not json",
        b'{"car_park": "X", "free_spaces": NaN, "read_at": "2026-01-01T00:00:00+09:00", "message_id": "n"}',
        b'{"free_spaces": {"nested": [1]}, "car_park": ["A"], "read_at": 5, "message_id": "x"}',
    ],
)
def test_malformed_bodies_are_4xx(station_east, device, raw):
    _stored, token = device
    assert 400 <= push(token, None, raw=raw).status_code < 500


@pytest.mark.parametrize(
    "change",
    [
        {"free_spaces": 10**30},
        {"free_spaces": 1e308},
        {"free_spaces": True},
        {"free_spaces": "12"},  # text is read as the number it says
        {"message_id": "line\nbreak\x00"},
        {"message_id": "ㄱ" * 101},
        {"read_at": "yesterday"},
        {"read_at": "9999-12-31T23:59:59+14:00"},
        {"read_at": "0001-01-01T00:00:00"},  # no offset: Seoul's, before year 1 in UTC
        {"car_park": "ZZZZZZ"},  # another car park (of this or another city)
    ],
)
def test_absurd_values_and_another_car_parks_code_are_refused(station_east, device, change):
    _stored, token = device
    answer = push(token, {**reading(station_east, 40), **change})
    if change == {"free_spaces": "12"}:
        assert answer.status_code == 201
    else:
        assert 400 <= answer.status_code < 500
    assert answer.status_code == 201 or current(station_east) == (None, None)


def test_a_wrong_content_type_is_415(station_east, device):
    _stored, token = device
    assert push(token, None, raw=b"free=1", content_type="application/x-www-form-urlencoded").status_code == 415


def test_a_count_older_than_the_threshold_is_unknown_not_live(station_east, settings):
    settings.MOBILITY_LIVE_SECONDS = 15 * 60
    read_at = timezone.now() - timedelta(minutes=10)
    services.occupancy_reading_apply(
        station_east, free_spaces=25, read_at=read_at, source=OccupancyReading.Source.SENSOR, message_id="s"
    )
    live = free_now(station_east, now=read_at + timedelta(minutes=14))
    assert (live.status, live.free_spaces) == (LiveStatus.LIVE, 25)
    stale = free_now(station_east, now=read_at + timedelta(minutes=16))
    assert (stale.status, stale.free_spaces, stale.read_at) == (LiveStatus.UNKNOWN, None, read_at)


def test_the_kotsa_realtime_pull_applies_the_counts_of_linked_car_parks(city, station_east, settings):
    settings.MOBILITY_KOTSA_REALTIME_URL = ""
    assert pull_kotsa_realtime() == "MOBILITY_KOTSA_REALTIME_URL is not set: nothing pulled"
    services.kotsa_import(city, recorded("PrkSttusInfo"), source=CarParkSource.Source.KOTSA_FACILITY)

    counts = realtime_apply(recorded("PrkRealtimeInfo"))

    # East is linked to its KOTSA id; the Busan id is not ours; -4 free is not a count.
    assert counts == {"applied": 1, "older": 0, "duplicate": 0, "refused": 0, "unknown": 1, "bad": 1}
    assert current(station_east)[0] == 37
    hoeryong = CarPark.objects.get(stable_id="kotsa-facility:11680-11905-00099-00-1")
    assert hoeryong.free_spaces is None
    # The same answer pulled again within the minute is the same message.
    assert realtime_apply(recorded("PrkRealtimeInfo"))["duplicate"] == 1


@pytest.mark.django_db(databases=["default", "channels"])
def test_an_applied_count_is_pushed_to_the_car_parks_group_and_the_citys(
    station_east, django_capture_on_commit_callbacks
):
    layer = get_channel_layer()
    car_park_page, city_board = (async_to_sync(layer.new_channel)() for _ in range(2))
    async_to_sync(layer.group_add)(services.car_park_group(station_east.pk), car_park_page)
    async_to_sync(layer.group_add)(services.city_car_parks_group(station_east.municipality_id), city_board)
    read_at = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        services.occupancy_reading_apply(
            station_east, free_spaces=12, read_at=read_at, source=OccupancyReading.Source.SENSOR, message_id="p"
        )

    expected = {
        "type": "free_spaces.changed",
        "car_park": station_east.place.code,
        "free_spaces": 12,
        "read_at": read_at.isoformat(),
    }
    assert async_to_sync(layer.receive)(car_park_page) == expected
    assert async_to_sync(layer.receive)(city_board) == expected


def test_typical_occupancy_by_weekday_and_hour_and_the_nearest_with_space(city, station_east):
    monday_9 = datetime(2026, 11, 30, 9, 10, tzinfo=SEOUL)
    for message, (free, minutes) in enumerate([(40, 0), (80, 20), (150, 24 * 60 + 60)]):
        services.occupancy_reading_apply(
            station_east,
            free_spaces=free,
            read_at=monday_9 + timedelta(minutes=minutes),
            source=OccupancyReading.Source.SENSOR,
            message_id=str(message),
            now=monday_9 + timedelta(minutes=minutes),
        )
    # Monday 09:00-10:00: 60 free of 160 on average, 62.5 % taken; Tuesday 10:00: 10 free.
    typical = typical_occupancy(station_east, weeks=520)
    assert typical == {1: {9: 0.625}, 2: {10: 0.062}}
    # The last count (150 free) was read long ago: not promised as space now.
    assert nearest_with_space(city, 37.7388, 127.0482) == []
    services.occupancy_reading_apply(
        station_east, free_spaces=140, read_at=timezone.now(), source=OccupancyReading.Source.SENSOR, message_id="now"
    )
    assert [entry.car_park for entry in nearest_with_space(city, 37.7388, 127.0482)] == [station_east]
