"""Reads for the stamp tour: which markers give stamps, the courses a passport page lists, and
certificates by their code."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import QuerySet
from wagtail.models import Site

from apps.places.codes import ALPHABET
from apps.places.models import Place
from apps.stamps.models import Certificate
from apps.trails.models import TrailMarker, TrailPage
from apps.trails.selectors import marker_url

CERTIFICATE_CODE_LENGTH = 8


@dataclass
class StampPoint:
    code: str
    number: int
    name: str
    url: str


@dataclass
class StampCourse:
    trail_id: int  # the Korean page, as stamp tokens name it
    page: TrailPage  # in the reader's language
    points: list[StampPoint] = field(default_factory=list)


def _stamp_markers() -> QuerySet[TrailMarker]:
    """Markers that give a stamp: stamp points with a place still in use, on a live Korean course
    page (markers live on the Korean page only, decision 0027)."""
    return TrailMarker.objects.filter(
        is_stamp_point=True,
        place__isnull=False,
        place__retired_at__isnull=True,
        page__live=True,
        page__locale__language_code=settings.LANGUAGE_CODE,
    )


def stamp_point_of(place: Place) -> TrailMarker | None:
    """The marker whose stamp a scan of this place gives, with its course page; None when it gives none."""
    return _stamp_markers().filter(place=place).select_related("page", "place").first()


def course_stamp_codes(trail: TrailPage) -> set[str]:
    """The place codes of every stamp point of the course: all of them complete it."""
    return set(_stamp_markers().filter(page=trail).values_list("place__code", flat=True))


def stamp_course(trail_id: object) -> TrailPage | None:
    """The live Korean course page a certificate request names."""
    if type(trail_id) is not int or not 0 < trail_id < 2**31:  # a page id; beyond, the database refuses it
        return None
    return TrailPage.objects.live().filter(pk=trail_id, locale__language_code=settings.LANGUAGE_CODE).first()


def stamp_courses(site: Site | None, language_code: str) -> list[StampCourse]:
    """Every course of the site with stamp points, in course order, titled and linked in the reader's
    language: what the passport page lists."""
    markers = _stamp_markers().select_related("page", "place").order_by("page__course_number", "page_id", "number")
    if site is not None:
        markers = markers.filter(page__path__startswith=site.root_page.path)
    courses: dict[int, StampCourse] = {}
    for marker in markers:
        course = courses.get(marker.page_id)
        if course is None:
            page = marker.page.localized_for(language_code)
            course = courses[marker.page_id] = StampCourse(trail_id=marker.page_id, page=page)
        course.points.append(
            StampPoint(
                code=marker.place.code, number=marker.number, name=marker.name, url=marker_url(course.page, marker)
            )
        )
    return list(courses.values())


def certificate_code_normalise(text: str) -> str | None:
    """The code as stored, from what someone typed (any case, spaces, the hyphen shown in the middle)."""
    code = "".join(text.replace("-", " ").split()).upper()
    if len(code) != CERTIFICATE_CODE_LENGTH or any(character not in ALPHABET for character in code):
        return None
    return code


def certificate_by_code(text: str) -> Certificate | None:
    code = certificate_code_normalise(text)
    if code is None:
        return None
    return Certificate.objects.select_related("course", "verified_by").filter(code=code).first()
