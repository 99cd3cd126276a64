"""From a track's points to what a walker reads: distance, ascent and descent, highest point,
walking time, energy, difficulty, and the simplified line the pages draw.

The rules (README "Trails", decision 0027), each chosen so a walker's GPS noise does not change the
answer much and a person can check it by hand:

- Distance: great-circle (haversine) distance between consecutive points, on a 6,371 km sphere.
- Ascent and descent: a climb or a drop counts once the elevation has moved ELEVATION_THRESHOLD_M
  against the current trend (or from the start); after that every further step the same way counts
  at once. A GPS wobbling ±2 m on the flat adds nothing; a real 100 m climb counts whole.
- Walking time: Tobler's hiking function, v = 6·exp(−3.5·|s + 0.05|) km/h for slope s, on stretches
  of at least STRETCH_M (consecutive points are joined until they are that long), so a metre of
  elevation noise between two points a metre apart is not read as a cliff.
- Energy: the ACSM walking equation, VO₂ = 3.5 + 0.1·S + 1.8·S·G ml/kg/min (S speed in m/min,
  G the uphill grade; downhill counts as flat, as ACSM advises), 5 kcal per litre of oxygen, for a
  WALKER_KG walker at Tobler's speed on each stretch.
- Difficulty: effort kilometres (the Swiss hiking federation's Leistungskilometer: one per km plus
  one per 100 m of ascent): easy below 8, moderate below 15, hard from 15.
"""

import math
from dataclasses import dataclass, field

from gpxpy import geo as gpx_geo

from apps.places import spatial

ELEVATION_THRESHOLD_M = 5.0
STRETCH_M = 50.0
WALKER_KG = 65
KCAL_PER_LITRE_O2 = 5.0
EASY_BELOW_EFFORT_KM = 8
MODERATE_BELOW_EFFORT_KM = 15
# Douglas-Peucker tolerance for the line the pages draw and the GPX download carries.
SIMPLIFY_TOLERANCE_M = 5.0
PROFILE_TOLERANCE_M = 2.0
# Douglas-Peucker recurses; a chunk this long keeps its depth far below Python's limit.
_SIMPLIFY_CHUNK = 400


class Difficulty:
    EASY = "easy"
    MODERATE = "moderate"
    HARD = "hard"


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float
    elevation: float | None = None


@dataclass
class Figures:
    distance_m: float
    ascent_m: float | None
    descent_m: float | None
    highest_m: float | None
    lowest_m: float | None
    walking_minutes: float
    kcal: float
    difficulty: str
    # Per input point: distance and walking minutes from the start.
    along_m: list[float] = field(repr=False)
    minutes: list[float] = field(repr=False)


def tobler_kmh(slope: float) -> float:
    return 6 * math.exp(-3.5 * abs(slope + 0.05))


def acsm_kcal(speed_m_per_min: float, grade: float, minutes: float, kg: float = WALKER_KG) -> float:
    oxygen_ml_per_kg_min = 3.5 + 0.1 * speed_m_per_min + 1.8 * speed_m_per_min * max(grade, 0.0)
    return oxygen_ml_per_kg_min * kg * minutes / 1000 * KCAL_PER_LITRE_O2


def elevation_change(elevations: list[float], threshold: float = ELEVATION_THRESHOLD_M) -> tuple[float, float]:
    """(ascent, descent) in metres by the threshold rule in this module's docstring."""
    ascent = descent = 0.0
    if not elevations:
        return ascent, descent
    level, trend = elevations[0], 0
    for elevation in elevations[1:]:
        rise = elevation - level
        if rise > 0 and (trend > 0 or rise >= threshold):
            ascent, level, trend = ascent + rise, elevation, 1
        elif rise < 0 and (trend < 0 or -rise >= threshold):
            descent, level, trend = descent - rise, elevation, -1
    return ascent, descent


def difficulty_for(distance_m: float, ascent_m: float | None) -> str:
    effort_km = distance_m / 1000 + (ascent_m or 0) / 100
    if effort_km < EASY_BELOW_EFFORT_KM:
        return Difficulty.EASY
    if effort_km < MODERATE_BELOW_EFFORT_KM:
        return Difficulty.MODERATE
    return Difficulty.HARD


def _stretches(along: list[float]) -> list[tuple[int, int]]:
    """(first, last) point indexes of consecutive stretches at least STRETCH_M long (the last one
    may be shorter)."""
    stretches, first = [], 0
    for index in range(1, len(along)):
        if along[index] - along[first] >= STRETCH_M or index == len(along) - 1:
            stretches.append((first, index))
            first = index
    return stretches


def figures(points: list[Point]) -> Figures:
    """Every figure of a track of at least two points; elevations may be missing (then the walk
    is timed as flat and there is no ascent, profile or highest point)."""
    along = spatial.line_lengths_m([(point.latitude, point.longitude) for point in points])
    known = [point.elevation for point in points if point.elevation is not None]
    has_elevation = len(known) == len(points)
    minutes = [0.0] * len(points)
    total_minutes = kcal = 0.0
    for first, last in _stretches(along):
        length = along[last] - along[first]
        if length <= 0:
            minutes[first + 1 : last + 1] = [total_minutes] * (last - first)
            continue
        rise = points[last].elevation - points[first].elevation if has_elevation else 0.0
        slope = rise / length
        speed_m_per_min = tobler_kmh(slope) * 1000 / 60
        stretch_minutes = length / speed_m_per_min
        for index in range(first + 1, last + 1):
            minutes[index] = total_minutes + stretch_minutes * (along[index] - along[first]) / length
        total_minutes += stretch_minutes
        kcal += acsm_kcal(speed_m_per_min, slope, stretch_minutes)
    ascent, descent = elevation_change(known) if has_elevation else (None, None)
    return Figures(
        distance_m=along[-1],
        ascent_m=ascent,
        descent_m=descent,
        highest_m=max(known) if has_elevation else None,
        lowest_m=min(known) if has_elevation else None,
        walking_minutes=total_minutes,
        kcal=kcal,
        difficulty=difficulty_for(along[-1], ascent),
        along_m=along,
        minutes=minutes,
    )


def _douglas_peucker(locations: list[gpx_geo.Location], tolerance_m: float) -> list[int]:
    """Indexes of the locations gpxpy's Douglas-Peucker keeps, run on chunks so its recursion
    stays shallow."""
    position = {id(location): index for index, location in enumerate(locations)}
    kept: list[int] = []
    for start in range(0, max(len(locations) - 1, 1), _SIMPLIFY_CHUNK):
        chunk = locations[start : start + _SIMPLIFY_CHUNK + 1]
        indexes = [position[id(location)] for location in gpx_geo.simplify_polyline(chunk, tolerance_m)]
        kept.extend(indexes[1:] if kept else indexes)
    return kept


def simplified_indexes(
    points: list[Point], tolerance_m: float = SIMPLIFY_TOLERANCE_M, profile_tolerance_m: float = PROFILE_TOLERANCE_M
) -> list[int]:
    """Indexes of the points to keep: those the line on the map needs (within tolerance_m of the
    track) and those the elevation profile needs (within profile_tolerance_m of it), so a climb on
    a straight stretch keeps its top."""
    kept = set(_douglas_peucker([gpx_geo.Location(p.latitude, p.longitude) for p in points], tolerance_m))
    if all(point.elevation is not None for point in points):
        # The profile as a line on a plane: metres along the track and metres up, laid on the
        # equator (where a degree is the same number of metres both ways) for gpxpy to simplify.
        metres_per_degree = math.radians(1) * spatial.EARTH_RADIUS_M
        along = spatial.line_lengths_m([(p.latitude, p.longitude) for p in points])
        profile = [
            gpx_geo.Location(p.elevation / metres_per_degree, a / metres_per_degree)
            for p, a in zip(points, along, strict=True)
        ]
        kept.update(_douglas_peucker(profile, profile_tolerance_m))
    return sorted(kept)
