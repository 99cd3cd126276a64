"""Reads of the river area: a station's level now (or unknown: a stale reading is never live), the
walkway state of each entrance from the closures in force on its place, and the message open pages
are pushed when it changes."""

import functools
import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from apps.common.language import pick_language
from apps.municipalities.models import Municipality
from apps.places import spatial
from apps.places.history import history_near
from apps.places.models import Closure, Place
from apps.rivers import air
from apps.rivers.hrfco import SEOUL
from apps.rivers.models import AlertLevel, River, RiverEntrance, WalkwayClosure, WaterLevelReading, WaterLevelStation

UNKNOWN = "unknown"
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class StationLive:
    status: str  # "live", or "unknown" when no reading came within RIVERS_LIVE_SECONDS
    water_level_m: float | None  # None unless live
    flow_m3s: float | None
    alert_level: str  # an AlertLevel, or "unknown" unless live
    read_at: datetime | None  # of the last reading, even a stale one: "last known at ..."

    @property
    def alert_label(self) -> str:
        """관심, 주의, ... in the reader's language; empty while unknown."""
        return "" if self.alert_level == UNKNOWN else str(AlertLevel(self.alert_level).label)


def station_live(station: WaterLevelStation, *, now: datetime | None = None) -> StationLive:
    """The station's level now; unknown when its last reading is older than RIVERS_LIVE_SECONDS
    (30 minutes: three missed ten-minute readings), so a gauge that went silent in a flood is
    never shown as a calm river."""
    now = now or timezone.now()
    read_at = station.read_at
    if read_at is None or station.water_level_m is None:
        return StationLive(UNKNOWN, None, None, UNKNOWN, read_at)
    if now - read_at > timedelta(seconds=settings.RIVERS_LIVE_SECONDS):
        return StationLive(UNKNOWN, None, None, UNKNOWN, read_at)
    return StationLive("live", station.water_level_m, station.flow_m3s, station.alert_level, read_at)


@dataclass(frozen=True)
class EntranceState:
    entrance: RiverEntrance
    is_open: bool
    reason: str  # of the closure that closes it (the most recent), empty when open


@dataclass(frozen=True)
class RiverState:
    river: River
    walkway: WalkwayClosure | None  # the walkway closure in force, if any
    stations: list[tuple[WaterLevelStation, StationLive]]
    entrances: list[EntranceState]

    @property
    def is_closed(self) -> bool:
        return self.walkway is not None


def city_rivers(municipality: Municipality) -> QuerySet[River]:
    return River.objects.filter(municipality=municipality)


def river_states(rivers: QuerySet[River] | list[River], *, now: datetime | None = None) -> list[RiverState]:
    """Each river with its walkway closure, its stations' levels now and each entrance open or
    closed (closed while a "closed" closure is in force on its place), in five queries."""
    now = now or timezone.now()
    rivers = list(rivers)
    ids = [river.pk for river in rivers]
    walkways = {
        walkway.river_id: walkway
        for walkway in WalkwayClosure.objects.filter(river_id__in=ids, reopened_at__isnull=True)
    }
    stations: dict[int, list] = {river_id: [] for river_id in ids}
    for station in WaterLevelStation.objects.filter(river_id__in=ids).order_by("name_ko"):
        stations[station.river_id].append((station, station_live(station, now=now)))
    entrances = list(RiverEntrance.objects.filter(river_id__in=ids).select_related("place").order_by("name_ko"))
    closing = {}
    for closure in (
        Closure.objects.active(now)
        .filter(severity=Closure.Severity.CLOSED, place_id__in=[entrance.place_id for entrance in entrances])
        .order_by("starts_at")
    ):
        closing[closure.place_id] = closure.reason  # the latest begun wins
    by_river: dict[int, list] = {river_id: [] for river_id in ids}
    for entrance in entrances:
        if entrance.place.is_retired:
            continue
        reason = closing.get(entrance.place_id)
        by_river[entrance.river_id].append(EntranceState(entrance, reason is None, reason or ""))
    return [RiverState(river, walkways.get(river.pk), stations[river.pk], by_river[river.pk]) for river in rivers]


def trail_markers_near(river: River, radius_m: float) -> list[Place]:
    """The trail markers (of any trail) within radius_m of one of the river's entrances: a walker
    there is about to step onto the walkway."""
    markers = Place.objects.filter(
        municipality=river.municipality, kind=Place.Kind.TRAIL_MARKER, retired_at__isnull=True
    )
    found: dict[int, Place] = {}
    for entrance in river.entrances.select_related("place"):
        for marker, _distance in spatial.within(markers, entrance.place.latitude, entrance.place.longitude, radius_m):
            found.setdefault(marker.pk, marker)
    return sorted(found.values(), key=lambda marker: marker.code)


def river_walkway_message(river: River) -> dict:
    """What open pages of the river are pushed when its walkway or a gate changes (texts in Korean,
    the site's first language; the page words them in its own)."""
    state = river_states([river])[0]
    return {
        "type": "walkway.changed",
        "river": river.slug,
        "closed": state.is_closed,
        "reason_ko": state.walkway.reason_ko if state.walkway else "",
        "reason_en": state.walkway.reason_en if state.walkway else "",
        "entrances": [{"code": entry.entrance.place.code, "open": entry.is_open} for entry in state.entrances],
    }


def readings_since(station: WaterLevelStation, since: datetime) -> QuerySet[WaterLevelReading]:
    """A station's readings from `since`, oldest first (the 24-hour chart)."""
    return station.readings.filter(read_at__gte=since).order_by("read_at")


CHART_HOURS = 24


@dataclass(frozen=True)
class HourLevel:
    hour: datetime  # the hour's start, in Seoul time
    highest_m: float | None  # the highest level read in the hour; None when nothing came


@dataclass(frozen=True)
class StationLevels:
    """A station's last 24 hours: every reading (the chart's line) and the highest of each Seoul
    hour (the chart's text alternative), between `since` and `until`."""

    station: WaterLevelStation
    since: datetime
    until: datetime
    readings: list[tuple[datetime, float]]
    hours: list[HourLevel]


def station_levels_24h(station: WaterLevelStation, now: datetime | None = None) -> StationLevels:
    """The readings of the last 24 hours, oldest first, and the highest level of each hour (an hour
    with no reading stays empty: a silent gauge is never drawn as a calm river)."""
    until = now or timezone.now()
    since = until - timedelta(hours=CHART_HOURS)
    readings = list(readings_since(station, since).filter(read_at__lte=until).values_list("read_at", "water_level_m"))
    # The whole Seoul hours in the window, the current one last.
    first_hour = since.astimezone(SEOUL).replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    highest: dict[datetime, float] = {}
    for read_at, level in readings:
        hour = read_at.astimezone(SEOUL).replace(minute=0, second=0, microsecond=0)
        highest[hour] = max(level, highest.get(hour, level))
    hours = [first_hour + timedelta(hours=offset) for offset in range(CHART_HOURS)]
    return StationLevels(station, since, until, readings, [HourLevel(hour, highest.get(hour)) for hour in hours])


# An entrance farther than this is not "near you"; the page says none is near.
NEAR_ENTRANCE_LIMIT_M = 20_000


def nearest_open_entrance(state: RiverState, latitude: float, longitude: float) -> tuple[EntranceState, float] | None:
    """The river's open entrance nearest the point, with its distance in metres (a river has a
    handful of entrances, already read with its state); None when none is open within reach."""
    found = [
        (entry, spatial.distance_m(latitude, longitude, entry.entrance.place.latitude, entry.entrance.place.longitude))
        for entry in state.entrances
        if entry.is_open
    ]
    found = [pair for pair in found if pair[1] <= NEAR_ENTRANCE_LIMIT_M]
    return min(found, key=lambda pair: pair[1], default=None)


# --- Fine dust ------------------------------------------------------------------------------------


@functools.cache
def _air_stations_in(path: str) -> tuple[air.AirStation, ...]:
    try:
        return tuple(air.stations(json.loads(Path(path).read_text(encoding="utf-8"))))
    except (OSError, ValueError) as error:  # no file, not JSON, or not a station list
        logger.warning("AirKorea station list %s not read: %s", path, error)
        return ()


def air_stations() -> list[air.AirStation]:
    """AirKorea's measuring stations of the city, from the recorded station list (getMsrstnList)."""
    return list(_air_stations_in(settings.RIVERS_AIRKOREA_STATIONS))


def air_station_of(state: RiverState) -> air.AirStation | None:
    """The measuring station nearest the middle of the river's entrances (else of its gauges)."""
    points = [(entry.entrance.place.latitude, entry.entrance.place.longitude) for entry in state.entrances]
    points = points or [(s.latitude, s.longitude) for s, _live in state.stations if s.latitude is not None]
    if not points:
        return None
    latitude = sum(point[0] for point in points) / len(points)
    longitude = sum(point[1] for point in points) / len(points)
    return air.nearest_station(air_stations(), latitude, longitude)


def fine_dust_key(station: str) -> str:
    return f"rivers:fine-dust:{station}"


def fine_dust_at(station: str) -> air.FineDust | None:
    """The newest fine dust kept for an AirKorea station (none after RIVERS_AIR_KEEP_SECONDS)."""
    kept = cache.get(fine_dust_key(station))
    return air.FineDust.from_dict(kept) if isinstance(kept, dict) else None


def fine_dust_near(state: RiverState) -> air.FineDust | None:
    """Fine dust now at the measuring station nearest the river; None when none is kept."""
    station = air_station_of(state)
    return fine_dust_at(station.name) if station else None


def point_state(point) -> dict:
    """What a guide point's page shows of its river now: whether the walkway is closed (then the
    safety notice replaces the 3D view and "near a spot"), and the river's page."""
    walkway = WalkwayClosure.objects.filter(river_id=point.river_id, reopened_at__isnull=True).first()
    return {
        "walkway": walkway,
        "walkway_reason": pick_language(walkway.reason_ko, walkway.reason_en) if walkway else "",
        "river_url": point.river.get_url(),
        "past": history_near(point.latitude, point.longitude),
    }


def river_page_url(river: River, language_code: str) -> str | None:
    """The address of the river's live Wagtail page in that language, if an editor has made one."""
    from apps.rivers.pages import RiverPage

    page = RiverPage.objects.live().filter(river=river, locale__language_code=language_code).first()
    return page.url if page else None


def river_points(river: River) -> list:
    """The river's live guide points in the reader's language, north to south, for its page."""
    from apps.rivers.pages import RiverPointPage

    points = RiverPointPage.objects.live().filter(river=river, locale__language_code="ko").order_by("-latitude")
    shown = []
    for point in points.select_related("place"):
        localized = point.localized
        localized.place_code = point.place.code if point.place_id else ""  # its QR code's, for saving offline
        shown.append(localized)
    return shown
