"""A river's page (its Wagtail page, apps.rivers.pages.RiverPage, with the editor's text above, or
the live state alone): whether its walkway is open, each entrance (with the next buses and trains
near it), each station's level now with its alert levels and a chart of its last 24 hours, fine
dust at the nearest AirKorea station, and the open entrance nearest you. The page is the
same for everyone, so the page cache keeps it; since it prints levels with their time, a kept page
lives at most LIVE_PAGE_SECONDS, and static/js/river-live.js brings the walkway, the entrances and
the levels up to date over the socket (apps/rivers/consumers.py) without a reload."""

import math
from datetime import timedelta

from django import forms
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from apps.common.query_forms import CanonicalQueryForm, canonical_redirect
from apps.municipalities.selectors import municipality_for_request_or_404
from apps.places.departures import departures_near
from apps.rivers import air, selectors
from apps.rivers.hrfco import SEOUL
from apps.rivers.models import AlertLevel

LIVE_PAGE_SECONDS = 60

# The chart's drawing box (SVG user units; the SVG scales to the column) and its plot area.
CHART_WIDTH, CHART_HEIGHT = 360, 210
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 34, 352, 12, 184
TIME_TICK_HOURS = 6


class NearEntranceForm(CanonicalQueryForm):
    """Where you are (rounded to about 100 m; only in the address, never stored)."""

    query_order = ("near",)

    near = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)


def _alert_names() -> dict[str, str]:
    # The short Korean names HRFCO uses, worded in the page's language.
    return {
        AlertLevel.ATTENTION: gettext("관심"),
        AlertLevel.CAUTION: gettext("주의"),
        AlertLevel.WARNING: gettext("경계"),
        AlertLevel.SERIOUS: gettext("심각"),
    }


def _level_chart(levels: selectors.StationLevels) -> dict:
    """The 24-hour chart as coordinates for an inline SVG: the level as paths (broken where readings
    are missing), each alert level as a labelled horizontal line, hours in Seoul time below."""
    if not levels.readings:
        return {}
    thresholds = [(level, metres) for level, metres in levels.station.thresholds.items() if metres is not None]
    values = [metres for _, metres in levels.readings] + [metres for _, metres in thresholds]
    low = math.floor(min(values) * 2) / 2
    high = max(math.ceil(max(values) * 2) / 2, low + 1)
    span = (levels.until - levels.since).total_seconds()

    def x(moment) -> float:
        return round(PLOT_LEFT + (moment - levels.since).total_seconds() / span * (PLOT_RIGHT - PLOT_LEFT), 1)

    def y(metres: float) -> float:
        return round(PLOT_BOTTOM - (metres - low) / (high - low) * (PLOT_BOTTOM - PLOT_TOP), 1)

    # Readings further apart than a level stays live are drawn with a gap, never joined as calm.
    gap = timedelta(seconds=settings.RIVERS_LIVE_SECONDS)
    paths, segment, previous = [], [], None
    for read_at, metres in levels.readings:
        if previous is not None and read_at - previous > gap:
            paths.append(segment)
            segment = []
        segment.append(f"{'M' if not segment else 'L'}{x(read_at)} {y(metres)}")
        previous = read_at
    paths.append(segment)
    step = 1.0 if high - low > 3 else 0.5
    names = _alert_names()
    ticks = [hour.hour for hour in levels.hours if hour.hour.hour % TIME_TICK_HOURS == 0]
    measured = [metres for _, metres in levels.readings]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "plot": {"left": PLOT_LEFT, "right": PLOT_RIGHT, "top": PLOT_TOP, "bottom": PLOT_BOTTOM},
        "paths": [" ".join(segment) for segment in paths],
        "last_point": (x(levels.readings[-1][0]), y(levels.readings[-1][1])),
        "alert_lines": [
            {"level": level, "name": names[level], "metres": metres, "y": y(metres)} for level, metres in thresholds
        ],
        "metre_ticks": [
            {"metres": low + index * step, "y": y(low + index * step), "label_y": y(low + index * step) + 4}
            for index in range(int(round((high - low) / step)) + 1)
        ],
        "time_ticks": [{"label": f"{hour:%H}:00", "x": x(hour)} for hour in ticks],
        "lowest": min(measured),
        "highest": max(measured),
        "last": measured[-1],
        "since": levels.since.astimezone(SEOUL),
        "until": levels.until.astimezone(SEOUL),
        "hours": levels.hours,
    }


def _fine_dust(reading: air.FineDust | None) -> dict | None:
    """The kept hour, in Seoul time, with its grades worded in the page's language. Read from the
    cache as the page is rendered: a kept page lives a minute, and the socket brings a new hour."""
    if reading is None:
        return None
    return {
        **reading.as_dict(),
        "measured_at": reading.measured_at.astimezone(SEOUL),
        "pm10_label": air.grade_label(reading.pm10_grade),
        "pm25_label": air.grade_label(reading.pm25_grade),
    }


def _live_texts() -> dict:
    """What static/js/river-live.js writes, in the page's language."""
    return {
        "walkway_open": gettext("The walkway is open."),
        "walkway_closed": gettext("The walkway is closed."),
        "open": gettext("open"),
        "closed": gettext("closed"),
        "read_at": gettext("read at"),
        "unknown": gettext("Unknown: no reading in the last 30 minutes."),
        "last_read": gettext("last read"),
        "alerts": {level.value: str(level.label) for level in AlertLevel},
        "grades": {grade: str(label) for grade, label in air.GRADES.items()},
        "pm10": gettext("PM10 (fine dust)"),
        "pm25": gettext("PM2.5 (ultrafine dust)"),
        "not_measured": gettext("not measured"),
        # {station} and {time} are filled in by the script.
        "measured": gettext("%(station)s station, measured at %(time)s") % {"station": "{station}", "time": "{time}"},
        "illustrative": gettext("illustrative data, not AirKorea's"),
    }


def river_page_response(request: HttpRequest, river, page=None) -> HttpResponse:
    """The river's page, from its Wagtail page (`page`: the editor's title, summary and text above the
    live state) or, for a river no editor has written a page for, from the live state alone."""
    near_form = NearEntranceForm(request.GET or None)
    if redirect := canonical_redirect(request, near_form):
        return redirect
    now = timezone.now()
    state = selectors.river_states([river], now=now)[0]
    near = near_form.valid_part().get("near")
    context = {
        "page": page,
        "self": page,
        "state": state,
        "river": river,
        # Each entrance with the next buses and trains at its nearest stops (from apps/places, which
        # the transit area fills), as trail markers have them.
        "entrances": [
            (entry, departures_near(entry.entrance.place.latitude, entry.entrance.place.longitude, now=now))
            for entry in state.entrances
        ],
        "stations": [
            {"station": station, "live": live, "chart": _level_chart(selectors.station_levels_24h(station, now))}
            for station, live in state.stations
        ],
        "near_form": near_form,
        "near": near,
        "nearest": selectors.nearest_open_entrance(state, *near) if near else None,
        "live_seconds": settings.RIVERS_LIVE_SECONDS,
        "live_texts": _live_texts(),
        "air": _fine_dust(selectors.fine_dust_near(state)),
        "points": selectors.river_points(river),
        "near_spot_texts": {
            "here": gettext("You are at %(name)s. Look for: %(species)s."),
            "here_without_species": gettext("You are at %(name)s."),
            "metres": gettext("%(metres)s m"),
            "unavailable": gettext("Your position could not be read; the spots are in their usual order."),
        },
    }
    response = render(request, "rivers/river_detail.html", context)
    response.page_cache_seconds = LIVE_PAGE_SECONDS
    return response


@require_safe
def river_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A river by its slug: its Wagtail page when it has one in this language (addresses given out
    before the page was written keep working), else the live state alone."""
    municipality = municipality_for_request_or_404(request)
    river = selectors.city_rivers(municipality).filter(slug=slug).first()
    if river is None:
        raise Http404("no river has this slug")
    if page_url := selectors.river_page_url(river, translation.get_language()):
        query = request.META.get("QUERY_STRING", "")
        return HttpResponseRedirect(f"{page_url}?{query}" if query else page_url)
    return river_page_response(request, river)
