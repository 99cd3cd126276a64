"""Distances and nearby searches on plain latitude/longitude columns.

Every spatial query of the portal lives here, so that a city that needs PostGIS can replace this
one module (see docs/decisions/0003-no-gdal.md).
"""

import math

from django.db.models import QuerySet

EARTH_RADIUS_M = 6_371_000


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres (haversine); exact enough for a city."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lng2 - lng1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def within(queryset: QuerySet, latitude: float, longitude: float, radius_m: float) -> list[tuple[object, float]]:
    """Rows of the queryset within radius_m of the point, nearest first, with their distance.

    A bounding box narrows the rows in the database; the exact distance is checked here.
    """
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlng = math.degrees(radius_m / (EARTH_RADIUS_M * math.cos(math.radians(latitude))))
    candidates = queryset.filter(
        latitude__range=(latitude - dlat, latitude + dlat), longitude__range=(longitude - dlng, longitude + dlng)
    )
    found = [(row, distance_m(latitude, longitude, row.latitude, row.longitude)) for row in candidates]
    return sorted((pair for pair in found if pair[1] <= radius_m), key=lambda pair: pair[1])
