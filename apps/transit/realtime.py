"""Our live arrivals as a GTFS-Realtime TripUpdates feed, for other apps and journey planners.

It is built from the arrivals visitors' requests have already fetched (arrivals.cached_live_arrivals):
publishing costs the provider quota nothing, and a stop nobody looked at in the last window has no
update. Each GBIS arrival is matched to the scheduled trip of its route (GBIS routeName = GTFS
route_short_name) and direction at that stop whose time is nearest the prediction, within
MATCH_WINDOW; an arrival of a route the feed does not have, or with no such trip, is left out."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from google.transit import gtfs_realtime_pb2

from apps.municipalities.models import Municipality
from apps.transit.arrivals import LiveArrival, cached_live_arrivals
from apps.transit.models import Feed, Stop
from apps.transit.selectors import BUS_ROUTE_TYPE, Departure, departures_between

# How far a bus may run from its timetable and still be taken for that trip (half an hour late or early).
MATCH_WINDOW = timedelta(minutes=30)


@dataclass
class _TripUpdate:
    departure: Departure
    arrival: LiveArrival
    stops: list[tuple[Stop, Departure, LiveArrival]] = field(default_factory=list)


def _matched(stop: Stop, arrivals: list[LiveArrival], route_ids: dict[str, str]) -> list[tuple[Departure, LiveArrival]]:
    """(scheduled departure, live arrival) pairs at one stop; each trip taken once, soonest arrival first."""
    ours = [arrival for arrival in arrivals if arrival.route_name in route_ids]
    if not ours:
        return []
    times = [arrival.arrives_at for arrival in ours]
    scheduled = departures_between(stop, min(times) - MATCH_WINDOW, max(times) + MATCH_WINDOW)
    taken: set[tuple[str, object]] = set()
    pairs = []
    for arrival in sorted(ours, key=lambda arrival: arrival.arrives_at):
        candidates = [
            departure
            for departure in scheduled
            if departure.route_id == route_ids[arrival.route_name]
            and arrival.direction_id in (None, departure.direction_id)
            and (departure.trip_id, departure.service_day) not in taken
            and abs(departure.leaves_at - arrival.arrives_at) <= MATCH_WINDOW
        ]
        if candidates:
            best = min(candidates, key=lambda departure: abs(departure.leaves_at - arrival.arrives_at))
            taken.add((best.trip_id, best.service_day))
            pairs.append((best, arrival))
    return pairs


def trip_updates_feed(municipality: Municipality, *, now: datetime) -> gtfs_realtime_pb2.FeedMessage:
    """A full-dataset FeedMessage of the city's current live arrivals, one TripUpdate per trip with a
    StopTimeUpdate per stop it is predicted at (empty when the city has no feed or nothing is fresh)."""
    message = gtfs_realtime_pb2.FeedMessage()
    message.header.gtfs_realtime_version = "2.0"
    message.header.incrementality = gtfs_realtime_pb2.FeedHeader.FULL_DATASET
    message.header.timestamp = int(now.timestamp())
    feed = Feed.objects.filter(municipality=municipality).first()
    if feed is None:
        return message
    route_ids = dict(feed.routes.filter(route_type=BUS_ROUTE_TYPE).values_list("short_name", "route_id"))
    bus_stops = [stop for stop in feed.stops.select_related("feed") if stop.stop_id.isdigit()]
    updates: dict[tuple[str, object], _TripUpdate] = {}
    for stop, arrivals in cached_live_arrivals(bus_stops).items():
        for departure, arrival in _matched(stop, arrivals, route_ids):
            key = (departure.trip_id, departure.service_day)
            updates.setdefault(key, _TripUpdate(departure, arrival)).stops.append((stop, departure, arrival))
    for (trip_id, service_day), update in sorted(updates.items()):
        entity = message.entity.add()
        entity.id = f"{trip_id}:{service_day:%Y%m%d}"
        trip_update = entity.trip_update
        trip_update.trip.trip_id = trip_id
        trip_update.trip.route_id = update.departure.route_id
        trip_update.trip.start_date = f"{service_day:%Y%m%d}"
        trip_update.trip.schedule_relationship = gtfs_realtime_pb2.TripDescriptor.SCHEDULED
        if update.departure.direction_id is not None:
            trip_update.trip.direction_id = update.departure.direction_id
        trip_update.vehicle.label = update.arrival.plate
        trip_update.vehicle.wheelchair_accessible = (
            gtfs_realtime_pb2.VehicleDescriptor.WHEELCHAIR_ACCESSIBLE
            if update.arrival.low_floor
            else gtfs_realtime_pb2.VehicleDescriptor.UNKNOWN
        )
        trip_update.timestamp = int(update.arrival.observed_at.timestamp())
        for stop, departure, arrival in sorted(update.stops, key=lambda found: found[1].sequence):
            stop_time = trip_update.stop_time_update.add()
            stop_time.stop_sequence = departure.sequence
            stop_time.stop_id = stop.stop_id
            stop_time.arrival.time = int(arrival.arrives_at.timestamp())
            stop_time.arrival.delay = int((arrival.arrives_at - departure.leaves_at).total_seconds())
    return message
