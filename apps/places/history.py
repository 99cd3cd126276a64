"""The past of a spot ("이곳의 옛 모습"), for any area's pages, from whichever area keeps the city's
history: apps/archive registers itself when it is installed, so a trail marker (and later a river
point) shows old photographs and records of the place where the walker stands without importing it."""

from collections.abc import Callable
from dataclasses import dataclass

# How far from a spot the past still counts as "here".
NEAR_M = 200


@dataclass(frozen=True)
class PastRecord:
    title: str  # in the reader's language
    date_text: str  # in the reader's words ("1950년대", "1950s")
    distance_m: float
    url: str  # its page
    thumbnail_url: str  # a small image, or "" for a record without one
    illustrative: bool  # drawn for demonstration, which pages must say


Provider = Callable[[float, float, float], list[PastRecord]]
_providers: list[Provider] = []


def history_provider_register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def history_near(latitude: float, longitude: float, *, within_m: float = NEAR_M, limit: int = 6) -> list[PastRecord]:
    """Public records of the past within `within_m` of a point, nearest first; empty when no area
    keeps the city's history."""
    found = [record for provider in _providers for record in provider(latitude, longitude, within_m)]
    return sorted(found, key=lambda record: record.distance_m)[:limit]
