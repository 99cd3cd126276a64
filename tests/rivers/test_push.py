"""The push endpoints of the city's own devices: a level sensor's readings and a gate system's
states, each with a token per device (stored only as its hash), idempotent by message id, safe
when messages arrive out of order, refusing bad payloads with a reason, and limiting bursts."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from apps.rivers import services
from apps.rivers.models import GateChange, WaterLevelReading

READINGS = "/api/v1/rivers/sensors/readings"
GATES = "/api/v1/rivers/gates/states"


@pytest.fixture
def sensor(singok):
    return services.river_device_create(name="신곡교 수위계", station=singok)


@pytest.fixture
def entrance(river):
    return river.entrances.select_related("place").get(name_ko="중랑천 신곡교 진입로")


@pytest.fixture
def gate(entrance):
    return services.river_device_create(name="신곡교 진입 차단기", entrance=entrance)


def post(url: str, token: str, body=None, *, raw: bytes | None = None, content_type="application/json", headers=None):
    data = raw if raw is not None else json.dumps(body)
    headers = {"authorization": f"Bearer {token}", "accept-language": "en", **(headers or {})}
    return Client().post(url, data=data, content_type=content_type, headers=headers)


def level(metres: float, *, minutes_ago: float = 0, message_id: str = "m1", station: str = "1018665") -> dict:
    read_at = timezone.now() - timedelta(minutes=minutes_ago)
    return {"station": station, "water_level_m": metres, "read_at": read_at.isoformat(), "message_id": message_id}


def gate_state(entrance, state: str, *, minutes_ago: float = 0, message_id: str = "g1") -> dict:
    at = timezone.now() - timedelta(minutes=minutes_ago)
    return {"entrance": entrance.place.code, "state": state, "at": at.isoformat(), "message_id": message_id}


def test_a_token_is_stored_only_as_its_hash_and_a_wrong_or_disabled_one_is_refused(singok, sensor, gate):
    stored, token = sensor
    assert token not in stored.token_hash and len(stored.token_hash) == 64
    assert post(READINGS, "not-the-token", level(1.2)).status_code == 401
    assert post(READINGS, "a b", level(1.2)).status_code == 401
    assert Client().post(READINGS, data=level(1.2), content_type="application/json").status_code in (401, 403)
    # A gate system's token does not push water levels.
    assert post(READINGS, gate[1], level(1.2)).status_code == 403
    stored.is_active = False
    stored.save()
    assert post(READINGS, token, level(1.2)).status_code == 401
    assert not singok.readings.exists()


def test_a_reading_is_stored_once_and_an_older_one_never_replaces_the_current(singok, sensor):
    _stored, token = sensor
    first = post(READINGS, token, level(1.2, minutes_ago=1, message_id="a1"))
    assert (first.status_code, first.json()) == (
        201,
        {"outcome": "applied", "alert_level": "normal", "walkway_closed": False},
    )
    again = post(READINGS, token, level(1.2, minutes_ago=1, message_id="a1"))
    assert (again.status_code, again.json()["outcome"]) == (200, "duplicate")
    late = post(READINGS, token, level(4.9, minutes_ago=5, message_id="a0"))  # sent late, read earlier
    assert (late.status_code, late.json()["outcome"], late.json()["walkway_closed"]) == (200, "older", False)
    singok.refresh_from_db()
    assert singok.water_level_m == 1.2
    assert WaterLevelReading.objects.filter(station=singok).count() == 2  # both kept as history


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"water_level_m": 31.0}, "A water level of 31.0 m is outside what a gauge here can read (-5.0 to 30.0 m)."),
        ({"water_level_m": -6}, "A water level of -6.0 m is outside what a gauge here can read (-5.0 to 30.0 m)."),
        ({"read_at": "2099-01-01T00:00:00+09:00"}, "The reading time is in the future: check the device's clock."),
        ({"read_at": "2020-01-01T00:00:00+09:00"}, "The reading is more than two days old."),
    ],
)
def test_an_impossible_level_or_time_is_refused_with_the_reason(singok, sensor, change, reason):
    answer = post(READINGS, sensor[1], {**level(1.2), **change})
    assert (answer.status_code, answer.json()["detail"]) == (422, reason)
    assert not singok.readings.exists()


@pytest.mark.parametrize(
    "raw",
    [
        b"[" * 1000 + b"]" * 1000,  # nested past the parser's depth, within the size limit
        b'{"station": "' + b"1" * 5000 + b'"}',  # larger than a reading
        b"[1, 2, 3]",
        b"not json",
        b'{"station": "1018665", "water_level_m": NaN, "read_at": "2026-01-01T00:00:00+09:00", "message_id": "n"}',
        b'{"water_level_m": {"nested": [1]}, "station": ["A"], "read_at": 5, "message_id": "x"}',
        b'{"station": "1018665\\u0000", "water_level_m": 1, "read_at": "2026-01-01T00:00:00", "message_id": "z"}',
    ],
)
def test_malformed_bodies_are_4xx(singok, sensor, raw):
    assert 400 <= post(READINGS, sensor[1], raw=raw).status_code < 500
    assert not singok.readings.exists()


@pytest.mark.parametrize(
    "change",
    [
        {"water_level_m": 10**30},
        {"water_level_m": True},
        {"water_level_m": "1e400"},
        {"message_id": "line\nbreak"},
        {"message_id": "\x07bell"},
        {"message_id": "ㄱ" * 101},
        {"read_at": "yesterday"},
        {"read_at": "0001-01-01T00:00:00"},  # no offset: Seoul's, before year 1 in UTC
        {"station": "1018666"},  # another station
        {"flow_m3s": -1},
    ],
)
def test_absurd_values_and_another_stations_code_are_refused(singok, sensor, change):
    answer = post(READINGS, sensor[1], {**level(1.2), **change})
    assert 400 <= answer.status_code < 500
    assert not singok.readings.exists()


def test_a_burst_from_one_device_is_limited_whatever_address_it_claims(singok, sensor, settings):
    settings.RIVERS_DEVICE_PUSHES_PER_MINUTE = 3
    codes = [
        post(
            READINGS, sensor[1], level(1.2, message_id=f"b{n}"), headers={"x-forwarded-for": f"10.0.0.{n}"}
        ).status_code
        for n in range(5)
    ]
    assert codes == [201, 201, 201, 429, 429]


def test_a_wrong_content_type_is_415(sensor):
    assert post(READINGS, sensor[1], raw=b"wl=1", content_type="application/x-www-form-urlencoded").status_code == 415


def test_a_gate_closes_and_reopens_its_entrance_and_late_or_repeated_messages_change_nothing(entrance, gate):
    _stored, token = gate
    closed = post(GATES, token, gate_state(entrance, "closed", minutes_ago=2, message_id="g1"))
    assert (closed.status_code, closed.json()) == (201, {"outcome": "applied", "entrance_open": False})
    entrance.refresh_from_db()
    assert entrance.gate_closed and entrance.gate_closure.place_id == entrance.place_id
    assert (
        post(GATES, token, gate_state(entrance, "closed", minutes_ago=2, message_id="g1")).json()["outcome"]
        == "duplicate"
    )
    # An "open" timed before the close arrives late: kept, not applied.
    late = post(GATES, token, gate_state(entrance, "open", minutes_ago=3, message_id="g0"))
    assert (late.status_code, late.json()) == (200, {"outcome": "older", "entrance_open": False})
    opened = post(GATES, token, gate_state(entrance, "open", message_id="g2"))
    assert (opened.status_code, opened.json()) == (201, {"outcome": "applied", "entrance_open": True})
    assert list(GateChange.objects.filter(entrance=entrance).order_by("at").values_list("closed", "applied")) == [
        (False, False),
        (True, True),
        (False, True),
    ]


def test_a_gate_reports_only_for_its_own_entrance_and_refuses_nonsense(river, entrance, gate, sensor):
    other = river.entrances.exclude(pk=entrance.pk).get()
    assert post(GATES, gate[1], gate_state(other, "closed")).status_code == 403
    assert post(GATES, sensor[1], gate_state(entrance, "closed")).status_code == 403  # a sensor's token
    assert post(GATES, gate[1], {**gate_state(entrance, "closed"), "state": "ajar"}).status_code == 400
    future = {**gate_state(entrance, "closed"), "at": "2099-01-01T00:00:00+09:00"}
    assert post(GATES, gate[1], future).status_code == 422
    assert not GateChange.objects.exists()
