"""The residents' parking pages: car parks near you with free spaces now, a car park's page with its
fees and how full it usually is, the kiosk board, and the socket that keeps them current."""

from datetime import timedelta

from django.core.cache import caches
from django.utils import timezone

from apps.mobility.fees import SEOUL, parking_fee
from apps.mobility.models import OccupancyReading
from apps.mobility.services import occupancy_reading_apply

LIST = "/en/mobility/parking/"


def count(car_park, free: int, *, minutes_ago: float = 0, message_id: str = "p1") -> None:
    occupancy_reading_apply(
        car_park,
        free_spaces=free,
        read_at=timezone.now() - timedelta(minutes=minutes_ago),
        source=OccupancyReading.Source.SENSOR,
        message_id=message_id,
    )


def test_the_list_shows_live_counts_and_filters_by_space(client, station_east):
    count(station_east, 42)
    page = client.get(LIST).content.decode()
    assert station_east.name_ko in page and "<span data-free-number>42 spaces free</span>" in page
    # The city's other car parks send no counts (those closed now say so instead).
    assert page.count("<span data-free-number>Free spaces unknown</span>") > 10

    korean = client.get("/ko/mobility/parking/").content.decode()
    assert "<span data-free-number>42면 남음</span>" in korean and "빈자리 정보 없음" in korean

    with_space = client.get(f"{LIST}?space=1").content.decode()
    assert with_space.count("<span data-free-number>") == 1 and station_east.name_ko in with_space


def test_an_odd_query_is_sent_to_one_canonical_address(client, station_east):
    response = client.get(f"{LIST}?free=yes&space=1&junk=1&near=37.73861234,127.0481")
    assert response.status_code == 302 and response["Location"] == f"{LIST}?near=37.739%2C127.048&space=1&free=1"


def test_a_car_park_page_works_out_a_stay_by_its_rules(client, station_east):
    url = f"/en/mobility/parking/{station_east.place.code}/"
    page = client.get(url).content.decode()
    assert "First 30 min" in page and "₩600" in page and "Free spaces unknown" in page

    saturday = timezone.localdate(timezone=SEOUL) + timedelta(
        days=(5 - timezone.localdate(timezone=SEOUL).weekday()) % 7
    )
    query = f"day={saturday.isoformat()}&start=10%3A00%3A00&hours=3&minutes=20&discount=disabled"
    quoted = client.get(f"{url}?{query}").content.decode()
    start = timezone.make_aware(timezone.datetime.combine(saturday, timezone.datetime.min.time()), SEOUL)
    start += timedelta(hours=10)
    expected = parking_fee(station_east, start, start + timedelta(hours=3, minutes=20), discounts=["disabled"])
    assert expected.fee > 0 and f"₩{expected.fee:,}" in quoted


def test_how_full_it_usually_is_comes_from_the_counts(client, station_east):
    for weeks_ago in (1, 2):
        OccupancyReading.objects.create(
            car_park=station_east,
            free_spaces=40,
            read_at=timezone.now() - timedelta(weeks=weeks_ago),
            source=OccupancyReading.Source.SENSOR,
            message_id=f"week-{weeks_ago}",
        )
    page = client.get(f"/en/mobility/parking/{station_east.place.code}/").content.decode()
    assert "75%" in page  # 120 of 160 spaces taken at that hour


def test_a_scan_of_the_car_parks_code_opens_its_page(client, station_east):
    response = client.get(f"/t/{station_east.place.code}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302 and response["Location"].startswith(
        f"/en/mobility/parking/{station_east.place.code}/"
    )


def test_the_board_lists_the_nearest_in_large_type(client, station_east):
    page = client.get(f"/en/mobility/parking/board/?near={station_east.place.code}").content.decode()
    assert "board__row" in page and station_east.name_ko in page


def test_a_kept_page_lives_a_minute_at_most(client, station_east, monkeypatch):
    """Its counts are printed with their time: a reader without JavaScript sees them at most a
    minute late, where other pages are kept until something they show changes."""
    pages, kept = caches["pages"], {}
    store = pages.set

    def spy(key, value, timeout=None, **kwargs):
        kept[key] = timeout
        return store(key, value, timeout=timeout, **kwargs)

    monkeypatch.setattr(pages, "set", spy)
    client.get(LIST)
    assert list(kept.values()) == [60] and pages.default_timeout > 60
