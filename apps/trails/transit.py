"""Getting to a trail and back: the railway or subway station and the bus stop nearest a point,
with the distance and the walking time, and the time to reach a trail's start from where a walker
is.

The stops come from data files, read once per process: railway and subway stations from
data/reference/<city>/railway-stations.csv (each row says where its coordinates come from), bus
stops from the city's published bus stop list (data/opendata/bus-stops.csv, the bus-stops
dataset). The next departures come from whichever area keeps timetables (apps/transit), through
apps/places/departures.py.
"""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

from apps.common.language import pick_language
from apps.places import spatial
from apps.places.departures import StopDepartures, departures_near
from apps.trails import track

# Streets are not straight lines: the walk is this much longer than the distance as the crow flies
# (1.2 to 1.4 in studies of urban route directness).
DETOUR_FACTOR = 1.3
# Tobler's speed on the flat, the speed the trails' own walking times use there.
WALKING_M_PER_MIN = track.tobler_kmh(0.0) * 1000 / 60
# Farther than this from a stop, it is not worth showing as "the nearest".
MAX_STATION_M = 3000.0
MAX_BUS_STOP_M = 1500.0
# Beyond this, a walker takes a bus or a train to the start: the ride at an average door-to-door
# speed with the wait, as a rough figure for ranking (live journey planning is the transit issue's).
WALK_ALL_THE_WAY_M = 2000.0
RIDE_M_PER_MIN = 15_000 / 60
RIDE_WAIT_MIN = 10.0


@dataclass(frozen=True)
class Stop:
    kind: str  # "rail" or "bus"
    name_ko: str
    name_en: str
    lines: str
    latitude: float
    longitude: float

    @property
    def name(self) -> str:
        return pick_language(self.name_ko, self.name_en)


@dataclass(frozen=True)
class NearbyStop:
    stop: Stop
    distance_m: float
    walking_minutes: float


@dataclass(frozen=True)
class Station:
    """A railway or subway station a walker can pick as "where are you" without sharing a location."""

    code: str
    stop: Stop


def walking_minutes(distance_m: float) -> float:
    return distance_m * DETOUR_FACTOR / WALKING_M_PER_MIN


def _data_dir() -> Path:
    return settings.BASE_DIR / "data"


@cache
def stations() -> tuple[Station, ...]:
    path = _data_dir() / "reference" / settings.DEFAULT_MUNICIPALITY / "railway-stations.csv"
    if not path.exists():
        return ()
    with path.open(encoding="utf-8") as file:
        return tuple(
            Station(
                code=row["code"],
                stop=Stop(
                    "rail",
                    row["name_ko"],
                    row["name_en"],
                    row["lines"],
                    float(row["latitude"]),
                    float(row["longitude"]),
                ),
            )
            for row in csv.DictReader(file)
        )


@cache
def bus_stops() -> tuple[Stop, ...]:
    path = _data_dir() / "opendata" / "bus-stops.csv"
    if not path.exists():
        return ()
    with path.open(encoding="utf-8") as file:
        return tuple(
            Stop("bus", row["정류소명"], "", row["경유노선"], float(row["위도"]), float(row["경도"]))
            for row in csv.DictReader(file)
        )


def station(code: str) -> Station | None:
    return next((station for station in stations() if station.code == code), None)


def _nearest(stops: tuple[Stop, ...], latitude: float, longitude: float, max_m: float) -> NearbyStop | None:
    found = [(stop, spatial.distance_m(latitude, longitude, stop.latitude, stop.longitude)) for stop in stops]
    found = [pair for pair in found if pair[1] <= max_m]
    if not found:
        return None
    stop, distance = min(found, key=lambda pair: pair[1])
    return NearbyStop(stop=stop, distance_m=distance, walking_minutes=walking_minutes(distance))


def nearest_station(latitude: float, longitude: float) -> NearbyStop | None:
    return _nearest(tuple(station.stop for station in stations()), latitude, longitude, MAX_STATION_M)


def nearest_bus_stop(latitude: float, longitude: float) -> NearbyStop | None:
    return _nearest(bus_stops(), latitude, longitude, MAX_BUS_STOP_M)


@dataclass(frozen=True)
class Access:
    """How a walker reaches a point from where they are."""

    distance_m: float  # as the crow flies
    minutes: float
    on_foot: bool


def access(from_latitude: float, from_longitude: float, latitude: float, longitude: float) -> Access:
    """On foot when it is near, else by bus or train (a rough door-to-door figure)."""
    distance = spatial.distance_m(from_latitude, from_longitude, latitude, longitude)
    if distance <= WALK_ALL_THE_WAY_M:
        return Access(distance_m=distance, minutes=walking_minutes(distance), on_foot=True)
    return Access(distance_m=distance, minutes=RIDE_WAIT_MIN + distance * DETOUR_FACTOR / RIDE_M_PER_MIN, on_foot=False)


@dataclass(frozen=True)
class TrailEnd:
    """The start or the end of a trail with the station and the bus stop nearest it, and the next
    departures near it where the city's timetables are known (apps/places/departures.py)."""

    is_start: bool
    latitude: float
    longitude: float
    station: NearbyStop | None
    bus_stop: NearbyStop | None
    departures: list[StopDepartures]


def trail_ends(track_rows: list[list]) -> list[TrailEnd]:
    """The start and the end of a track (one, for a loop that ends where it starts)."""
    if not track_rows:
        return []
    points = [(True, track_rows[0][0], track_rows[0][1]), (False, track_rows[-1][0], track_rows[-1][1])]
    if spatial.distance_m(points[0][1], points[0][2], points[1][1], points[1][2]) < 100:
        points = points[:1]
    return [
        TrailEnd(
            is_start=is_start,
            latitude=latitude,
            longitude=longitude,
            station=nearest_station(latitude, longitude),
            bus_stop=nearest_bus_stop(latitude, longitude),
            departures=departures_near(latitude, longitude),
        )
        for is_start, latitude, longitude in points
    ]
