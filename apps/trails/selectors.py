"""Reads for the trail pages. Figures, track and markers always come from the Korean page of a
trail (`TrailPage.source`), whatever the language of the page being shown."""

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.places.departures import departures_near
from apps.places.history import history_near
from apps.places.models import Closure
from apps.places.selectors import closures_active, place_permanent_url
from apps.trails import transit
from apps.trails.blocks import Season
from apps.trails.gpx import build_gpx
from apps.trails.models import Facility, TrailIndexPage, TrailMarker, TrailPage
from apps.trails.profile import elevation_profile
from apps.trails.track import Point


@dataclass
class TrailCard:
    page: TrailPage  # in the reader's language
    trail: TrailPage  # the Korean page, with the figures
    closures: list[Closure]


def trail_cards(index: TrailIndexPage) -> list[TrailCard]:
    """The index's live trails with their figures and closures, in course order: three queries
    whatever the number of trails."""
    pages = list(TrailPage.objects.child_of(index).live().public().specific())
    sources = {
        page.translation_key: page
        for page in TrailPage.objects.filter(
            translation_key__in=[page.translation_key for page in pages], locale__language_code=settings.LANGUAGE_CODE
        )
    }
    closures = list(closures_active(pages=list(sources.values()) or pages))
    cards = []
    for page in pages:
        source = sources.get(page.translation_key, page)
        own = [
            closure for closure in closures if closure.page_id and closure.page.translation_key == page.translation_key
        ]
        cards.append(TrailCard(page=page, trail=source, closures=own))
    return sorted(cards, key=lambda card: (card.trail.course_number or 999, card.page.title))


# The 민원 category of trails (data/reference/<city>/complaint_categories.csv).
REPORT_CATEGORY = "tree-trail"
# The languages the 민원 report form is written in (the residents', portal.middleware.RESIDENT_LANGUAGES).
# Seasons turn with the month where the trails are, whatever the server's clock.
TRAILS_TIME_ZONE = ZoneInfo("Asia/Seoul")


def trail_markers(trail: TrailPage) -> list[TrailMarker]:
    return list(trail.markers.select_related("place", "audio").order_by("number"))


def _closures_of(trail: TrailPage, markers: list[TrailMarker]) -> list[Closure]:
    return list(closures_active(pages=[trail], places=[marker.place for marker in markers if marker.place]))


def marker_url(page: TrailPage, marker: TrailMarker) -> str:
    """The marker's page under this trail page (in that page's language)."""
    return page.url + page.reverse_subpage("marker", args=[marker.place.code])


def _map_data(page: TrailPage, trail: TrailPage, markers: list[TrailMarker]) -> dict:
    return {
        "line": [[row[0], row[1]] for row in trail.track],
        "markers": [
            {
                "number": marker.number,
                "label": f"{marker.number}. {marker.name}",
                "latitude": marker.latitude,
                "longitude": marker.longitude,
                "url": marker_url(page, marker),
            }
            for marker in markers
        ],
    }


def trail_page_context(page: TrailPage) -> dict:
    trail = page.source
    markers = [marker for marker in trail_markers(trail) if marker.place]
    return {
        "trail": trail,
        "markers": markers,
        "marker_links": [(marker, marker_url(page, marker)) for marker in markers],
        "closures": _closures_of(trail, markers),
        "profile": elevation_profile(
            trail.track, markers, title=_("Elevation profile of %(trail)s") % {"trail": page.title}
        ),
        "map_data": _map_data(page, trail, markers),
        "gpx_url": page.url + page.reverse_subpage("gpx") if trail.track else "",
        "ends": transit.trail_ends(trail.track),
    }


def marker_page_context(page: TrailPage, code: str) -> dict | None:
    """Where the walker who scanned this marker stands: its number of all, the next marker and the
    end (distance, walking time), and the closures on the trail or at a marker still ahead."""
    trail = page.source
    markers = [marker for marker in trail_markers(trail) if marker.place]
    marker = next((m for m in markers if m.place and m.place.code == code.upper()), None)
    if marker is None:
        return None
    ahead = [m for m in markers if m.along_m > marker.along_m]
    following = min(ahead, key=lambda m: m.along_m) if ahead else None
    closures = _closures_of(trail, markers)
    behind_ids = {m.place_id for m in markers if m.along_m < marker.along_m}
    end_m, end_minutes = (trail.track[-1][3], trail.track[-1][4]) if trail.track else (marker.along_m, 0)
    return {
        "trail": trail,
        "marker": marker,
        "markers": markers,
        "position": markers.index(marker) + 1,
        "next_marker": following,
        "next_url": marker_url(page, following) if following else "",
        "to_next_m": following.along_m - marker.along_m if following else None,
        "to_next_minutes": following.minutes_from_start - marker.minutes_from_start if following else None,
        "to_end_m": max(end_m - marker.along_m, 0),
        "to_end_minutes": max(end_minutes - marker.minutes_from_start, 0),
        "closures": [c for c in closures if c.page_id or c.place_id not in behind_ids],
        "permanent_url": place_permanent_url(marker.place),
        "nearest_toilet": nearest_facility(page, marker, markers, Facility.TOILET),
        "season": season_now(marker),
        "report_url": report_url(page, marker),
        "departures": departures_near(marker.latitude, marker.longitude),
        "past": history_near(marker.latitude, marker.longitude),
    }


@dataclass
class NearbyFacility:
    marker: TrailMarker  # the marker with the facility (maybe the walker's own)
    url: str
    distance_m: float  # along the track
    ahead: bool


def nearest_facility(
    page: TrailPage, here: TrailMarker, markers: list[TrailMarker], facility: str
) -> NearbyFacility | None:
    """The marker with that facility nearest to `here` along the track, ahead or behind."""
    having = [m for m in markers if facility in m.facilities]
    if not having:
        return None
    nearest = min(having, key=lambda m: (abs(m.along_m - here.along_m), m.along_m < here.along_m))
    return NearbyFacility(
        marker=nearest,
        url=marker_url(page, nearest),
        distance_m=abs(nearest.along_m - here.along_m),
        ahead=nearest.along_m >= here.along_m,
    )


@dataclass
class SeasonHere:
    label: str
    flowers: str
    birds: str


def season_now(marker: TrailMarker, *, at: datetime | None = None) -> SeasonHere | None:
    """What the editor wrote for this season at the marker (the month in Korea), in the reader's
    language; None when nothing is written for it."""
    season = Season.of_month((at or timezone.now()).astimezone(TRAILS_TIME_ZONE).month)
    block = next((block.value for block in marker.ecology if block.value["season"] == season), None)
    if block is None:
        return None
    flowers, birds = block["flowers"].text, block["birds"].text
    if not flowers and not birds:
        return None
    return SeasonHere(label=dict(Season.CHOICES)[season], flowers=flowers, birds=birds)


def report_url(page: TrailPage, marker: TrailMarker) -> str:
    """The 민원 report form with the trail category and this marker's place (its name, code and
    position) filled in, in the reader's language."""
    address = _("%(trail)s, marker %(number)s: %(name)s (code %(code)s)") % {
        "trail": page.title,
        "number": marker.number,
        "name": marker.name,
        "code": marker.place.code,
    }
    query = {
        "category": REPORT_CATEGORY,
        "address": address,
        "latitude": f"{marker.latitude:.6f}",
        "longitude": f"{marker.longitude:.6f}",
    }
    return reverse("complaints:report") + "?" + urlencode(query)


def trail_gpx(page: TrailPage) -> str | None:
    """The GPX of the trail as shown: its line with elevations, and its markers as waypoints."""
    trail = page.source
    if not trail.track:
        return None
    return build_gpx(
        name=page.title,
        description=page.summary,
        line=[Point(row[0], row[1], row[2]) for row in trail.track],
        waypoints=[(f"{m.number}. {m.name}", m.latitude, m.longitude) for m in trail_markers(trail)],
    )
