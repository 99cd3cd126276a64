"""Live bus arrivals from 경기도 GBIS (busarrivalservice/v2, getBusArrivalListv2, JSON), cached per
stop so that a busy page makes one provider call per window (the provider's quota is per day).
Without a configured provider, or when it fails, the timetable answers, labelled "scheduled":
a scheduled time is never shown as a live one. The illustrative feed's bus stops, with no provider
configured, get arrivals made from its timetable in GBIS's format, labelled "demo"."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import requests
from django.conf import settings
from django.core.cache import cache

from apps.transit.demo_arrivals import demo_arrival_answer
from apps.transit.models import Stop
from apps.transit.selectors import RouteDepartures, next_departures

logger = logging.getLogger(__name__)

# v2: each arrival keeps the moment it was predicted (answers cached under "transit:gbis:" lack it).
CACHE_PREFIX = "transit:gbis:v2:"


@dataclass(frozen=True)
class LiveArrival:
    route_id: str
    route_name: str
    predict_seconds: int
    stops_away: int | None
    plate: str
    low_floor: bool
    remaining_seats: int | None  # None: the provider does not know (-1)
    crowding: int | None  # 1 여유 .. 4 매우혼잡; None when not given
    flag: str  # RUN / PASS / STOP / WAIT
    # GBIS counts a route's stops out and back in one sequence: up to turnSeq is the way out (0).
    direction_id: int | None
    observed_at: datetime  # when the provider was asked: predict_seconds count from here

    @property
    def minutes(self) -> int:
        return self.predict_seconds // 60

    @property
    def arrives_at(self) -> datetime:
        return self.observed_at + timedelta(seconds=self.predict_seconds)


def _number(value: Any) -> int | None:
    """GBIS sends numbers, numeric strings or "" for an empty second slot."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def _direction(item: dict) -> int | None:
    order, turn = _number(item.get("staOrder")), _number(item.get("turnSeq"))
    if order is None or turn is None:
        return None
    return 0 if order <= turn else 1


def parse_arrivals(payload: Any, *, observed_at: datetime) -> list[LiveArrival]:
    """The arrivals in a getBusArrivalListv2 answer asked at observed_at, first and second vehicle
    per route, soonest first. Raises ValueError when the answer is not of that shape; resultCode 4
    (no bus) is an empty list."""
    try:
        response = payload["response"]
        header, body = response["msgHeader"], response.get("msgBody") or {}
        code = _number(header["resultCode"])
    except (KeyError, TypeError) as error:
        raise ValueError("not a GBIS arrival answer") from error
    if code == 4:
        return []
    if code != 0:
        raise ValueError(f"GBIS resultCode {code}: {str(header.get('resultMessage', ''))[:100]}")
    items = body.get("busArrivalList") if isinstance(body, dict) else None
    if isinstance(items, dict):  # one route: an object, not a list
        items = [items]
    if not isinstance(items, list):
        raise ValueError("busArrivalList missing")
    arrivals = []
    for item in items:
        if not isinstance(item, dict):
            raise ValueError("busArrivalList item is not an object")
        for slot in ("1", "2"):
            seconds = _number(item.get(f"predictTimeSec{slot}"))
            minutes = _number(item.get(f"predictTime{slot}"))
            if seconds is None and minutes is None:
                continue
            seats = _number(item.get(f"remainSeatCnt{slot}"))
            crowding = _number(item.get(f"crowded{slot}"))
            arrivals.append(
                LiveArrival(
                    route_id=str(item.get("routeId", ""))[:30],
                    route_name=str(item.get("routeName", ""))[:30],
                    predict_seconds=seconds if seconds is not None else minutes * 60,
                    stops_away=_number(item.get(f"locationNo{slot}")),
                    plate=str(item.get(f"plateNo{slot}", ""))[:20],
                    low_floor=_number(item.get(f"lowPlate{slot}")) == 1,
                    remaining_seats=seats if seats is not None and seats >= 0 else None,
                    crowding=crowding if crowding else None,
                    flag=str(item.get("flag", ""))[:10],
                    direction_id=_direction(item),
                    observed_at=observed_at,
                )
            )
    return sorted(arrivals, key=lambda arrival: arrival.predict_seconds)


def _fetch(stop: Stop, now: datetime) -> list[LiveArrival]:
    response = requests.get(
        settings.TRANSIT_GBIS_URL,
        params={"serviceKey": settings.TRANSIT_GBIS_KEY, "stationId": stop.stop_id, "format": "json"},
        timeout=settings.TRANSIT_GBIS_TIMEOUT,
    )
    response.raise_for_status()
    return parse_arrivals(response.json(), observed_at=now)


def _cache_key(stop: Stop) -> str:
    # By GBIS stationId alone: a stop two cities' feeds share is one provider call.
    return f"{CACHE_PREFIX}{stop.stop_id}"


def arrivals_source(stop: Stop) -> str | None:
    """Where the stop's arrivals come from: "live" (GBIS), "demo" (the illustrative feed's timetable
    in GBIS's format, when no provider is configured) or None (a rail station, or nothing configured)."""
    if not stop.stop_id.isdigit():  # GBIS stationIds are numbers; rail stations have none
        return None
    if settings.TRANSIT_GBIS_URL:
        return "live"
    if settings.TRANSIT_DEMO_ARRIVALS and stop.feed.is_illustrative:
        return "demo"
    return None


def live_arrivals(stop: Stop, *, now: datetime) -> list[LiveArrival] | None:
    """The stop's live (or demo) arrivals, or None when none can be had (see arrivals_source, or the
    provider failing): the caller then shows the timetable as "scheduled".
    One provider call per stop per TRANSIT_ARRIVALS_CACHE_SECONDS; a failure is cached as well,
    so a provider that is down is not asked on every page view."""
    source = arrivals_source(stop)
    if source is None:
        return None
    key = _cache_key(stop)
    cached = cache.get(key)  # (whether the provider answered, its arrivals)
    if cached is None:
        try:
            if source == "live":
                cached = (True, _fetch(stop, now))
            else:
                cached = (True, parse_arrivals(demo_arrival_answer(stop, now=now), observed_at=now))
        except (requests.RequestException, ValueError) as error:
            logger.warning("GBIS arrivals for stop %s failed: %s", stop.stop_id, error)
            cached = (False, [])
        cache.set(key, cached, settings.TRANSIT_ARRIVALS_CACHE_SECONDS)
    answered, arrivals = cached
    return arrivals if answered else None


def cached_live_arrivals(stops: Iterable[Stop]) -> dict[Stop, list[LiveArrival]]:
    """The live arrivals visitors' requests have already fetched for these stops (one cache read,
    never a provider call: publishing them, e.g. as GTFS-Realtime, costs no quota)."""
    by_key = {_cache_key(stop): stop for stop in stops}
    found = cache.get_many(list(by_key))
    return {by_key[key]: arrivals for key, (answered, arrivals) in found.items() if answered}


@dataclass(frozen=True)
class StopBoard:
    """What a stop page and the arrivals endpoint show: live arrivals when the provider answered,
    and always the timetable (next departures and the last one of the day per route)."""

    stop: Stop
    source: str  # "live", "demo" or "scheduled"
    live: list[LiveArrival]
    routes: list[RouteDepartures]
    illustrative: bool


def stop_board(stop: Stop, *, now: datetime) -> StopBoard:
    live = live_arrivals(stop, now=now)
    # GBIS names a route by its sign ("3"); riders, the timetable and the bot by its display name ("3번").
    names = {route.short_name: route.display_name for route in stop.feed.routes.all()} if live else {}
    return StopBoard(
        stop=stop,
        source=arrivals_source(stop) if live is not None else "scheduled",
        live=[replace(arrival, route_name=names.get(arrival.route_name, arrival.route_name)) for arrival in live or []],
        routes=next_departures(stop, now=now),
        illustrative=stop.feed.is_illustrative,
    )
