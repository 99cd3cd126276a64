"""Next and last departures from the timetable: the day's calendar in Asia/Seoul, and trips of the
previous service day that run past midnight (GTFS 24:21:00)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from apps.transit.models import Stop
from apps.transit.selectors import nearest_stops_with_departures, next_departures

SEOUL = ZoneInfo("Asia/Seoul")
FRIDAY_MORNING = datetime(2026, 12, 4, 7, 0, tzinfo=SEOUL)
SATURDAY_MORNING = datetime(2026, 12, 5, 7, 0, tzinfo=SEOUL)
SATURDAY_AFTER_MIDNIGHT = datetime(2026, 12, 5, 0, 20, tzinfo=SEOUL)


def _u_line_at_balgok(now: datetime):
    (u_line,) = [
        route
        for route in next_departures(Stop.objects.get(stop_id="rail-balgok"), now=now, per_route=3)
        if route.route_id == "uline"
    ]
    return u_line


def _local(moment: datetime) -> str:
    return moment.astimezone(SEOUL).strftime("%m-%d %H:%M")


def test_weekday_and_weekend_calendars_pick_their_own_trips(city):
    friday, saturday = _u_line_at_balgok(FRIDAY_MORNING), _u_line_at_balgok(SATURDAY_MORNING)
    assert all("-weekday-" in departure.trip_id for departure in friday.next)
    assert all("-weekend-" in departure.trip_id for departure in saturday.next)
    assert all(departure.leaves_at >= FRIDAY_MORNING for departure in friday.next)
    # The last train of the day leaves after midnight: 24:39 of Friday's service day is 00:39 Saturday.
    assert _local(friday.last.leaves_at) == "12-05 00:39"
    assert _local(saturday.last.leaves_at) == "12-06 00:33"


def test_after_midnight_the_previous_days_late_trips_come_first(city):
    u_line = _u_line_at_balgok(SATURDAY_AFTER_MIDNIGHT)
    assert [_local(departure.leaves_at) for departure in u_line.next] == ["12-05 00:21", "12-05 00:24", "12-05 00:27"]
    assert all("-weekday-" in departure.trip_id for departure in u_line.next)
    assert [departure.minutes_from(SATURDAY_AFTER_MIDNIGHT) for departure in u_line.next] == [1, 4, 7]


def test_nearest_stops_with_departures_for_a_trail_page(city):
    # A few metres from 의정부시청역.
    found = nearest_stops_with_departures(37.7394, 127.0351, now=FRIDAY_MORNING)
    assert 2 <= len(found) <= 3
    assert found[0].stop.stop_id == "rail-city-hall"
    assert found[0].distance_m < 20
    (u_line,) = found[0].routes
    assert u_line.route_id == "uline" and len(u_line.next) == 3 and u_line.last is not None
