"""Reads of the parking area: free spaces now (or unknown), car parks by filters and distance, and
typical occupancy from the readings kept."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.db.models import Avg, Q, QuerySet
from django.db.models.functions import ExtractHour, ExtractWeekDay
from django.utils import timezone

from apps.mobility.fees import SEOUL, day_type, open_windows, opening_hours
from apps.mobility.models import CarPark, OccupancyReading
from apps.municipalities.models import Municipality
from apps.places import spatial
from apps.places.models import Place


class LiveStatus(StrEnum):
    LIVE = "live"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class FreeSpaces:
    status: LiveStatus
    free_spaces: int | None  # None whenever the status is unknown
    read_at: datetime | None  # of the last reading, even a stale one: "last known at ..."


def free_now(car_park: CarPark, *, now: datetime | None = None) -> FreeSpaces:
    """The free spaces now, or unknown when no reading came within MOBILITY_LIVE_SECONDS: a stale
    number is never given as live."""
    now = now or timezone.now()
    read_at = car_park.free_spaces_read_at
    if read_at is None or car_park.free_spaces is None:
        return FreeSpaces(LiveStatus.UNKNOWN, None, read_at)
    if now - read_at > timedelta(seconds=settings.MOBILITY_LIVE_SECONDS):
        return FreeSpaces(LiveStatus.UNKNOWN, None, read_at)
    return FreeSpaces(LiveStatus.LIVE, car_park.free_spaces, read_at)


def is_open_at(car_park: CarPark, at: datetime) -> bool:
    """Open at that moment by its hours of the day type (and not closed by an event)."""
    if car_park.closed_by_event:
        return False
    local = at.astimezone(SEOUL)
    minute = local.hour * 60 + local.minute
    return any(frm <= minute < to for frm, to in open_windows(*opening_hours(car_park, day_type(local.date()))))


def city_car_parks(municipality: Municipality) -> QuerySet[CarPark]:
    return CarPark.objects.filter(municipality=municipality).select_related("place")


@dataclass(frozen=True)
class CarParkFilters:
    near: tuple[float, float] | None = None
    radius_m: float = 3000
    open_now: bool = False
    has_space: bool = False
    ev: bool = False
    accessible: bool = False
    free: bool = False


@dataclass(frozen=True)
class CarParkEntry:
    car_park: CarPark
    live: FreeSpaces
    is_open: bool
    distance_m: float | None


def car_park_entries(
    municipality: Municipality, filters: CarParkFilters = CarParkFilters(), *, now: datetime | None = None
) -> list[CarParkEntry]:
    """The city's car parks that pass every filter, nearest first with `near` (else by name). "Has
    space" means a live count above zero: a car park whose count is unknown is not promised."""
    now = now or timezone.now()
    queryset = city_car_parks(municipality)
    if filters.ev:
        queryset = queryset.filter(spaces_ev__gt=0)
    if filters.accessible:
        queryset = queryset.filter(Q(has_accessible_bays=True) | Q(spaces_accessible__gt=0))
    if filters.free:
        queryset = queryset.filter(is_free=True)
    if filters.near:
        places = Place.objects.filter(car_park__in=queryset)
        by_place = {car_park.place_id: car_park for car_park in queryset}
        found = [
            (by_place[place.pk], distance)
            for place, distance in spatial.within(places, *filters.near, filters.radius_m)
        ]
    else:
        found = [(car_park, None) for car_park in queryset]
    entries = []
    for car_park, distance in found:
        entry = car_park_entry(car_park, now=now, distance_m=distance)
        live = entry.live
        if filters.open_now and not entry.is_open:
            continue
        if filters.has_space and not (live.status == LiveStatus.LIVE and live.free_spaces > 0 and entry.is_open):
            continue
        entries.append(entry)
    return entries


def car_park_entry(car_park: CarPark, *, now: datetime, distance_m: float | None = None) -> CarParkEntry:
    """One car park with its free spaces now (or unknown) and whether it is open at `now`."""
    return CarParkEntry(car_park, free_now(car_park, now=now), is_open_at(car_park, now), distance_m)


def nearest_with_space(
    municipality: Municipality, latitude: float, longitude: float, *, count: int = 3, radius_m: float = 3000
) -> list[CarParkEntry]:
    """The nearest open car parks with live free spaces, for the map, the board and the chatbot."""
    filters = CarParkFilters(near=(latitude, longitude), radius_m=radius_m, has_space=True)
    return car_park_entries(municipality, filters)[:count]


def typical_occupancy(car_park: CarPark, *, weeks: int = 8) -> dict[int, dict[int, float]]:
    """Average share of spaces taken (0..1) by ISO weekday (1 = Monday) and hour (Seoul), from the
    readings of the last `weeks` weeks; an hour with no readings is absent."""
    if not car_park.spaces_total:
        return {}
    since = timezone.now() - timedelta(weeks=weeks)
    rows = (
        OccupancyReading.objects.filter(car_park=car_park, read_at__gte=since)
        .annotate(weekday=ExtractWeekDay("read_at", tzinfo=SEOUL), hour=ExtractHour("read_at", tzinfo=SEOUL))
        .values("weekday", "hour")
        .annotate(free=Avg("free_spaces"))
    )
    typical: dict[int, dict[int, float]] = {}
    for row in rows:
        # Django's week_day is 1 = Sunday .. 7 = Saturday.
        iso_weekday = (row["weekday"] + 5) % 7 + 1
        taken = 1 - row["free"] / car_park.spaces_total
        typical.setdefault(iso_weekday, {})[row["hour"]] = round(min(max(taken, 0.0), 1.0), 3)
    return typical
