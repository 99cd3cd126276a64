"""Plausible tracks for courses whose GPX the city has not given yet: a path that passes through the
course's named points, winds like a foot path until it is as long as the published distance, and
climbs and falls smoothly between the elevations given for those points. Always flagged
approximate (TrailPage.track_is_approximate): it is a drawing, not a survey.

Deterministic: the same inputs give the same track, so seeding twice changes nothing."""

import math

from apps.places import spatial
from apps.trails.track import Point

STEP_M = 20.0  # one point every 20 m, as a GPS logging every 15 s at walking pace
WAVELENGTHS_M = (600.0, 180.0)  # a path's bends: long sweeps and short turns
HILL_WAVELENGTH_M = 450.0


def _metres_per_degree(latitude: float) -> tuple[float, float]:
    north = math.radians(1) * spatial.EARTH_RADIUS_M
    return north, north * math.cos(math.radians(latitude))


def _winding(vertices: list[tuple[float, float]], amplitude_m: float) -> list[tuple[float, float, int, float]]:
    """Points along each leg, pushed sideways by a sum of sines that is zero at every vertex:
    (latitude, longitude, leg index, 0..1 along the leg)."""
    points = []
    for leg, ((lat1, lng1), (lat2, lng2)) in enumerate(zip(vertices, vertices[1:], strict=False)):
        north, east = _metres_per_degree(lat1)
        dx, dy = (lng2 - lng1) * east, (lat2 - lat1) * north
        length = math.hypot(dx, dy) or 1.0
        normal_x, normal_y = -dy / length, dx / length
        steps = max(int(length // STEP_M), 1)
        for step in range(0 if leg == 0 else 1, steps + 1):
            t = step / steps
            along = t * length
            sway = sum(
                weight * math.sin(2 * math.pi * along / wavelength)
                for weight, wavelength in zip((1.0, 0.5), WAVELENGTHS_M, strict=True)
            )
            offset = amplitude_m * math.sin(math.pi * t) * sway
            x, y = dx * t + normal_x * offset, dy * t + normal_y * offset
            points.append((lat1 + y / north, lng1 + x / east, leg, t))
    return points


def _length(points: list[tuple[float, float, int, float]]) -> float:
    return spatial.line_lengths_m([(point[0], point[1]) for point in points])[-1]


def approximate_track(
    vertices: list[tuple[float, float]], elevations: list[float], *, length_m: float, hills_m: float
) -> list[Point]:
    """A track through `vertices` about `length_m` long (within 1 %: the sideways sway is found by
    bisection), with `elevations` at the vertices, eased between them, plus rolling hills of
    `hills_m` (zero at the vertices)."""
    if len(vertices) != len(elevations) or len(vertices) < 2:
        raise ValueError("one elevation per vertex, and at least two vertices")
    low, high = 0.0, 2000.0
    points = _winding(vertices, low)
    if _length(points) < length_m:
        for _ in range(40):
            middle = (low + high) / 2
            points = _winding(vertices, middle)
            measured = _length(points)
            if abs(measured - length_m) <= 0.005 * length_m:
                break
            low, high = (middle, high) if measured < length_m else (low, middle)
    along = spatial.line_lengths_m([(point[0], point[1]) for point in points])
    track = []
    for (latitude, longitude, leg, t), distance in zip(points, along, strict=True):
        eased = (1 - math.cos(math.pi * t)) / 2
        elevation = elevations[leg] + (elevations[leg + 1] - elevations[leg]) * eased
        elevation += hills_m * math.sin(math.pi * t) * math.sin(2 * math.pi * distance / HILL_WAVELENGTH_M)
        track.append(Point(round(latitude, 6), round(longitude, 6), round(elevation, 1)))
    return track
