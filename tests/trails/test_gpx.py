"""GPX uploads: every way a file can be unusable gets its own message in the editor's language and
changes nothing; a good file replaces the track, keeps the markers' codes and drops the
"approximate" label. The GPX download opens in any GPX reader."""

import gpxpy
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield
from wagtail.users.models import UserProfile

from apps.trails.gpx import GPX_MAX_BYTES, GpxError, parse_gpx
from apps.trails.models import TrailPage
from apps.trails.track import Point
from tests.trails.conftest import HAND_TRACK, gpx_of

ONE_POINT = gpx_of([HAND_TRACK[0]])
SAME_POINT_TWICE = gpx_of([HAND_TRACK[0], HAND_TRACK[0]])
WAYPOINTS_ONLY = b'<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><wpt lat="37.7" lon="127.0"/></gpx>'
BROKEN_XML = gpx_of(HAND_TRACK)[:-20]
KML = b'<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Placemark/></kml>'
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
ENTITIES = b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "aaaa">]><gpx version="1.1">&a;</gpx>'
BAD_NUMBER = gpx_of(HAND_TRACK).replace(b'lat="37.7"', b'lat="north"', 1)


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (ONE_POINT, "only one point"),
        (SAME_POINT_TWICE, "only one point"),
        (WAYPOINTS_ONLY, "has no track"),
        (b'<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"></gpx>', "has no track"),
        (BROKEN_XML, "not well-formed XML"),
        (KML, "This is not a GPX file"),
        (PNG, "This is not a GPX file"),
        (b"", "The file is empty."),
        (ENTITIES, "This is not a GPX file"),
        (BAD_NUMBER, "cannot be read"),
        (gpx_of([Point(95, 127, 1), Point(37, 127, 1)]), "outside the range"),
        (b"<gpx>" + b" " * GPX_MAX_BYTES + b"</gpx>", "a GPX file may be at most 5 MB"),
    ],
)
def test_every_unusable_file_is_refused_with_its_reason(data, says):
    with translation.override("en"):
        with pytest.raises(GpxError) as refused:
            parse_gpx(data)
        assert says in str(refused.value.message)


def test_the_reason_is_given_in_the_editors_language():
    with translation.override("ko"):
        with pytest.raises(GpxError) as refused:
            parse_gpx(b" ")
        assert str(refused.value.message) == "빈 파일입니다."


def test_a_route_is_taken_when_there_is_no_track_and_missing_elevations_are_filled():
    route = (
        b'<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><rte>'
        b'<rtept lat="37.70" lon="127.0"></rtept><rtept lat="37.71" lon="127.0"><ele>120</ele></rtept>'
        b'<rtept lat="37.72" lon="127.0"></rtept></rte></gpx>'
    )
    assert parse_gpx(route) == [Point(37.70, 127.0, 120), Point(37.71, 127.0, 120), Point(37.72, 127.0, 120)]


def _edit_data(page: TrailPage, **changes) -> dict:
    """The trail editor's form as the admin posts it, with the page's current values."""
    markers = [
        {
            "id": marker.pk,
            "number": marker.number,
            "name_ko": marker.name_ko,
            "name_en": marker.name_en,
            "text_ko": marker.text_ko,
            "text_en": marker.text_en,
            "latitude": marker.latitude,
            "longitude": marker.longitude,
            "is_stamp_point": marker.is_stamp_point,
            "facilities": marker.facilities,
            "photos": streamfield([]),
            "audio": marker.audio_id or "",
            "transcript_ko": marker.transcript_ko,
            "ecology": streamfield([]),
        }
        for marker in page.markers.order_by("sort_order")
    ]
    fields = {
        "title": page.title,
        "slug": page.slug,
        "summary": page.summary,
        "intro": rich_text(page.intro),
        "start_name": page.start_name,
        "end_name": page.end_name,
        "getting_there": page.getting_there,
        "course_number": page.course_number,
        "section": page.section,
        "official_distance_km": "",
        "markers": inline_formset(markers, initial=len(markers)),
        "action-publish": "publish",
    }
    fields.update(changes)
    return nested_form_data(fields)


@pytest.fixture
def editor(admin_client, admin_user):
    UserProfile.objects.update_or_create(user=admin_user, defaults={"preferred_language": "en"})
    return admin_client


def test_a_bad_upload_is_explained_and_the_page_keeps_its_last_good_track(editor, trail):
    before = (trail.track, trail.distance_m, trail.track_is_approximate)
    data = _edit_data(trail, gpx_file=SimpleUploadedFile("walk.gpx", ONE_POINT, "application/gpx+xml"))
    response = editor.post(f"/admin/pages/{trail.pk}/edit/", data)
    assert response.status_code == 200
    assert "The track has only one point. A trail needs at least two different points." in response.content.decode()
    trail.refresh_from_db()
    assert (trail.track, trail.distance_m, trail.track_is_approximate) == before


def test_a_good_upload_replaces_the_track_and_keeps_the_marker_codes(editor, trail):
    codes = {marker.number: marker.place.code for marker in trail.markers.all()}
    longer = [*HAND_TRACK, Point(37.736, 127.0, 150.0)]
    data = _edit_data(trail, gpx_file=SimpleUploadedFile("walk.gpx", gpx_of(longer), "application/gpx+xml"))
    response = editor.post(f"/admin/pages/{trail.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    trail.refresh_from_db()
    assert not trail.track_is_approximate
    assert trail.distance_m == pytest.approx(4 * 1000.754, abs=0.1)
    assert trail.descent_m == 51
    assert {marker.number: marker.place.code for marker in trail.markers.all()} == codes
    # The finish marker now stands 1 km before the end of the longer track.
    finish = trail.markers.get(number=3)
    assert finish.along_m == pytest.approx(3 * 1000.754, abs=0.1)


def test_a_marker_far_from_the_track_is_refused(editor, trail):
    data = _edit_data(trail)
    data["markers-1-longitude"] = "127.01"  # about 880 m east
    response = editor.post(f"/admin/pages/{trail.pk}/edit/", data)
    assert "from the track; a marker must be within 150 m of it." in response.content.decode()
    assert trail.markers.get(number=2).longitude == 127.0


def test_the_download_is_a_gpx_file_with_the_track_and_the_markers(client, trail):
    response = client.get("/en/trails/myeongsang-gil/gpx/")
    assert response["Content-Type"] == "application/gpx+xml; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="myeongsang-gil.gpx"'
    document = gpxpy.parse(response.content.decode())
    points = document.tracks[0].segments[0].points
    assert [(p.latitude, p.longitude, p.elevation) for p in points] == [
        (p.latitude, p.longitude, p.elevation) for p in HAND_TRACK
    ]
    assert [w.name for w in document.waypoints] == ["1. Start", "2. Rest area", "3. Finish"]
