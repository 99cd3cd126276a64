"""The figures of a track, against values worked out by hand for four points.

The track (tests/trails/conftest.py, HAND_TRACK): four points on the meridian 127° E, 0.009° of
latitude apart, at 100, 200, 197 and 201 m.

Distance. Along a meridian the haversine is R·Δφ: 6,371,000 m × 0.009 × π/180 = 1,000.754 m per
segment, 3,002.263 m in all.

Ascent and descent (5 m rule). 100 → 200: +100, at least 5 m, so it counts and the trend is up.
200 → 197: −3 against the trend and under 5 m: ignored (GPS noise). 197 → 201: 201 is 1 m above the
last counted level (200) and the trend is up, so +1 counts. Ascent 101 m, descent 0 m (summing every
step would give 104 up and 3 down). Highest point 201 m.

Walking time (Tobler, v = 6·e^(−3.5·|s + 0.05|) km/h; every segment is over 50 m, so one stretch each):
  s₁ = 100 / 1,000.754 = 0.09992 → v = 6·e^(−0.52474) = 3.5503 km/h = 59.171 m/min → 16.913 min
  s₂ = −3 / 1,000.754 = −0.00300 → v = 6·e^(−0.16451) = 5.0899 km/h = 84.831 m/min → 11.797 min
  s₃ = 4 / 1,000.754 = 0.00400 → v = 6·e^(−0.18899) = 4.9668 km/h = 82.780 m/min → 12.089 min
  total 40.799 min.

Energy (ACSM: VO₂ = 3.5 + 0.1·S + 1.8·S·G ml/kg/min, G the uphill grade, 5 kcal per litre, 65 kg):
  1: 3.5 + 5.917 + 1.8 × 59.171 × 0.09992 = 20.060 → 20.060 × 65 × 16.913 / 1000 × 5 = 110.26 kcal
  2: 3.5 + 8.483 (downhill counts as flat) = 11.983 → 11.983 × 65 × 11.797 / 1000 × 5 = 45.94 kcal
  3: 3.5 + 8.278 + 1.8 × 82.780 × 0.00400 = 12.374 → 12.374 × 65 × 12.089 / 1000 × 5 = 48.62 kcal
  total 204.82 kcal.

Difficulty: 3.002 km + 101 m / 100 = 4.01 effort-km, below 8: easy.
"""

import math

import pytest

from apps.trails import track
from apps.trails.gpx import parse_gpx
from tests.trails.conftest import HAND_TRACK, gpx_of


def test_the_hand_worked_track_from_its_gpx_file():
    points = parse_gpx(gpx_of(HAND_TRACK))
    figures = track.figures(points)
    assert figures.distance_m == pytest.approx(3002.263, abs=0.01)
    assert (figures.ascent_m, figures.descent_m, figures.highest_m) == (101, 0, 201)
    assert figures.walking_minutes == pytest.approx(16.913 + 11.797 + 12.089, abs=0.005)
    assert figures.kcal == pytest.approx(110.26 + 45.94 + 48.62, abs=0.05)
    assert figures.difficulty == track.Difficulty.EASY
    # Walking minutes from the start at each point, for the markers' "time to the next one".
    assert figures.minutes == pytest.approx([0, 16.913, 28.710, 40.799], abs=0.005)


def test_noise_on_a_flat_walk_adds_no_ascent_and_a_steady_climb_counts_whole():
    assert track.elevation_change([50, 52, 49, 51, 48, 50]) == (0, 0)
    assert track.elevation_change([0, 3, 6, 9]) == (9, 0)  # the first 6 m at once, then each metre
    assert track.elevation_change([0, 6, 8, 10, 4]) == (10, 6)


def test_slopes_are_taken_over_stretches_of_at_least_fifty_metres():
    # Points 10 m apart with ±2 m of noise: read point to point, each would be a 20 % slope.
    step = 10 / (math.radians(1) * 6_371_000)
    points = [track.Point(37.7 + i * step, 127.0, 100 + (2 if i % 2 else 0)) for i in range(11)]
    flat = [track.Point(p.latitude, p.longitude, 100) for p in points]
    assert track.figures(points).walking_minutes == pytest.approx(track.figures(flat).walking_minutes, rel=0.02)


def test_difficulty_thresholds_in_effort_kilometres():
    assert track.difficulty_for(7_900, 0) == track.Difficulty.EASY
    assert track.difficulty_for(6_000, 200) == track.Difficulty.MODERATE  # 8 effort-km
    assert track.difficulty_for(14_000, 99) == track.Difficulty.MODERATE
    assert track.difficulty_for(10_000, 500) == track.Difficulty.HARD  # 15 effort-km


def test_a_track_without_elevations_is_timed_as_flat():
    points = [track.Point(p.latitude, p.longitude) for p in HAND_TRACK]
    figures = track.figures(points)
    assert (figures.ascent_m, figures.highest_m) == (None, None)
    assert figures.walking_minutes == pytest.approx(3002.263 / (track.tobler_kmh(0) * 1000 / 60), abs=0.01)


def test_simplification_keeps_the_ends_and_the_corners():
    straight = [track.Point(37.7 + i * 0.0001, 127.0, 100) for i in range(50)]
    corner = straight + [track.Point(37.7049, 127.0 + i * 0.0001, 100) for i in range(1, 50)]
    assert track.simplified_indexes(straight) == [0, 49]
    assert track.simplified_indexes(corner) == [0, 49, 98]
