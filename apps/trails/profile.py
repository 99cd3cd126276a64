"""The elevation profile drawn by the server as a small SVG: no script, no chart library, readable
by screen readers through its title and description (trails/_profile.html)."""

import math
from dataclasses import dataclass

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

from apps.trails.templatetags.trails_tags import km

# Drawn for a phone (scaled to the page's width): labels stay legible at 360 px.
WIDTH, HEIGHT = 400, 200
LEFT, RIGHT, TOP, BOTTOM = 46, 8, 14, 26
MAX_POINTS = 300  # enough for a wide screen; more only adds bytes


@dataclass
class Tick:
    position: float
    label: str


def _nice_step(span: float, target_ticks: int) -> float:
    raw = span / max(target_ticks, 1)
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    return next(step * magnitude for step in (1, 2, 5, 10) if step * magnitude >= raw)


def elevation_profile(rows: list[list], markers: list, *, title: str) -> dict | None:
    """What trails/_profile.html draws, from the page's track rows and its markers; None when the
    track has no elevations."""
    if len(rows) < 2 or any(row[2] is None for row in rows):
        return None
    if len(rows) > MAX_POINTS:
        stride = math.ceil(len(rows) / MAX_POINTS)
        highest = max(range(len(rows)), key=lambda index: rows[index][2])
        rows = [row for index, row in enumerate(rows) if index % stride == 0 or index in (highest, len(rows) - 1)]
    total = rows[-1][3] or 1.0
    elevations = [row[2] for row in rows]
    step_m = _nice_step(max(max(elevations) - min(elevations), 10), 4)
    floor = math.floor(min(elevations) / step_m) * step_m
    ceiling = math.ceil(max(elevations) / step_m) * step_m
    if ceiling == floor:
        ceiling = floor + step_m
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(along: float) -> float:
        return round(LEFT + along / total * plot_w, 1)

    def y(elevation: float) -> float:
        return round(TOP + (ceiling - elevation) / (ceiling - floor) * plot_h, 1)

    line = " ".join(f"{'M' if index == 0 else 'L'}{x(row[3])} {y(row[2])}" for index, row in enumerate(rows))
    base = y(floor)
    step_km = _nice_step(total / 1000, 4)
    x_ticks = [
        Tick(x(k * step_km * 1000), _("%(km)s km") % {"km": floatformat(k * step_km, -1)})
        for k in range(int(total / 1000 / step_km) + 1)
    ]
    y_ticks = [
        Tick(y(floor + k * step_m), f"{floor + k * step_m:.0f} m") for k in range(int((ceiling - floor) / step_m) + 1)
    ]
    top_row = max(rows, key=lambda row: row[2])
    description = _(
        "Starts at %(start)s m and ends at %(end)s m after %(distance)s; the highest point, %(high)s m, "
        "is at %(high_at)s."
    ) % {
        "start": round(rows[0][2]),
        "end": round(rows[-1][2]),
        "distance": km(total),
        "high": round(top_row[2]),
        "high_at": km(top_row[3]),
    }
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "title": title,
        "description": description,
        "line": line,
        "area": f"{line} L{x(total)} {base} L{x(0)} {base} Z",
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "base": base,
        "x_ticks": x_ticks,
        "y_ticks": y_ticks,
        "markers": [
            {"x": x(min(marker.along_m, total)), "number": marker.number}
            for marker in markers
            if marker.along_m <= total
        ],
        "marker_y": TOP + 2,
    }
