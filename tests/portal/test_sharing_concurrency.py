"""Resident-priority sharing under concurrent requests (PostgreSQL): of several drivers asking for
overlapping times of one space at the same moment, exactly one gets it. Outside tests/mobility,
whose tests share one package transaction that a transactional test would end."""

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection, connections

from apps.mobility import sharing_services
from apps.mobility.models import CarPark, SharingBooking
from apps.mobility.sharing_services import SharingRefused

pytestmark = pytest.mark.django_db(transaction=True)

SEOUL = ZoneInfo("Asia/Seoul")
NOW = datetime(2026, 12, 4, 9, 10, tzinfo=SEOUL)
DRIVERS = 6
ROUNDS = 8  # a race lost once in a while would pass a single round


def test_of_simultaneous_overlapping_requests_exactly_one_wins():
    if connection.vendor == "sqlite":
        pytest.skip("the in-memory SQLite test database is one connection; the PostgreSQL run checks this")
    # Earlier tests' worker threads (their event loops' executors) may still hold connections of
    # this process's pool: a fresh pool gives each driver one.
    connection.close_pool()
    call_command("load_reference_data", verbosity=0)
    call_command("load_demo_car_parks", verbosity=0)
    car_park = CarPark.objects.select_related("municipality", "place").get(stable_id="366-001-1")
    space, _token = sharing_services.resident_space_register(
        municipality=car_park.municipality,
        place=car_park.place,
        zone_name="의정부1동 A-12",
        holder_name="김주민",
        holder_phone="010-1234-5678",
        hourly_fee=1_000,
    )
    for day in range(5, 5 + ROUNDS):
        sharing_services.slot_offer(
            space,
            starts_at=datetime(2026, 12, day, 9, tzinfo=SEOUL),
            ends_at=datetime(2026, 12, day, 18, tzinfo=SEOUL),
            now=NOW,
        )
    for day in range(5, 5 + ROUNDS):
        assert _drivers_ask_at_once(space, day) == ["booked"] + ["taken"] * (DRIVERS - 1)
    assert SharingBooking.objects.filter(space=space).count() == ROUNDS


def _drivers_ask_at_once(space, day: int) -> list[str]:
    # With a timeout: a driver that cannot even connect fails the test instead of holding the others.
    barrier = threading.Barrier(DRIVERS, timeout=60)
    results: list[str] = [""] * DRIVERS

    def ask(driver: int) -> None:
        try:
            connection.ensure_connection()  # connect first: connecting after the barrier would space them out
            barrier.wait()
            # Each driver's time overlaps every other's (all contain 12:00-12:30).
            sharing_services.booking_request(
                space,
                starts_at=datetime(2026, 12, day, 10 + driver % 3, tzinfo=SEOUL),
                ends_at=datetime(2026, 12, day, 12 + driver % 2, 30, tzinfo=SEOUL),
                driver_name=f"운전{driver}",
                driver_phone="010-9876-5432",
                licence_plate="12가3456",
                consented=True,
                now=NOW,
            )
            results[driver] = "booked"
        except SharingRefused as refused:
            results[driver] = refused.code
        except Exception as error:  # noqa: BLE001 - shown by the assertion, instead of a hung thread
            results[driver] = f"failed: {error!r}"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=ask, args=(driver,)) for driver in range(DRIVERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return sorted(results)
