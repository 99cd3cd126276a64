"""Reads of the transit app: which trips run on a date, the next departures and the last departure
of the day at a stop, and the stops nearest a point. Times are the city's (Asia/Seoul); a GTFS
service day's trips may leave after midnight (24:20:00 is 00:20 the next morning)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from apps.municipalities.models import Municipality
from apps.places import departures as places_departures
from apps.places import spatial
from apps.places.models import Place
from apps.places.selectors import place_permanent_url
from apps.transit.models import Calendar, CalendarDate, Feed, Route, Stop, StopTime

DAY = 86_400
BUS_ROUTE_TYPE = 3  # GTFS route_type; 0 light rail (U Line), 2 rail (Line 1)
NEAREST_STOPS = 3
NEAREST_RADIUS_M = 1_500


@dataclass(frozen=True)
class Departure:
    route_id: str
    route_name: str
    route_type: int
    trip_id: str
    direction_id: int | None
    sequence: int  # the stop's stop_sequence in the trip
    service_day: date  # the trip's GTFS service day (a 24:20 departure leaves the next morning)
    leaves_at: datetime

    def minutes_from(self, now: datetime) -> int:
        return max(0, int((self.leaves_at - now).total_seconds() // 60))


@dataclass(frozen=True)
class RouteDepartures:
    route_id: str
    route_name: str
    route_type: int
    next: list[Departure]
    last: Departure | None  # the last departure of today's service day (may already have left)


@dataclass(frozen=True)
class StopDepartures:
    stop: Stop
    distance_m: float
    routes: list[RouteDepartures]


def services_on(feed: Feed, day: date) -> set[str]:
    """The service_ids running on that date: calendar.txt's weekdays and range, then calendar_dates.txt."""
    running = {
        service_id
        for service_id, weekdays in Calendar.objects.filter(
            feed=feed, start_date__lte=day, end_date__gte=day
        ).values_list("service_id", "weekdays")
        if weekdays[day.weekday()] == "1"
    }
    for service_id, exception_type in CalendarDate.objects.filter(feed=feed, date=day).values_list(
        "service_id", "exception_type"
    ):
        if exception_type == 1:
            running.add(service_id)
        else:
            running.discard(service_id)
    return running


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time()), timezone.get_default_timezone())


def _routes_at(stop: Stop) -> dict[int, Route]:
    """The routes whose trips stop there, by primary key."""
    return {route.pk: route for route in stop.feed.routes.filter(trips__stop_times__stop=stop).distinct()}


def _departures(
    stop: Stop,
    service_day: date,
    routes: dict[int, Route],
    *,
    from_seconds: int = 0,
    to_seconds: int | None = None,
    per_route: int | None = None,
    latest: bool = False,
) -> list[Departure]:
    """The stop's departures of trips running on service_day between those seconds after its midnight,
    earliest first: one query, whatever the number of routes. per_route keeps each route's first
    (or, with latest, last) that many, counted in the database, so a busy stop's whole day is never read."""
    rows = StopTime.objects.filter(
        stop=stop,
        trip__service_id__in=services_on(stop.feed, service_day),
        departure_seconds__gte=from_seconds,
    )
    if to_seconds is not None:
        rows = rows.filter(departure_seconds__lte=to_seconds)
    if per_route is not None:
        order = F("departure_seconds").desc() if latest else F("departure_seconds").asc()
        rows = rows.annotate(
            rank=Window(RowNumber(), partition_by=[F("trip__route_id")], order_by=[order, F("trip__trip_id").asc()])
        ).filter(rank__lte=per_route)
    names = {pk: route.display_name for pk, route in routes.items()}
    midnight = _midnight(service_day)
    return [
        Departure(
            route_id=routes[route_pk].route_id,
            route_name=names[route_pk],
            route_type=routes[route_pk].route_type,
            trip_id=trip_id,
            direction_id=direction_id,
            sequence=sequence,
            service_day=service_day,
            # Calendar arithmetic, not 24-hour steps: the city keeps no daylight saving, but be exact anyway.
            leaves_at=midnight + timedelta(seconds=seconds),
        )
        for seconds, sequence, trip_id, direction_id, route_pk in rows.order_by(
            "departure_seconds", "trip__trip_id"
        ).values_list("departure_seconds", "sequence", "trip__trip_id", "trip__direction_id", "trip__route_id")
    ]


def next_departures(stop: Stop, *, now: datetime, per_route: int = 3) -> list[RouteDepartures]:
    """Per route serving the stop: its next departures from now (today's trips and yesterday's
    trips that run past midnight) and the last departure of today's service day."""
    local = timezone.localtime(now)
    today, yesterday = local.date(), local.date() - timedelta(days=1)
    since_midnight = local.hour * 3600 + local.minute * 60 + local.second
    routes = _routes_at(stop)
    upcoming = _departures(stop, today, routes, from_seconds=since_midnight, per_route=per_route)
    upcoming += _departures(stop, yesterday, routes, from_seconds=since_midnight + DAY, per_route=per_route)
    upcoming.sort(key=lambda departure: departure.leaves_at)
    lasts = {departure.route_id: departure for departure in _departures(stop, today, routes, per_route=1, latest=True)}
    return [
        RouteDepartures(
            route_id=route.route_id,
            route_name=route.display_name,
            route_type=route.route_type,
            next=[departure for departure in upcoming if departure.route_id == route.route_id][:per_route],
            last=lasts.get(route.route_id),
        )
        for route in sorted(routes.values(), key=lambda route: (route.route_type, route.short_name))
    ]


def departures_between(stop: Stop, start: datetime, end: datetime) -> list[Departure]:
    """The stop's scheduled departures from start to end (of the service days they fall on, and of
    the day before for trips past midnight), earliest first."""
    found = []
    routes = _routes_at(stop)
    day = timezone.localtime(start).date() - timedelta(days=1)
    while day <= timezone.localtime(end).date():
        midnight = _midnight(day)
        found += _departures(
            stop,
            day,
            routes,
            from_seconds=max(0, int((start - midnight).total_seconds())),
            to_seconds=int((end - midnight).total_seconds()),
        )
        day += timedelta(days=1)
    return sorted(found, key=lambda departure: departure.leaves_at)


def stops_near(
    latitude: float,
    longitude: float,
    *,
    municipality: Municipality | None = None,
    count: int = NEAREST_STOPS,
    radius_m: float = NEAREST_RADIUS_M,
) -> list[tuple[Stop, float]]:
    """(stop, distance in metres) for the nearest stops (of one city's feed if given), nearest first."""
    places = Place.objects.filter(transit_stop__isnull=False, retired_at__isnull=True).select_related(
        "transit_stop__feed"
    )
    if municipality is not None:
        places = places.filter(transit_stop__feed__municipality=municipality)
    found = spatial.nearest(places, latitude, longitude, count, max_radius_m=radius_m)
    return [(place.transit_stop, distance) for place, distance in found]


def stops_named(words: str, *, municipality: Municipality, count: int) -> list[Stop]:
    """Stops of the city's feed whose name has every word ("의정부역 신세계" finds
    의정부역.신세계백화점), by name."""
    stops = Stop.objects.filter(feed__municipality=municipality).select_related("place", "feed")
    for word in words.replace(".", " ").split()[:5]:
        stops = stops.filter(name__icontains=word)
    return list(stops.order_by("name", "stop_id")[:count])


def nearest_stops_with_departures(latitude: float, longitude: float, *, now: datetime) -> list[StopDepartures]:
    """For a trail page or marker ("get me back from here"): the 2-3 nearest stops and stations with
    the next departures and the last departure of the day per route."""
    return [
        StopDepartures(stop=stop, distance_m=distance, routes=next_departures(stop, now=now))
        for stop, distance in stops_near(latitude, longitude)
    ]


def departures_for_places(latitude: float, longitude: float, now: datetime) -> list[places_departures.StopDepartures]:
    """nearest_stops_with_departures in the shape apps/places hands to other areas' pages."""
    return [
        places_departures.StopDepartures(
            name=found.stop.name,
            is_rail=any(route.route_type != BUS_ROUTE_TYPE for route in found.routes),
            distance_m=found.distance_m,
            url=place_permanent_url(found.stop.place),
            lines=[
                places_departures.LineDepartures(
                    line=route.route_name,
                    next=[departure.leaves_at for departure in route.next],
                    last=route.last.leaves_at if route.last else None,
                )
                for route in found.routes
            ],
            illustrative=found.stop.feed.is_illustrative,
        )
        for found in nearest_stops_with_departures(latitude, longitude, now=now)
    ]
