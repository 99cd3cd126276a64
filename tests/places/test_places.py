"""Places: the spatial module, permanent short codes and their QR codes, and closures by time."""

import math
from datetime import timedelta

import pytest
import segno
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.utils import timezone

from apps.places import qr, spatial
from apps.places.codes import ALPHABET, code_normalise
from apps.places.models import Closure, Place
from apps.places.selectors import closures_active, place_by_code, place_permanent_url
from apps.places.services import (
    closure_create,
    closure_lift,
    closure_update,
    place_create,
    place_retire,
    place_update,
)
from apps.places.signals import closure_changed

pytestmark = pytest.mark.django_db


def _place(city, name="쉼터", latitude=37.738, longitude=127.034) -> Place:
    return place_create(
        municipality=city, kind=Place.Kind.POINT, name_ko=name, name_en="", latitude=latitude, longitude=longitude
    )


def test_distances_boxes_nearest_and_snapping(city):
    # One degree of latitude on the 6,371 km sphere.
    assert spatial.distance_m(37.0, 127.0, 38.0, 127.0) == pytest.approx(math.radians(1) * 6_371_000)
    south, west, north, east = spatial.bounding_box(37.738, 127.034, 1000)
    assert spatial.distance_m(37.738, 127.034, north, 127.034) == pytest.approx(1000, abs=0.01)
    assert spatial.distance_m(37.738, 127.034, 37.738, east) == pytest.approx(1000, rel=0.001)

    near, middle, far = (
        _place(city, name, 37.738 + offset, 127.034) for name, offset in [("a", 0.001), ("b", 0.003), ("c", 0.05)]
    )
    found = spatial.within(Place.objects.all(), 37.738, 127.034, 500)
    assert [place for place, _ in found] == [near, middle]
    assert far not in [
        place for place, _ in spatial.nearest(Place.objects.all(), 37.738, 127.034, 3, max_radius_m=2000)
    ]
    assert [place for place, _ in spatial.nearest(Place.objects.all(), 37.738, 127.034, 2)] == [near, middle]
    assert [place for place, _ in spatial.nearest(Place.objects.all(), 37.738, 127.034, 5, max_radius_m=1000)] == [
        near,
        middle,
    ]

    line = [(37.70, 127.0), (37.71, 127.0), (37.71, 127.01)]
    snap = spatial.snap_to_line(line, 37.705, 127.0002)  # about 18 m east of the first leg
    assert (snap.latitude, snap.longitude, snap.segment) == (pytest.approx(37.705), 127.0, 0)
    assert snap.along_m == pytest.approx(spatial.distance_m(37.70, 127.0, 37.705, 127.0), abs=0.01)
    assert snap.offset_m == pytest.approx(spatial.distance_m(37.705, 127.0, 37.705, 127.0002), abs=0.05)


def test_codes_are_short_unambiguous_and_typed_in_any_case(city):
    place = _place(city)
    assert len(place.code) == 5 and set(place.code) <= set(ALPHABET)
    assert not set("01ILO") & set(ALPHABET)
    assert place_by_code(f" {place.code.lower()} ") == place
    assert code_normalise("AB0CD") is None and place_by_code("nope") is None


def test_renaming_moving_and_retiring_keep_the_code_and_the_qr_code(city, client):
    place = _place(city)
    code, svg = place.code, client.get(f"/t/{place.code}/qr.svg").content
    place_update(place, name_ko="새 이름", name_en="New name", latitude=37.74, longitude=127.04)
    place_retire(place)
    place.refresh_from_db()
    assert place.code == code and place.is_retired
    assert client.get(f"/t/{code}/qr.svg").content == svg
    with pytest.raises(ProtectedError):
        place.delete()
    assert Place.objects.filter(code=code).exists()


def test_qr_codes_carry_the_permanent_url_as_svg_and_png(city, client):
    place = _place(city)
    url = place_permanent_url(place)
    assert url == f"http://localhost:8000/t/{place.code}"
    svg = client.get(f"/t/{place.code}/qr.svg")
    assert svg["Content-Type"] == "image/svg+xml" and "max-age=86400" in svg["Cache-Control"]
    assert svg.content.startswith(b"<?xml") and url.encode() in svg.content  # its <title>
    png = client.get(f"/t/{place.code}/qr.png")
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
    # The print sheet draws the code from path data: the same dark modules as segno's own matrix.
    size, path = qr.qr_modules(url)
    matrix = segno.make(url, error=qr.ERROR_CORRECTION, micro=False).matrix
    dark = {(x, y) for y, row in enumerate(matrix) for x, value in enumerate(row) if value}
    drawn = set()
    for run in path.split("M")[1:]:
        x, rest = run.split(" ", 1)
        y, width = rest.split("h", 1)
        width = int(width.split("v")[0])
        drawn |= {(int(x) - 4 + i, int(y) - 4) for i in range(width)}
    assert drawn == dark and size == len(matrix) + 8


def test_an_unknown_code_is_a_plain_404(client, city):
    assert client.get("/t/ZZZZZ").status_code == 404
    assert client.get("/t/not-a-code").status_code == 404


def test_closures_are_active_between_their_times_and_lifted_on_time(city):
    place = _place(city)
    now = timezone.now()
    upcoming = closure_create(
        place=place, reason_ko="공사", starts_at=now + timedelta(hours=1), ends_at=now + timedelta(hours=3)
    )
    open_ended = closure_create(place=place, reason_ko="낙석", starts_at=now - timedelta(days=1))
    assert upcoming.municipality == city
    assert list(closures_active(places=[place], at=now)) == [open_ended]
    assert set(closures_active(places=[place], at=now + timedelta(hours=2))) == {upcoming, open_ended}
    assert list(closures_active(places=[place], at=now + timedelta(hours=3))) == [open_ended]

    closure_lift(open_ended, at=now + timedelta(hours=5))
    assert list(closures_active(places=[place], at=now + timedelta(hours=5))) == []
    closure_lift(upcoming, at=now)  # lifted before it began: it never shows
    assert not Closure.objects.filter(pk=upcoming.pk).exists()


def test_a_closure_names_a_place_or_a_page_and_ends_after_it_starts(city):
    place = _place(city)
    with pytest.raises(ValidationError):
        closure_create(reason_ko="이유", municipality=city)
    with pytest.raises(ValidationError):
        closure_create(
            place=place, reason_ko="이유", starts_at=timezone.now(), ends_at=timezone.now() - timedelta(hours=1)
        )


def test_other_areas_hear_of_each_closure_change_after_it_is_committed(city, django_capture_on_commit_callbacks):
    heard = []

    def listener(sender, closure, change, **kwargs):
        heard.append((closure.pk, change))

    closure_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            closure = closure_create(place=_place(city), reason_ko="홍수", severity=Closure.Severity.CLOSED)
            closure_update(closure, reason_ko="홍수 경보")
            closure_lift(closure)
    finally:
        closure_changed.disconnect(listener)
    assert heard == [(closure.pk, "created"), (closure.pk, "updated"), (closure.pk, "lifted")]
