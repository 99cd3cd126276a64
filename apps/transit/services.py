"""Writes of the transit app: importing a GTFS feed, which replaces the city's previous feed in one
transaction (a visitor sees the old timetable or the new one, never half of each)."""

from pathlib import Path

from django.db import transaction

from apps.municipalities.models import Municipality
from apps.places.models import Place
from apps.places.services import place_create, place_retire, place_update
from apps.transit.gtfs import FeedProblem, date_of, feed_read, seconds_of
from apps.transit.models import Agency, Calendar, CalendarDate, Feed, Route, Stop, StopTime, Trip

ILLUSTRATIVE_MARK = "ILLUSTRATIVE"
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


class FeedInvalid(Exception):
    def __init__(self, problems: list[FeedProblem]):
        super().__init__(f"{len(problems)} problem(s) in the GTFS feed")
        self.problems = problems


@transaction.atomic
def gtfs_feed_import(*, municipality: Municipality, source: Path) -> Feed:
    """Replaces the city's transit feed with the one at source (zip or folder). Raises FeedInvalid,
    changing nothing, when the feed has any problem. A stop keeps its place (and /t/ code) across
    imports by its stop_id; the places of stops a new feed no longer has are retired."""
    parsed = feed_read(source)
    if parsed.problems:
        raise FeedInvalid(parsed.problems)
    tables = parsed.tables
    places_by_stop_id = {
        stop.stop_id: stop.place
        for stop in Stop.objects.filter(feed__municipality=municipality).select_related("place")
    }
    Feed.objects.filter(municipality=municipality).delete()
    info = (tables.get("feed_info.txt") or [{}])[0]
    texts = [info.get("feed_publisher_name", "")] + [row["agency_name"] for row in tables["agency.txt"]]
    feed = Feed.objects.create(
        municipality=municipality,
        publisher=info.get("feed_publisher_name", "")[:200],
        version=info.get("feed_version", "")[:100],
        is_illustrative=any(ILLUSTRATIVE_MARK in text.upper() for text in texts),
    )
    agencies = {
        row.get("agency_id", ""): Agency.objects.create(
            feed=feed, agency_id=row.get("agency_id", ""), name=row["agency_name"][:200], url=row["agency_url"][:200]
        )
        for row in tables["agency.txt"]
    }
    only_agency = next(iter(agencies.values()))
    routes = {
        row["route_id"]: Route.objects.create(
            feed=feed,
            agency=agencies.get(row.get("agency_id", ""), only_agency),
            route_id=row["route_id"],
            short_name=row.get("route_short_name", "")[:50],
            long_name=row.get("route_long_name", "")[:200],
            route_type=int(row["route_type"]),
        )
        for row in tables["routes.txt"]
    }
    stops = {
        row["stop_id"]: _stop_save(feed, row, places_by_stop_id.pop(row["stop_id"], None))
        for row in tables["stops.txt"]
    }
    for place in places_by_stop_id.values():
        place_retire(place)
    Calendar.objects.bulk_create(
        Calendar(
            feed=feed,
            service_id=row["service_id"],
            weekdays="".join("1" if row.get(day) == "1" else "0" for day in WEEKDAYS),
            start_date=date_of(row["start_date"]),
            end_date=date_of(row["end_date"]),
        )
        for row in tables.get("calendar.txt", [])
    )
    CalendarDate.objects.bulk_create(
        CalendarDate(
            feed=feed,
            service_id=row["service_id"],
            date=date_of(row["date"]),
            exception_type=int(row["exception_type"]),
        )
        for row in tables.get("calendar_dates.txt", [])
    )
    trips = Trip.objects.bulk_create(
        Trip(
            feed=feed,
            route=routes[row["route_id"]],
            service_id=row["service_id"],
            trip_id=row["trip_id"],
            headsign=row.get("trip_headsign", "")[:200],
            direction_id=int(row["direction_id"]) if row.get("direction_id", "").isdigit() else None,
        )
        for row in tables["trips.txt"]
    )
    trip_pks = (
        {trip.trip_id: trip.pk for trip in trips}
        if all(trip.pk for trip in trips)
        else dict(Trip.objects.filter(feed=feed).values_list("trip_id", "pk"))
    )
    StopTime.objects.bulk_create(
        (
            StopTime(
                trip_id=trip_pks[row["trip_id"]],
                stop=stops[row["stop_id"]],
                sequence=int(row["stop_sequence"]),
                departure_seconds=seconds_of(row["departure_time"]),
            )
            for row in tables["stop_times.txt"]
        ),
        batch_size=2000,
    )
    return feed


def _stop_save(feed: Feed, row: dict[str, str], place: Place | None) -> Stop:
    name, latitude, longitude = row["stop_name"][:100], float(row["stop_lat"]), float(row["stop_lon"])
    if place is None:
        place = place_create(
            municipality=feed.municipality, kind=Place.Kind.POINT, name_ko=name, latitude=latitude, longitude=longitude
        )
    stop = Stop.objects.create(
        feed=feed, stop_id=row["stop_id"], code=row.get("stop_code", "")[:50], name=name, place=place
    )
    place_update(place, name_ko=name, name_en=place.name_en, latitude=latitude, longitude=longitude, owner=stop)
    return stop
