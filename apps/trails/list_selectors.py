"""Reads for the trails list: the filters (length, walking time, difficulty, this season's
highlights), the distance from the walker to each trail, and the recommendation "the best trails
for the time you have, from where you are", each with its reasons."""

import math
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.places import spatial
from apps.places.models import Closure
from apps.trails import transit
from apps.trails.blocks import Season
from apps.trails.models import TrailIndexPage, TrailMarker, TrailPage
from apps.trails.selectors import TRAILS_TIME_ZONE, TrailCard, trail_cards
from apps.trails.templatetags.trails_tags import duration, km

LENGTH_RANGES_M = {"short": (0.0, 5000.0), "medium": (5000.0, 10000.0), "long": (10000.0, math.inf)}
RECOMMENDATIONS = 3


@dataclass(frozen=True)
class TrailFilters:
    max_minutes: int | None = None  # walking time; with a place, also the walker's whole time budget
    length: str = ""
    difficulty: str = ""
    season_highlights: bool = False
    origin: tuple[float, float] | None = None  # where the walker is
    origin_name: str = ""  # the station they chose; empty for their own location

    @property
    def chosen(self) -> bool:
        return bool(self.max_minutes or self.length or self.difficulty or self.season_highlights or self.origin)


@dataclass
class ListedTrail:
    card: TrailCard
    distance_m: float | None = None  # from the walker to the nearest point of the track
    start_distance_m: float | None = None
    highlights: list[TrailMarker] = field(default_factory=list)  # markers with ecology this season


@dataclass
class Recommendation:
    listed: ListedTrail
    total_minutes: float
    reasons: list[str]


@dataclass
class TrailList:
    trails: list[ListedTrail]
    recommendations: list[Recommendation]
    season_label: str


def current_season(now: datetime | None = None) -> str:
    """The season where the trails are (Asia/Seoul), whatever the server's clock."""
    return Season.of_month((now or timezone.now()).astimezone(TRAILS_TIME_ZONE).month)


def _season_markers(sources: list[TrailPage], season: str) -> dict[int, list[TrailMarker]]:
    """Per Korean trail page: its markers with something to see or hear this season."""
    found: dict[int, list[TrailMarker]] = {}
    markers = TrailMarker.objects.filter(page__in=sources).only("page_id", "number", "name_ko", "name_en", "ecology")
    for marker in markers.order_by("number"):
        # The stored blocks, not their values: nothing else of the marker's ecology is shown here.
        if any(block["value"].get("season") == season for block in marker.ecology.raw_data):
            found.setdefault(marker.page_id, []).append(marker)
    return found


def _matches(trail: TrailPage, filters: TrailFilters) -> bool:
    if filters.max_minutes and (trail.walking_minutes is None or trail.walking_minutes > filters.max_minutes):
        return False
    if filters.length:
        low, high = LENGTH_RANGES_M[filters.length]
        if trail.distance_m is None or not low <= trail.distance_m < high:
            return False
    return not filters.difficulty or trail.difficulty == filters.difficulty


def _closed(card: TrailCard) -> bool:
    return any(closure.page_id and closure.severity == Closure.Severity.CLOSED for closure in card.closures)


def trail_list(index: TrailIndexPage, filters: TrailFilters, *, now: datetime | None = None) -> TrailList:
    """The index's trails that pass the filters (nearest first when the walker's place is known,
    else in course order), and up to three recommendations when the walker gave their time."""
    cards = trail_cards(index)
    season = current_season(now)
    highlights = _season_markers([card.trail for card in cards], season)
    listed = []
    for card in cards:
        if not _matches(card.trail, filters):
            continue
        entry = ListedTrail(card=card, highlights=highlights.get(card.trail.pk, []))
        if filters.season_highlights and not entry.highlights:
            continue
        if filters.origin and card.trail.track:
            latitude, longitude = filters.origin
            line = [(row[0], row[1]) for row in card.trail.track]
            entry.distance_m = spatial.snap_to_line(line, latitude, longitude).offset_m
            entry.start_distance_m = spatial.distance_m(latitude, longitude, *line[0])
        listed.append(entry)
    if filters.origin:
        listed.sort(key=lambda entry: math.inf if entry.distance_m is None else entry.distance_m)
    return TrailList(
        trails=listed,
        recommendations=_recommend(listed, filters) if filters.max_minutes else [],
        season_label=dict(Season.CHOICES)[season],
    )


def _recommend(listed: list[ListedTrail], filters: TrailFilters) -> list[Recommendation]:
    """Trails whose walk, plus getting to the start from the walker's place, fits their time: the
    most walking for the least travel first. Trails closed as a whole are left out."""
    found = []
    for entry in listed:
        trail = entry.card.trail
        if _closed(entry.card) or not trail.track or trail.walking_minutes is None:
            continue
        start = trail.track[0][:2]
        reach = transit.access(*filters.origin, *start) if filters.origin else None
        total = trail.walking_minutes + (reach.minutes if reach else 0)
        if total > filters.max_minutes:
            continue
        reasons = [
            _("%(walk)s of walking over %(distance)s (%(difficulty)s).")
            % {
                "walk": duration(trail.walking_minutes),
                "distance": km(trail.distance_m),
                "difficulty": trail.difficulty_label,
            }
        ]
        if reach:
            reasons.append(_reach_reason(reach, filters.origin_name))
            reasons.append(
                _("About %(total)s in all, within your %(budget)s.")
                % {"total": duration(total), "budget": duration(filters.max_minutes)}
            )
        station = transit.nearest_station(*start)
        if station:
            reasons.append(
                _("Nearest station to the start: %(station)s, %(distance)s.")
                % {"station": station.stop.name, "distance": km(station.distance_m)}
            )
        if entry.highlights:
            reasons.append(
                _("This season: %(markers)s.") % {"markers": ", ".join(marker.name for marker in entry.highlights[:3])}
            )
        travel = reach.minutes if reach else 0
        found.append(
            (travel - trail.walking_minutes, Recommendation(listed=entry, total_minutes=total, reasons=reasons))
        )
    found.sort(key=lambda pair: pair[0])
    return [recommendation for _score, recommendation in found[:RECOMMENDATIONS]]


def _reach_reason(reach: transit.Access, origin_name: str) -> str:
    values = {"distance": km(reach.distance_m), "minutes": duration(reach.minutes), "place": origin_name}
    if reach.on_foot and origin_name:
        return _("The start is %(distance)s from %(place)s: about %(minutes)s on foot.") % values
    if reach.on_foot:
        return _("The start is %(distance)s from you: about %(minutes)s on foot.") % values
    if origin_name:
        return _("The start is %(distance)s from %(place)s: about %(minutes)s by bus or train.") % values
    return _("The start is %(distance)s from you: about %(minutes)s by bus or train.") % values
