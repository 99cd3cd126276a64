"""The safety rule: a station at its river's closing level closes the whole walkway (a places
closure on every entrance and on the places closed with it, so the car park on the bank closes and
the site raises its alert), and only staff reopen it, once, and never while the water is still up."""

import threading
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.utils import timezone

from apps.mobility.models import CarPark
from apps.places.models import Closure
from apps.rivers import services
from apps.rivers.models import GateChange, River, WalkwayClosure, WaterLevelReading, WaterLevelStation
from content.models import SiteAlert


def rise(station, metres: float, *, minutes_ago: float = 0, message_id: str | None = None):
    return services.water_level_reading_apply(
        station,
        water_level_m=metres,
        read_at=timezone.now() - timedelta(minutes=minutes_ago),
        source=WaterLevelReading.Source.SENSOR,
        message_id=message_id or f"{metres}-{minutes_ago}",
    )


def closed_places(river) -> set[str]:
    return set(
        Closure.objects.active().filter(severity=Closure.Severity.CLOSED).values_list("place__name_ko", flat=True)
    )


def river_alerts() -> list[SiteAlert]:
    return [alert for alert in SiteAlert.objects.filter(live=True) if "중랑천" in alert.title]


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user(username="river-duty", password="x", is_staff=True)


@pytest.mark.django_db(databases=["default", "channels"])
def test_a_level_at_the_closing_level_closes_every_entrance_the_bank_car_park_and_raises_the_alert(
    river, singok, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert rise(singok, 3.0).closure is None  # 관심: watched, still open
    assert closed_places(river) == set() and not river_alerts()

    with django_capture_on_commit_callbacks(execute=True):
        walkway = rise(singok, 3.7, message_id="up").closure  # 주의: 중랑천's closing level
    assert walkway.cause == WalkwayClosure.Cause.RULE and walkway.station == singok
    assert "3.70 m" in walkway.reason_en and "신곡교" in walkway.reason_ko
    assert closed_places(river) == {"중랑천 신곡교 진입로", "중랑천 회룡교 진입로", "중랑천 둔치 공영주차장"}
    assert CarPark.objects.get(stable_id="366-009-1").closed_by_event  # the parking area heard it
    [alert] = river_alerts()
    assert alert.level == SiteAlert.Level.DANGER and "신곡교" in alert.message

    # Higher still: the same closure, not a second one.
    assert rise(singok, 4.6, message_id="higher").closure is None
    assert WalkwayClosure.objects.filter(river=river).count() == 1


def test_the_level_that_closes_is_the_rivers_own(river, singok):
    River.objects.filter(pk=river.pk).update(closing_level="warning")
    assert rise(singok, 3.7).closure is None  # 주의 does not close a river closing at 경계
    assert rise(singok, 4.4, message_id="w").closure is not None


@pytest.mark.django_db(databases=["default", "channels"])
def test_only_staff_reopen_and_never_while_the_water_is_still_at_the_level(
    river, singok, staff, django_capture_on_commit_callbacks
):
    entrance = river.entrances.get(name_ko="중랑천 신곡교 진입로")
    with django_capture_on_commit_callbacks(execute=True):
        rise(singok, 3.8, minutes_ago=1)
    # The gate system says its gate is open: the entrance stays closed by the walkway closure.
    services.gate_state_set(entrance, closed=False, source=GateChange.Source.GATE, message_id="g")
    assert "중랑천 신곡교 진입로" in closed_places(river)

    for nobody in (None, AnonymousUser()):
        with pytest.raises(services.Refused, match="Only staff"):
            services.walkway_reopen(river, user=nobody, note="looks fine")
    with pytest.raises(services.Refused, match="still reads 3.80 m"):
        services.walkway_reopen(river, user=staff, note="looks fine")
    with pytest.raises(services.Refused, match="Say why"):
        services.walkway_reopen(river, user=staff, note="  ")

    rise(singok, 2.1)  # the water fell
    with django_capture_on_commit_callbacks(execute=True):
        walkway = services.walkway_reopen(river, user=staff, note="CCTV: 산책로 물 빠짐 확인")
    assert (walkway.reopened_by, walkway.reopen_note) == (staff, "CCTV: 산책로 물 빠짐 확인")
    assert closed_places(river) == set()
    assert not CarPark.objects.get(stable_id="366-009-1").closed_by_event
    assert not river_alerts()
    # A second confirmation (another member of staff a moment later) finds it open: nothing twice.
    with pytest.raises(services.Refused, match="open already"):
        services.walkway_reopen(river, user=staff, note="again")


def test_a_silent_gauge_does_not_keep_the_walkway_shut_but_staff_still_decide(river, singok, staff):
    rise(singok, 3.9, minutes_ago=40)  # then nothing for 40 minutes: unknown, not live
    assert WalkwayClosure.objects.filter(river=river, reopened_at__isnull=True).exists()
    assert services.walkway_reopen(river, user=staff, note="현장 확인").reopened_at is not None


def test_staff_close_the_walkway_by_hand_once(river, staff):
    walkway = services.walkway_close(river, cause=WalkwayClosure.Cause.STAFF, reason_ko="축제 준비", user=staff)
    assert walkway.closed_by == staff and len(closed_places(river)) == 3
    assert services.walkway_close(river, cause=WalkwayClosure.Cause.STAFF, reason_ko="again", user=staff) is None


@pytest.mark.django_db(transaction=True, databases=["default", "channels"])
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_concurrent_rises_close_once_and_concurrent_reopenings_reopen_once(river, staff):
    stations = list(WaterLevelStation.objects.filter(river=river))
    start = threading.Barrier(2)
    results, errors = [], []

    def run(action) -> None:
        try:
            start.wait(timeout=10)
            results.append(action())
        except services.Refused as refusal:
            errors.append(str(refusal))
        finally:
            connection.close()  # this thread's own connection

    # Both gauges of the river reach 심각 at the same moment.
    threads = [threading.Thread(target=run, args=(lambda s=s: rise(s, 5.5).closure,)) for s in stations]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(closure is not None for closure in results) == 1
    assert WalkwayClosure.objects.filter(river=river).count() == 1

    for station in stations:
        rise(station, 0.5, message_id="down")
    results.clear()
    threads = [
        threading.Thread(target=run, args=(lambda: services.walkway_reopen(river, user=staff, note="확인"),))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # The threads speak the site's default language, Korean.
    assert len(results) == 1 and len(errors) == 1 and "이미 개방" in errors[0]
    assert Closure.objects.filter(ends_at__isnull=True).count() == 0


def test_the_trail_markers_near_an_entrance_are_warned_while_the_walkway_is_closed(river, singok, staff, settings):
    from apps.places.models import Place
    from apps.places.services import place_create

    settings.RIVERS_NEARBY_MARKERS_M = 150

    def marker(name: str, latitude: float, kind: str = Place.Kind.TRAIL_MARKER) -> Place:
        return place_create(
            municipality=river.municipality, kind=kind, name_ko=name, latitude=latitude, longitude=127.045
        )

    near = marker("신곡교 앞 표지", 37.7350)  # about 90 m from 신곡교 진입로
    far = marker("먼 표지", 37.7400)  # about 650 m
    other_kind = marker("신곡교 앞 화장실", 37.7350, Place.Kind.FACILITY)

    walkway = rise(singok, 3.8).closure
    [warning] = Closure.objects.active().filter(place=near)
    assert warning.severity == Closure.Severity.NOTICE
    assert warning.reason_en.startswith("The Jungnangcheon walkway near here is closed: Jungnangcheon: water level")
    assert "중랑천" in warning.reason_ko and walkway.reason_ko in warning.reason_ko
    assert not Closure.objects.active().filter(place__in=[far, other_kind]).exists()

    rise(singok, 1.0, message_id="down")
    services.walkway_reopen(river, user=staff, note="물이 빠짐")
    assert not Closure.objects.active().filter(place=near).exists()
