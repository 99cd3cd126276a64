"""Departures near a point, for any area's pages ("get me there / back from here"), from whichever
area keeps the timetables: apps/transit registers itself when it is installed, so trails (and
later river points) show the next buses and trains without importing it."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone


@dataclass(frozen=True)
class LineDepartures:
    line: str  # "1번", "U Line"
    next: list[datetime]
    last: datetime | None  # the last departure of the day (it may have left already)


@dataclass(frozen=True)
class StopDepartures:
    name: str
    is_rail: bool
    distance_m: float
    url: str  # the stop's permanent /t/<code> address
    lines: list[LineDepartures]
    illustrative: bool  # from a timetable made up for demonstration, which pages must say


Provider = Callable[[float, float, datetime], list[StopDepartures]]
_providers: list[Provider] = []


def departures_provider_register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def departures_near(latitude: float, longitude: float, *, now: datetime | None = None) -> list[StopDepartures]:
    """The nearest stops and stations with their next and last departures, nearest first; empty
    when no area keeps timetables."""
    now = now or timezone.now()
    found = [stop for provider in _providers for stop in provider(latitude, longitude, now)]
    return sorted(found, key=lambda stop: stop.distance_m)
