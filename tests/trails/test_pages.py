"""The walker's pages for anonymous visitors in Korean and English: the trails list, a trail with
its figures, profile, markers and closures, the marker page a QR code opens, and the marker's
permanent URL through renames, removals and the deletion of its trail."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.utils import timezone

from apps.places.models import Place
from apps.places.services import closure_create
from apps.trails import services
from apps.trails.models import TrailMarker, TrailPage
from apps.trails.track import Point

pytestmark = pytest.mark.django_db


def main(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def marker(trail: TrailPage, number: int) -> TrailMarker:
    return trail.markers.select_related("place").get(number=number)


@pytest.mark.parametrize(
    ("language", "title", "start", "time"),
    [("ko", "명상의길", "망월사역", "40분"), ("en", "Myeongsang-gil", "Mangwolsa Station", "40 min")],
)
def test_the_trails_list_and_a_trail_page_in_korean_and_english(client, trail, language, title, start, time):
    listing = client.get(f"/{language}/trails/")
    assert listing.status_code == 200
    assert f'href="/{language}/trails/myeongsang-gil/"' in main(listing.content.decode())
    assert "3.0 km" in main(listing.content.decode())

    response = client.get(f"/{language}/trails/myeongsang-gil/")
    html = main(response.content.decode())
    assert f"<h1>{title}</h1>" in html and start in html
    # The hand-worked figures of tests/trails/test_track.py, as a walker reads them.
    for figure in ["3.0 km", time, "101 m", "201 m", "205 kcal"]:
        assert figure in html
    assert '<svg class="trail-profile__svg"' in html and '<title id="profile-title">' in html
    assert '<desc id="profile-desc">' in html
    assert f'href="/{language}/trails/myeongsang-gil/gpx/"' in html
    assert 'role="note"' in html  # the approximate-track notice
    codes = [marker(trail, number).place.code for number in (1, 2, 3)]
    assert [f"/{language}/trails/myeongsang-gil/markers/{code}/" in html for code in codes] == [True] * 3
    # Nothing per visitor: the page can be cached and served to anyone.
    assert "csrfmiddlewaretoken" not in response.content.decode()


def test_a_qr_code_opens_its_marker_page_in_the_phones_language(client, trail):
    code = marker(trail, 2).place.code
    response = client.get(f"/t/{code}", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 302
    assert response["Location"].partition("#scan=")[0] == f"/en/trails/myeongsang-gil/markers/{code}/"
    assert "Accept-Language" in response["Vary"] and "Cookie" in response["Vary"]
    # A tourist language the trail has not been translated into: English rather than Korean.
    for language, prefix in [("ja", "en"), ("ko", "ko")]:
        scanned = client.get(f"/t/{code}", HTTP_ACCEPT_LANGUAGE=language).url
        assert scanned.partition("#")[0] == f"/{prefix}/trails/myeongsang-gil/markers/{code}/"

    page = main(client.get(f"/en/trails/myeongsang-gil/markers/{code}/").content.decode())
    assert "Marker 2 of 3 on Myeongsang-gil" in page and "2. Rest area" in page
    # Next marker 2 km on (1,000.754 + 1,000.754 m), 23.886 min of walking; the end is the same point.
    assert "3. Finish" in page and "2.0 km" in page and "about 25 min" in page
    korean = client.get(f"/ko/trails/myeongsang-gil/markers/{code}/").content.decode()
    assert "2. 쉼터" in korean
    # The language switcher keeps the walker on the marker.
    assert f'href="/en/trails/myeongsang-gil/markers/{code}/"' in korean


def test_closures_show_on_the_pages_of_the_trail_while_in_force(client, trail):
    now = timezone.now()
    ahead = marker(trail, 3).place
    closure_create(
        place=ahead,
        reason_ko="낙석 위험",
        reason_en="Falling rocks",
        detour_en="Take the village road",
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=1),
    )
    closure_create(
        page=trail,
        reason_ko="지난 공사",
        reason_en="Old works",
        starts_at=now - timedelta(days=3),
        ends_at=now - timedelta(days=1),
    )
    trail_page = main(client.get("/en/trails/myeongsang-gil/").content.decode())
    assert "Falling rocks" in trail_page and "Take the village road" in trail_page and "Old works" not in trail_page
    code = marker(trail, 1).place.code
    assert "Falling rocks" in main(client.get(f"/en/trails/myeongsang-gil/markers/{code}/").content.decode())
    # Behind the walker at the finish it is no longer "ahead"; a closure of the whole trail always is.
    whole = closure_create(page=trail, reason_ko="전 구간 통제", reason_en="Whole trail closed")
    finish = main(client.get(f"/en/trails/myeongsang-gil/markers/{ahead.code}/").content.decode())
    assert "Whole trail closed" in finish
    assert "Whole trail closed" in main(client.get("/en/trails/").content.decode())
    assert whole.municipality == trail.get_site().municipality


def test_renaming_and_removing_markers_keeps_their_codes_answering(client, trail):
    second = marker(trail, 2)
    code = second.place.code
    second_place = second.place_id
    # Renamed and republished: the same code, the new name.
    revision_page = trail.get_latest_revision_as_object()
    items = list(revision_page.markers.all())
    items[1].name_en = "Pine rest area"
    revision_page.markers = items
    revision_page.save_revision().publish()
    assert Place.objects.get(pk=second_place).name_en == "Pine rest area"
    assert client.get(f"/t/{code}", HTTP_ACCEPT_LANGUAGE="en").url.partition("#")[0].endswith(f"/markers/{code}/")

    # Removed: the code still answers, with a note and the trail it belonged to.
    revision_page = trail.get_latest_revision_as_object()
    revision_page.markers = [item for item in revision_page.markers.all() if item.number != 2]
    revision_page.save_revision().publish()
    retired = client.get(f"/t/{code}", HTTP_ACCEPT_LANGUAGE="en")
    assert retired.status_code == 410
    assert 'href="/en/trails/myeongsang-gil/"' in main(retired.content.decode())
    assert client.get(f"/en/trails/myeongsang-gil/markers/{code}/").status_code == 404

    # Put back from an old revision: the same code opens the marker again.
    trail.revisions.order_by("created_at").first().publish()
    assert client.get(f"/t/{code}", HTTP_ACCEPT_LANGUAGE="en").status_code == 302

    # The trail deleted: every code of it answers with the note.
    codes = [item.place.code for item in trail.markers.select_related("place")]
    trail.get_translations().delete()
    TrailPage.objects.get(pk=trail.pk).delete()
    assert [client.get(f"/t/{c}").status_code for c in codes] == [410, 410, 410]
    assert Place.objects.filter(code__in=codes, retired_at__isnull=False).count() == 3


def test_the_print_sheet_has_every_markers_code_for_editors_only(admin_client, client, trail):
    url = f"/admin/trails/{trail.pk}/print-sheet.svg"
    response = admin_client.get(url)
    assert response["Content-Disposition"] == 'attachment; filename="myeongsang-gil-qr-codes.svg"'
    svg = response.content.decode()
    assert svg.startswith("<?xml") and 'width="210.0mm"' in svg and 'height="594.0mm"' in svg  # two A4 pages
    for item in trail.markers.select_related("place"):
        assert f">{item.place.code}<" in svg and f">{item.name_ko}<" in svg
    # The QR symbol is 100 mm wide (plus its quiet zone) whatever the length of the URL.
    size = float(re.search(r'<svg x="8.0" y="[\d.]+" width="([\d.]+)"', svg).group(1))
    modules = int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))
    assert size * (modules - 8) / modules == pytest.approx(100, abs=0.01)
    assert client.get(url).status_code == 302  # to the admin's sign-in


def test_a_trail_and_its_markers_near_stops_show_the_next_departures_and_the_last(
    client, trails_index, monkeypatch, timetable_at_weekday_noon
):
    """From the city's timetables (the illustrative seed feed here), through apps/places: the trail's
    start and a marker by 망월사역 list the next departures and the day's last; such a page is
    kept by the page cache a minute at most."""
    call_command("import_gtfs", str(settings.BASE_DIR / "data/transit/uijeongbu-illustrative"), verbosity=0)
    page = TrailPage(
        title="역에서 역으로", slug="station-walk", summary="역 사이", start_name="망월사역", end_name="회룡역"
    )
    track = [Point(37.7104 - step * 0.0016, 127.0482, 80.0) for step in range(10)]
    services.trail_track_set(page, track, approximate=True)
    page.markers = [TrailMarker(number=1, name_ko="역 앞", name_en="Station", latitude=37.7104, longitude=127.0482)]
    services.trail_markers_prepare(page, site_page=trails_index)
    trails_index.add_child(instance=page)
    page.save_revision().publish()

    pages, kept = caches["pages"], {}
    store = pages.set

    def spy(key, value, timeout=None, **kwargs):
        kept[key] = timeout
        return store(key, value, timeout=timeout, **kwargs)

    monkeypatch.setattr(pages, "set", spy)
    trail_html = main(client.get(page.url).content.decode())
    code = marker(page, 1).place.code
    marker_html = main(client.get(f"{page.url}markers/{code}/").content.decode())
    for html in (trail_html, marker_html):
        assert "망월사역" in html and "예시 시간표" in html
        assert re.search(r"<li>1호선: (\d\d:\d\d, ){2}\d\d:\d\d · 막차 \d\d:\d\d</li>", html), html
        assert re.search(r"<li>1번: (\d\d:\d\d, ){2}\d\d:\d\d · 막차 \d\d:\d\d</li>", html), html
    assert kept and all(timeout <= 60 for timeout in kept.values())
