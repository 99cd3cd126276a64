"""Writes for trails: a new track, markers snapped to it with their places, places kept in step
with what is published, and the trails section installed in a city's site."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale, Page

from apps.common.sections import section_install
from apps.municipalities.models import Municipality
from apps.places import spatial
from apps.places.models import Place
from apps.places.services import place_create, place_retire, place_update
from apps.trails import track
from apps.trails.models import TrailIndexPage, TrailMarker, TrailPage


def trail_track_set(page: TrailPage, points: list[track.Point], *, approximate: bool) -> TrailPage:
    """Gives the page a new track and the figures from it (not saved: the editor's save or publish
    stores it with the rest of the page). `approximate`: generated, not walked."""
    figures = track.figures(points)
    page.track = [
        [
            round(points[index].latitude, 6),
            round(points[index].longitude, 6),
            None if points[index].elevation is None else round(points[index].elevation, 1),
            round(figures.along_m[index], 1),
            round(figures.minutes[index], 2),
        ]
        for index in track.simplified_indexes(points)
    ]
    page.distance_m = round(figures.distance_m, 1)
    page.ascent_m = None if figures.ascent_m is None else round(figures.ascent_m, 1)
    page.descent_m = None if figures.descent_m is None else round(figures.descent_m, 1)
    page.highest_m = None if figures.highest_m is None else round(figures.highest_m, 1)
    page.walking_minutes = round(figures.walking_minutes, 1)
    page.kcal = round(figures.kcal)
    page.difficulty = figures.difficulty
    page.track_is_approximate = approximate
    page.track_updated_at = timezone.now()
    return page


def _municipality_of(page: Page) -> Municipality:
    site = page.get_site()
    city = Municipality.objects.filter(site=site).first() if site else None
    return city or Municipality.objects.get(code=settings.DEFAULT_MUNICIPALITY)


def trail_markers_prepare(page: TrailPage, *, site_page: Page) -> None:
    """Snaps the page's markers (as the editor left them, not saved yet) onto its track, with their
    distance and walking time from the start, and gives each new marker its place (a permanent
    code) before the page's revision is written, so every later revision keeps that place."""
    rows = page.track
    line = [(row[0], row[1]) for row in rows]
    city = None
    for marker in page.markers.all():
        if line:
            snap = spatial.snap_to_line(line, marker.latitude, marker.longitude)
            following = rows[min(snap.segment + 1, len(rows) - 1)]
            marker.latitude, marker.longitude = round(snap.latitude, 6), round(snap.longitude, 6)
            marker.along_m = round(snap.along_m, 1)
            marker.minutes_from_start = round(
                rows[snap.segment][4] + snap.fraction * (following[4] - rows[snap.segment][4]), 2
            )
        if marker.place_id is None:
            city = city or _municipality_of(site_page)
            marker.place = place_create(
                municipality=city,
                kind=Place.Kind.TRAIL_MARKER,
                name_ko=marker.name_ko,
                name_en=marker.name_en,
                latitude=marker.latitude,
                longitude=marker.longitude,
            )


def _owned_places(page: TrailPage):
    return Place.objects.filter(owner_type=ContentType.objects.get_for_model(TrailPage), owner_id=page.pk)


@transaction.atomic
def trail_places_sync(page: TrailPage) -> None:
    """After the Korean page is published: each marker's place takes the marker's name and position
    and this page as owner; the places of markers no longer on the page are retired (their URLs
    answer with a note), and a marker restored from an old revision gets its old place back."""
    kept = set()
    for marker in page.markers.select_related("place"):
        place = marker.place
        if place is None:  # a marker saved without the editor's form (a script)
            place = place_create(
                municipality=_municipality_of(page),
                kind=Place.Kind.TRAIL_MARKER,
                name_ko=marker.name_ko,
                name_en=marker.name_en,
                latitude=marker.latitude,
                longitude=marker.longitude,
            )
            TrailMarker.objects.filter(pk=marker.pk).update(place=place)
        place_update(
            place,
            name_ko=marker.name_ko,
            name_en=marker.name_en,
            latitude=marker.latitude,
            longitude=marker.longitude,
            owner=page,
        )
        kept.add(place.pk)
    for place in _owned_places(page).filter(retired_at__isnull=True).exclude(pk__in=kept):
        place_retire(place)


def trail_places_retire(page: TrailPage) -> None:
    """The trail page is being deleted: its markers' codes keep answering, with a note."""
    for place in _owned_places(page).filter(retired_at__isnull=True):
        place_retire(place)


def trail_index_install(home: Page, *, texts: dict[str, dict[str, str]], slug: str = "trails") -> TrailIndexPage:
    """The home page's trails section as a TrailIndexPage, in every language of `texts`
    ({"title", "summary", "intro"}); a plain section page already there becomes it in place."""
    return section_install(home, TrailIndexPage, slug=slug, texts=texts)


def trail_index_translate(index: TrailIndexPage, language: str, *, texts: dict[str, str]) -> TrailIndexPage | None:
    """The trails index in a tourist language (ja, zh-hans), with `texts` ({"title", "summary",
    "intro"}), so that trail pages can be translated into it. The rest of the site is not written in
    these languages: the home page there is Wagtail's alias of the Korean one (it follows the Korean
    page) unless an editor has translated it. An index already translated is left as it is."""
    locale = Locale.objects.filter(language_code=language).first()
    if locale is None:
        return None
    existing = index.get_translations().filter(locale=locale).first()
    if existing is not None:
        return existing.specific
    home = index.get_parent().specific
    if not home.get_translations().filter(locale=locale).exists():
        home.copy_for_translation(locale, alias=True)
    translation = index.copy_for_translation(locale)
    translation.title, translation.summary, translation.intro = texts["title"], texts["summary"], texts["intro"]
    translation.save()
    translation.save_revision().publish()
    return translation
