"""Reads for /api/v1/trails/: each trail as other apps, kiosks and the chatbot get it, with its
pages in every language, its closures in force and its markers. Figures, track and markers come
from the Korean page (`TrailPage.source`), the words from the page in the reader's language.

A fixed number of queries whatever the number of trails and markers."""

import math
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from apps.municipalities.models import Municipality
from apps.places import spatial
from apps.places.models import Closure
from apps.places.selectors import closures_active, closures_next_change, place_permanent_url
from apps.trails.models import Facility, TrailMarker, TrailPage

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


class TrailStatus:
    OPEN = "open"  # nothing in force, or only a notice ("take care")
    PARTLY_CLOSED = "partly-closed"  # a detour, or one marker's stretch closed: walkable around it
    CLOSED = "closed"  # the whole trail closed


@dataclass(frozen=True)
class TrailFilters:
    max_minutes: int | None = None
    difficulty: str | None = None
    open: bool | None = None
    near: tuple[float, float] | None = None
    radius_m: int = 5_000


@dataclass
class MarkerEntry:
    marker: TrailMarker
    number: int
    name: str
    text: str
    names: dict[str, str]
    texts: dict[str, str]
    latitude: float
    longitude: float
    along_m: float
    minutes_from_start: float
    is_stamp_point: bool
    facilities: list[dict[str, str]]
    permanent_url: str
    qr_png_url: str
    qr_svg_url: str


@dataclass
class ClosureEntry:
    severity: str
    severity_label: str
    reason: str
    detour: str
    starts_at: datetime
    ends_at: datetime | None
    marker_number: int | None


@dataclass
class TrailEntry:
    page: TrailPage  # in the reader's language
    trail: TrailPage  # the Korean page, with the figures
    id: int
    language: str
    title: str
    titles: dict[str, str]
    summary: str
    start: dict
    end: dict
    pages: dict[str, str]
    url: str
    gpx_url: str | None
    status: str
    closures: list[ClosureEntry]
    markers: list[MarkerEntry]
    distance_from_you_m: float | None = None
    difficulty_label: str = ""

    @property
    def is_open(self) -> bool:
        return self.status != TrailStatus.CLOSED


def _in_languages(record, prefix: str) -> dict[str, str]:
    """A record's text in each language it has: name_ko, name_en, and name_ja / name_zh_hans where
    the model has such fields and the editor filled them."""
    values = {}
    for code in LANGUAGE_CODES:
        value = getattr(record, f"{prefix}_{code.replace('-', '_')}", "") or ""
        if value:
            values[code] = value
    return values


def _in_reader_language(values: dict[str, str], language: str) -> str:
    """The reader's language, else English, else Korean (as pick_language chooses)."""
    return values.get(language) or values.get("en") or values.get(settings.LANGUAGE_CODE, "")


def _qr_urls(permanent_url: str, code: str) -> tuple[str, str]:
    """The QR images at the same address as the short URL they encode (the city's site)."""
    root = permanent_url[: -len(reverse("places:short-url", kwargs={"code": code}))]
    return (
        root + reverse("places:qr-png", kwargs={"code": code}),
        root + reverse("places:qr-svg", kwargs={"code": code}),
    )


def _marker_entry(marker: TrailMarker, language: str) -> MarkerEntry:
    names, texts = _in_languages(marker, "name"), _in_languages(marker, "text")
    permanent_url = place_permanent_url(marker.place)
    png, svg = _qr_urls(permanent_url, marker.place.code)
    labels = dict(Facility.choices)
    return MarkerEntry(
        marker=marker,
        number=marker.number,
        name=_in_reader_language(names, language),
        text=_in_reader_language(texts, language),
        names=names,
        texts=texts,
        latitude=marker.latitude,
        longitude=marker.longitude,
        along_m=round(marker.along_m, 1),
        minutes_from_start=round(marker.minutes_from_start, 1),
        is_stamp_point=marker.is_stamp_point,
        facilities=[{"code": code, "label": str(labels[code])} for code in marker.facilities if code in labels],
        permanent_url=permanent_url,
        qr_png_url=png,
        qr_svg_url=svg,
    )


def _closure_entry(closure: Closure, numbers: dict[int, int]) -> ClosureEntry:
    return ClosureEntry(
        severity=closure.severity,
        severity_label=str(closure.get_severity_display()),
        reason=closure.reason,
        detour=closure.detour,
        starts_at=closure.starts_at,
        ends_at=closure.ends_at,
        marker_number=numbers.get(closure.place_id) if closure.place_id else None,
    )


def trail_status(closures: list[Closure]) -> str:
    if any(c.severity == Closure.Severity.CLOSED and c.page_id for c in closures):
        return TrailStatus.CLOSED
    if any(c.severity != Closure.Severity.NOTICE for c in closures):
        return TrailStatus.PARTLY_CLOSED
    return TrailStatus.OPEN


def _endpoint(name: str, row: list | None) -> dict:
    return {"name": name, "latitude": row[0] if row else None, "longitude": row[1] if row else None}


def _distance_to_track_m(trail: TrailPage, latitude: float, longitude: float) -> float | None:
    line = [(row[0], row[1]) for row in trail.track]
    return spatial.snap_to_line(line, latitude, longitude).offset_m if line else None


def _sources(municipality: Municipality, trail_id: int | None) -> list[TrailPage]:
    """The live, public Korean pages of the city's trails (their translations point to them)."""
    site = municipality.site
    if site is None:
        return []
    pages = (
        TrailPage.objects.live()
        .public()
        .descendant_of(site.root_page)
        .filter(locale__language_code=settings.LANGUAGE_CODE)
    )
    if trail_id is not None:
        # Any language's page of the trail names it; the Korean one answers.
        key = TrailPage.objects.filter(pk=trail_id).values("translation_key")
        pages = pages.filter(translation_key__in=key)
    return list(pages.order_by("course_number", "title"))


def trail_entries(
    *,
    municipality: Municipality,
    language: str,
    filters: TrailFilters = TrailFilters(),
    trail_id: int | None = None,
    request=None,
) -> list[TrailEntry]:
    """The city's trails (or the one whose page id is trail_id), filtered; nearest first when a
    position is given, else in course order."""
    sources = _sources(municipality, trail_id)
    if filters.difficulty:
        sources = [trail for trail in sources if trail.difficulty == filters.difficulty]
    if filters.max_minutes is not None:
        sources = [
            trail
            for trail in sources
            if trail.walking_minutes is not None and trail.walking_minutes <= filters.max_minutes
        ]
    distances: dict[int, float] = {}
    if filters.near is not None:
        for trail in sources:
            distance = _distance_to_track_m(trail, *filters.near)
            if distance is not None and distance <= filters.radius_m:
                distances[trail.pk] = distance
        sources = sorted((trail for trail in sources if trail.pk in distances), key=lambda trail: distances[trail.pk])
    if not sources:
        return []

    translations: dict[str, dict[str, TrailPage]] = {}
    for page in (
        TrailPage.objects.live()
        .public()
        .filter(translation_key__in=[trail.translation_key for trail in sources])
        .select_related("locale")
    ):
        translations.setdefault(str(page.translation_key), {})[page.locale.language_code] = page
    markers: dict[int, list[TrailMarker]] = {}
    for marker in (
        TrailMarker.objects.filter(page__in=sources, place__isnull=False)
        .select_related("place__municipality__site")
        .order_by("number")
    ):
        markers.setdefault(marker.page_id, []).append(marker)
    all_places = [marker.place for trail_markers in markers.values() for marker in trail_markers]
    closures = list(closures_active(pages=sources, places=all_places))

    entries = []
    for trail in sources:
        pages = translations.get(str(trail.translation_key), {settings.LANGUAGE_CODE: trail})
        wanted = [language] if language in ("ko", "en") else [language, "en"]
        page = next((pages[code] for code in wanted if code in pages), trail)
        own_markers = markers.get(trail.pk, [])
        numbers = {marker.place_id: marker.number for marker in own_markers}
        own_closures = [
            closure
            for closure in closures
            if (closure.page_id and closure.page.translation_key == trail.translation_key)
            or closure.place_id in numbers
        ]
        status = trail_status(own_closures)
        if filters.open is not None and (status != TrailStatus.CLOSED) != filters.open:
            continue
        page_url = page.get_full_url(request)
        entries.append(
            TrailEntry(
                page=page,
                trail=trail,
                id=trail.pk,
                language=page.locale.language_code,
                title=page.title,
                titles={code: pages[code].title for code in LANGUAGE_CODES if code in pages},
                summary=page.summary,
                start=_endpoint(page.start_name, trail.track[0] if trail.track else None),
                end=_endpoint(page.end_name, trail.track[-1] if trail.track else None),
                pages={code: pages[code].get_full_url(request) for code in LANGUAGE_CODES if code in pages},
                url=page_url,
                gpx_url=page_url + page.reverse_subpage("gpx") if trail.track else None,
                status=status,
                closures=[_closure_entry(closure, numbers) for closure in own_closures],
                markers=[_marker_entry(marker, language) for marker in own_markers],
                distance_from_you_m=round(distances[trail.pk], 1) if trail.pk in distances else None,
                difficulty_label=str(trail.difficulty_label),
            )
        )
    return entries


def trails_fresh_for_seconds(at: datetime | None = None, *, longest: int) -> int:
    """How long an answer may be reused: at most `longest`, and never past the moment the next
    closure begins or ends (a trail's status changes then)."""
    at = at or timezone.now()
    change = closures_next_change(at=at)
    if change is None:
        return longest
    return max(0, min(longest, math.floor((change - at).total_seconds())))
