"""/api/v1/trails/ for other apps, kiosks and the chatbot: the hand-worked trail of conftest.py with
its figures, pages, GPX, markers (permanent URLs and QR images) and closures, in the reader's
language; the filters, their refusal of impossible values, and the caching headers.

Few tests, each seeding the trail once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.places.services import closure_create
from apps.trails.models import TrailPage

pytestmark = pytest.mark.django_db

LIST = "/api/v1/trails/"


def only(response) -> dict:
    assert response.status_code == 200, response.content
    [trail] = response.json()["results"]
    return trail


def test_a_trail_with_its_figures_pages_and_markers_in_the_readers_language(client, trail):
    english_page = TrailPage.objects.get(translation_key=trail.translation_key, locale__language_code="en")
    listing = client.get(LIST, {"lang": "en"})
    assert listing.json()["count"] == 1
    found = only(listing)
    # The figures worked out by hand in test_track.py, from the Korean page whatever the language.
    assert found["id"] == trail.pk and found["course_number"] == 1 and found["language"] == "en"
    assert (found["title"], found["summary"]) == ("Myeongsang-gil", "Forest path")
    assert found["titles"] == {"ko": "명상의길", "en": "Myeongsang-gil"}
    assert found["start"] == {"name": "Mangwolsa Station", "latitude": 37.7, "longitude": 127.0}
    assert found["end"] == {"name": "City Hall", "latitude": 37.727, "longitude": 127.0}
    assert found["distance_m"] == pytest.approx(3002.3, abs=0.1)
    assert (found["ascent_m"], found["descent_m"], found["highest_m"]) == (101.0, 0.0, 201.0)
    assert found["walking_minutes"] == pytest.approx(40.8, abs=0.1) and found["kcal"] == 205
    assert (found["difficulty"], found["difficulty_label"]) == ("easy", "Easy")
    assert found["track_is_approximate"] is True and found["official_distance_km"] is None
    assert found["url"] == "http://localhost:8000/en/trails/myeongsang-gil/"
    assert found["pages"] == {
        "ko": "http://localhost:8000/ko/trails/myeongsang-gil/",
        "en": "http://localhost:8000/en/trails/myeongsang-gil/",
    }
    assert found["gpx_url"] == "http://localhost:8000/en/trails/myeongsang-gil/gpx/"
    assert client.get("/en/trails/myeongsang-gil/gpx/")["Content-Type"].startswith("application/gpx+xml")
    assert (found["status"], found["is_open"], found["closures"]) == ("open", True, [])

    markers = found["markers"]
    assert [(m["number"], m["name"], m["is_stamp_point"]) for m in markers] == [
        (1, "Start", True),
        (2, "Rest area", False),
        (3, "Finish", False),
    ]
    second = markers[1]
    assert second["names"] == {"ko": "쉼터", "en": "Rest area"}
    # Snapped onto the track, 1 km from the start.
    assert (second["latitude"], second["longitude"]) == (37.709, 127.0)
    assert second["along_m"] == pytest.approx(1000.8, abs=0.1)
    code = trail.markers.get(number=2).place.code
    assert second["permanent_url"] == f"http://localhost:8000/t/{code}"
    assert second["qr_png_url"] == f"http://localhost:8000/t/{code}/qr.png"
    assert second["qr_svg_url"] == f"http://localhost:8000/t/{code}/qr.svg"
    assert client.get(f"/t/{code}/qr.png")["Content-Type"] == "image/png"
    assert client.get(f"/t/{code}/qr.svg")["Content-Type"] == "image/svg+xml"

    # Korean from the phone's Accept-Language (the cookie of the English pages above would win);
    # the same trail from the id of any of its pages.
    client.cookies.clear()
    korean = client.get(f"/api/v1/trails/{english_page.pk}/", HTTP_ACCEPT_LANGUAGE="ko-KR,ko;q=0.9")
    assert korean.status_code == 200
    assert (korean.json()["id"], korean.json()["title"], korean.json()["language"]) == (trail.pk, "명상의길", "ko")
    assert korean.json()["markers"][1]["name"] == "쉼터" and korean.json()["difficulty_label"] == "쉬움"
    # A tourist language the trail is not translated into: its English page.
    japanese = client.get(f"/api/v1/trails/{trail.pk}/", {"lang": "ja"}).json()
    assert (japanese["language"], japanese["title"]) == ("en", "Myeongsang-gil")

    assert client.get("/api/v1/trails/999999/").status_code == 404
    trail.unpublish()
    assert client.get(f"/api/v1/trails/{trail.pk}/").status_code == 404
    assert client.get(LIST).json()["count"] == 0


def test_filters_by_time_difficulty_closures_and_position(client, trail):
    def count(**params) -> int:
        response = client.get(LIST, params)
        assert response.status_code == 200, response.content
        return response.json()["count"]

    # 40.8 minutes of walking, easy.
    assert (count(max_minutes=40), count(max_minutes=41), count(max_minutes=60)) == (0, 1, 1)
    assert (count(difficulty="easy"), count(difficulty="hard")) == (1, 0)
    assert (count(difficulty="easy", max_minutes=30), count(difficulty="easy", max_minutes=45)) == (0, 1)

    # 30 m east of the track's middle; 0.1° (about 8.8 km) east is out of the default 5 km.
    near = only(client.get(LIST, {"near": "37.713,127.00034"}))
    assert near["distance_from_you_m"] == pytest.approx(30, abs=1)
    assert count(near="37.713,127.1") == 0 and count(near="37.713,127.1", radius_m=10_000) == 1

    now = timezone.now()
    ahead = trail.markers.get(number=3).place
    closure_create(place=ahead, severity="detour", reason_ko="낙석", reason_en="Falling rocks", starts_at=now)
    partly = only(client.get(LIST, {"lang": "en", "open": "true"}))
    assert (partly["status"], partly["is_open"]) == ("partly-closed", True)
    assert [(c["severity"], c["reason"], c["marker_number"]) for c in partly["closures"]] == [
        ("detour", "Falling rocks", 3)
    ]
    closure_create(
        page=trail,
        reason_ko="산불 조심 기간 입산 통제",
        reason_en="Closed for the forest fire season",
        starts_at=now - timedelta(minutes=1),
        ends_at=now + timedelta(days=30),
    )
    closed = only(client.get(LIST, {"open": "false"}))
    assert (closed["status"], closed["is_open"]) == ("closed", False)
    first = closed["closures"][0]
    assert (first["severity"], first["reason"], first["marker_number"]) == ("closed", "산불 조심 기간 입산 통제", None)
    assert first["ends_at"] is not None
    assert count(open="true") == 0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"max_minutes": "-30"}, "max_minutes"),
        ({"max_minutes": "0"}, "max_minutes"),
        ({"max_minutes": "100000000000000000000"}, "max_minutes"),
        ({"max_minutes": "an hour"}, "max_minutes"),
        ({"difficulty": "extreme"}, "difficulty"),
        ({"open": "maybe"}, "open"),
        ({"near": "37.7"}, "near"),
        ({"near": "north,east"}, "near"),
        ({"near": "200,127"}, "near"),
        ({"near": "37.7,-181"}, "near"),
        ({"near": "nan,127"}, "near"),
        ({"near": "inf,127"}, "near"),
        ({"near": "37.7,127\x07"}, "near"),
        ({"near": "1," * 100}, "near"),
        ({"near": "37.7,127", "radius_m": "0"}, "radius_m"),
        ({"near": "37.7,127", "radius_m": "99999999"}, "radius_m"),
        ({"lang": "xx"}, "lang"),
    ],
)
def test_impossible_filters_are_a_400_naming_the_parameter(client, params, field):
    response = client.get(LIST, params, HTTP_X_FORWARDED_FOR="1.2.3.4, <script>")
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_answers_carry_an_etag_and_expire_when_a_closure_begins(client, trail):
    first = client.get(LIST, {"lang": "ko"})
    assert first["Cache-Control"] == "public, max-age=60" and first["ETag"]
    assert "Accept-Language" not in first.get("Vary", "")  # ?lang= decides alone
    again = client.get(LIST, {"lang": "ko"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert client.get(LIST, {"lang": "en"}, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
    # Without ?lang= the phone's language decides, so caches keep one answer per language.
    assert "Accept-Language" in client.get(f"/api/v1/trails/{trail.pk}/")["Vary"]

    closure_create(page=trail, reason_ko="공사", starts_at=timezone.now() + timedelta(seconds=20), ends_at=None)
    changing = client.get(LIST, {"lang": "ko"}, HTTP_IF_NONE_MATCH=first["ETag"])
    # Same trails until then (still 304), but kept only until the closure begins.
    assert changing.status_code == 304
    assert 0 <= int(changing["Cache-Control"].rpartition("=")[2]) <= 20
