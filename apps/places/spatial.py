"""Distances, nearby searches and lines on plain latitude/longitude columns.

Every spatial query and calculation of the portal lives here, so that a city that needs PostGIS can
replace this one module (decisions 0003 and 0026). Points are (latitude, longitude) in degrees.
"""

import math
from dataclasses import dataclass

from django.db.models import QuerySet

EARTH_RADIUS_M = 6_371_000


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres (haversine); exact enough for a city."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lng2 - lng1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def bounding_box(latitude: float, longitude: float, radius_m: float) -> tuple[float, float, float, float]:
    """(south, west, north, east) of a box that holds every point within radius_m of the point."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlng = math.degrees(radius_m / (EARTH_RADIUS_M * max(math.cos(math.radians(latitude)), 1e-6)))
    return latitude - dlat, longitude - dlng, latitude + dlat, longitude + dlng


def _in_box(queryset: QuerySet, latitude: float, longitude: float, radius_m: float) -> QuerySet:
    south, west, north, east = bounding_box(latitude, longitude, radius_m)
    return queryset.filter(latitude__range=(south, north), longitude__range=(west, east))


def within(queryset: QuerySet, latitude: float, longitude: float, radius_m: float) -> list[tuple[object, float]]:
    """Rows of the queryset within radius_m of the point, nearest first, with their distance.

    A bounding box narrows the rows in the database; the exact distance is checked here.
    """
    candidates = _in_box(queryset, latitude, longitude, radius_m)
    found = [(row, distance_m(latitude, longitude, row.latitude, row.longitude)) for row in candidates]
    return sorted((pair for pair in found if pair[1] <= radius_m), key=lambda pair: pair[1])


def nearest(
    queryset: QuerySet, latitude: float, longitude: float, count: int, max_radius_m: float = 20_000
) -> list[tuple[object, float]]:
    """The `count` rows nearest the point (none farther than max_radius_m), nearest first.

    The search box starts small and doubles until it holds enough rows, so a dense table is not
    read whole for the three nearest toilets.
    """
    radius = min(500.0, max_radius_m)
    while True:
        found = within(queryset, latitude, longitude, radius)
        if len(found) >= count or radius >= max_radius_m:
            return found[:count]
        radius = min(radius * 2, max_radius_m)


@dataclass(frozen=True)
class Snap:
    """Where a point lands on a line: the nearest point of the line, how far along the line that
    is, and how far the given point was from it."""

    latitude: float
    longitude: float
    segment: int  # index of the line's point that starts the segment it lands on
    fraction: float  # 0..1 along that segment
    along_m: float
    offset_m: float


def line_lengths_m(line: list[tuple[float, float]]) -> list[float]:
    """Distance from the line's first point to each of its points, along the line."""
    totals = [0.0]
    for (lat1, lng1), (lat2, lng2) in zip(line, line[1:], strict=False):
        totals.append(totals[-1] + distance_m(lat1, lng1, lat2, lng2))
    return totals


def snap_to_line(line: list[tuple[float, float]], latitude: float, longitude: float) -> Snap:
    """The point of the line nearest to (latitude, longitude).

    Each segment is projected on a flat plane around the point (equirectangular: metres east and
    north), which is exact to centimetres over the few hundred metres a segment spans.
    """
    if not line:
        raise ValueError("an empty line")
    lengths = line_lengths_m(line)
    scale_x = math.radians(1) * EARTH_RADIUS_M * math.cos(math.radians(latitude))
    scale_y = math.radians(1) * EARTH_RADIUS_M
    best: Snap | None = None
    for index in range(max(len(line) - 1, 1)):
        (lat1, lng1), (lat2, lng2) = line[index], line[min(index + 1, len(line) - 1)]
        ax, ay = (lng1 - longitude) * scale_x, (lat1 - latitude) * scale_y
        bx, by = (lng2 - longitude) * scale_x, (lat2 - latitude) * scale_y
        dx, dy = bx - ax, by - ay
        squared = dx * dx + dy * dy
        fraction = 0.0 if squared == 0 else min(1.0, max(0.0, -(ax * dx + ay * dy) / squared))
        offset = math.hypot(ax + fraction * dx, ay + fraction * dy)
        if best is None or offset < best.offset_m:
            best = Snap(
                latitude=lat1 + fraction * (lat2 - lat1),
                longitude=lng1 + fraction * (lng2 - lng1),
                segment=index,
                fraction=fraction,
                along_m=lengths[index] + fraction * (lengths[min(index + 1, len(line) - 1)] - lengths[index]),
                offset_m=offset,
            )
    return best
