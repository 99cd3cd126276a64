"""What a marker holds for walkers (photos, an audio guide with its transcript, the ecology of each
season, its name and text in Japanese and Chinese) and what its page, the page a QR scan opens,
makes of it: this season, the nearest toilet, the report link; and a trail closed raising the site
alert for as long as it is closed."""

import html
import re
from datetime import datetime, timedelta
from io import BytesIO
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.files.base import ContentFile
from django.utils import timezone, translation
from PIL import Image as PillowImage
from wagtail.documents.models import Document
from wagtail.images import get_image_model
from wagtail.models import Locale

from apps.common.guide_media import AUDIO_MAX_BYTES, AudioError, audio_check
from apps.places.models import Closure
from apps.places.services import closure_create, closure_delete, closure_lift, closure_update
from apps.trails import services
from apps.trails.blocks import Season
from apps.trails.models import TrailMarker, TrailPage
from content.models import SiteAlert
from content.services import SITE_ALERTS_GROUP
from tests.trails.test_gpx import _edit_data, editor  # noqa: F401 - the editor fixture

pytestmark = pytest.mark.django_db

MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
SEASONS_HERE = {
    Season.SPRING: "진달래",
    Season.SUMMER: "산수국",
    Season.AUTUMN: "구절초",
    Season.WINTER: "소나무 겨울눈",
}


def main(page_html: str) -> str:
    return page_html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def document(name: str, content: bytes) -> Document:
    return Document.objects.create(title=name, file=ContentFile(content, name=name))


def words(ko: str, en: str = "", ja: str = "", zh_hans: str = "") -> dict:
    return {"ko": ko, "en": en, "ja": ja, "zh_hans": zh_hans}


@pytest.fixture
def tourist_trail(trail: TrailPage) -> TrailPage:
    """The test trail in Japanese and Chinese too, its rest area (marker 2) with an audio guide and
    the ecology of every season, and a toilet at the finish."""
    index = trail.get_parent().specific
    for language, title in [("ja", "ミョンサンギル"), ("zh-hans", "冥想之路")]:
        services.trail_index_translate(index, language, texts={"title": title, "summary": "-", "intro": ""})
        translation = trail.copy_for_translation(Locale.objects.get(language_code=language))
        translation.title = title
        translation.save()
        translation.save_revision().publish()
    rest = trail.markers.get(number=2)
    rest.name_ja, rest.name_zh_hans = "休憩所", "休息处"
    rest.text_ja = "ベンチがあります。"
    rest.audio = document("guide.mp3", MP3)
    rest.transcript_ko, rest.transcript_en, rest.transcript_ja = "쉼터 안내", "About the rest area", "休憩所の案内"
    rest.ecology = [
        ("season", {"season": season, "flowers": words(ko, f"{season} flowers", f"{season}の花"), "birds": words("")})
        for season, ko in SEASONS_HERE.items()
    ]
    rest.save()
    TrailMarker.objects.filter(page=trail, number=3).update(facilities=["toilet"])
    return trail


def marker_url(language: str, code: str) -> str:
    prefix = {"ja": "/ja/trails/myeongsang-gil/", "zh-hans": "/zh-hans/trails/myeongsang-gil/"}
    return prefix.get(language, f"/{language}/trails/myeongsang-gil/") + f"markers/{code}/"


def test_a_japanese_phone_reads_the_marker_in_japanese_with_its_audio_season_and_toilet(client, tourist_trail):
    rest = tourist_trail.markers.select_related("place", "audio").get(number=2)
    code = rest.place.code
    # The QR code opens the Japanese page now that the trail has one.
    scan = client.get(f"/t/{code}", HTTP_ACCEPT_LANGUAGE="ja-JP,ja;q=0.9")
    assert scan.url.partition("#")[0] == marker_url("ja", code)

    page = main(client.get(marker_url("ja", code)).content.decode())
    assert "<h1>2. 休憩所</h1>" in page and "ベンチがあります。" in page
    # Untranslated marker names fall back to English, not Korean.
    assert "3. Finish" in page
    assert f'<source src="{rest.audio.file.url}" type="audio/mpeg">' in page and 'preload="none"' in page
    assert "休憩所の案内" in page  # the transcript in the reader's language
    season = Season.of_month(datetime.now(ZoneInfo("Asia/Seoul")).month)
    assert f"{season}の花" in page
    assert [f"{other}の花" in page for other in SEASONS_HERE if other != season] == [False] * 3
    # The toilet at the finish, 2 km on along the track.
    assert "2.0 km" in page and marker_url("ja", tourist_trail.markers.get(number=3).place.code) in page

    chinese = main(client.get(marker_url("zh-hans", code)).content.decode())
    assert "2. 休息处" in chinese and "About the rest area" in chinese  # no Chinese transcript: English
    korean = main(client.get(marker_url("ko", code)).content.decode())
    assert "2. 쉼터" in korean and "쉼터 안내" in korean and SEASONS_HERE[season] in korean


def test_report_a_problem_opens_the_complaint_form_with_the_marker_and_category_filled_in(client, tourist_trail):
    rest = tourist_trail.markers.select_related("place").get(number=2)
    for language, place, heading in [("en", "Rest area", "Report a problem"), ("ja", "休憩所", "問題を通報")]:
        page = main(client.get(marker_url(language, rest.place.code)).content.decode())
        link = html.unescape(re.search(r'<a class="card" href="([^"]*/complaints/report/[^"]*)"', page).group(1))
        url = urlsplit(link)
        # In the phone's language, Japanese too (not sent on to the Korean form).
        assert url.path == f"/{language}/complaints/report/"
        query = parse_qs(url.query)
        assert query["category"] == ["tree-trail"]
        assert place in query["address"][0] and rest.place.code in query["address"][0]
        assert float(query["latitude"][0]) == pytest.approx(rest.latitude, abs=1e-6)
        form = client.get(link).content.decode()
        assert f'<html lang="{language}"' in form and f"<h1>{heading}</h1>" in form
        assert re.search(r'<option value="tree-trail"[^>]*selected', form)
        assert f'value="{html.escape(query["address"][0])}"' in form or query["address"][0] in html.unescape(form)


@pytest.mark.parametrize(
    ("name", "size", "head", "problem"),
    [
        ("guide.mp3", 1000, MP3, None),
        ("guide.mp3", 1000, b"\xff\xfb\x90\x64" + b"\x00" * 8, None),  # an MPEG frame with no ID3 tag
        ("guide.m4a", 1000, b"\x00\x00\x00\x20ftypM4A \x00\x00", None),
        ("guide.wav", 1000, b"RIFF\x00\x00\x00\x00WAVE", "must be an MP3 or M4A file"),
        ("guide", 1000, MP3, "must be an MP3 or M4A file"),
        ("guide.mp3", 1000, PNG, "is not a playable MP3 file"),
        ("guide.m4a", 1000, MP3, "is not a playable M4A file"),
        ("guide.m4a", 1000, b"\x00\x00\x00\x20ftypqt  \x00\x00", "is not a playable M4A file"),  # a QuickTime video
        ("guide.mp3", AUDIO_MAX_BYTES + 1, MP3, "an audio guide may be at most 20.0"),
    ],
)
def test_audio_files_are_checked_by_name_content_and_size(name, size, head, problem):
    if problem is None:
        assert audio_check(name, size, head) in ("audio/mpeg", "audio/mp4")
    else:
        with translation.override("en"), pytest.raises(AudioError, match=problem):
            audio_check(name, size, head)


def test_the_editor_refuses_a_bad_audio_file_and_audio_without_a_transcript(editor, trail):  # noqa: F811
    data = _edit_data(trail)
    data["markers-1-audio"] = document("guide.mp3", PNG).pk
    data["markers-2-audio"] = document("finish.mp3", MP3).pk
    response = editor.post(f"/admin/pages/{trail.pk}/edit/", data)
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "guide.mp3 is not a playable MP3 file: its content does not match its name." in page
    assert "An audio guide needs its transcript: walkers who cannot hear it read it instead." in page
    assert not TrailMarker.objects.filter(page=trail, audio__isnull=False).exists()

    data["markers-1-audio"] = ""
    data["markers-2-transcript_ko"] = "도착점입니다."
    assert editor.post(f"/admin/pages/{trail.pk}/edit/", data).status_code == 302
    assert TrailMarker.objects.get(page=trail, number=3).audio.filename == "finish.mp3"


def test_photos_lose_their_camera_metadata_and_stand_the_right_way_up():
    exif = PillowImage.Exif()
    exif[0x0112] = 6  # orientation: the camera was turned, the picture must be rotated
    exif[0x8825] = {2: (37.0, 44.0, 10.0), 4: (127.0, 2.0, 30.0)}  # GPS latitude and longitude
    out = BytesIO()
    PillowImage.new("RGB", (40, 20), "green").save(out, "JPEG", exif=exif)

    image = get_image_model().objects.create(title="marker", file=ContentFile(out.getvalue(), name="walk.jpg"))
    image.refresh_from_db()
    with image.open_file() as file:
        stored = PillowImage.open(file)
        assert not stored.getexif() and stored.size == (20, 40)
        file.seek(0)
        assert image.file_size == len(file.read())
    assert (image.width, image.height) == (20, 40)


@pytest.mark.django_db(databases=["default", "channels"])
def test_a_trail_closed_raises_the_site_alert_for_as_long_as_it_is_closed(
    client, trail, django_capture_on_commit_callbacks
):
    now = timezone.now()
    layer = get_channel_layer()

    def open_page() -> str:
        """A page's socket, subscribed as the alerts consumer subscribes it."""
        channel = async_to_sync(layer.new_channel)()
        async_to_sync(layer.group_add)(SITE_ALERTS_GROUP, channel)
        return channel

    def pushed(channel: str) -> bool:
        return async_to_sync(layer.receive)(channel)["type"] == "alerts.changed"

    finish = trail.markers.select_related("place").get(number=3).place

    demo_alerts = list(SiteAlert.objects.values_list("pk", flat=True))

    def raised(at):
        showing = SiteAlert.objects.showing(at=at).exclude(pk__in=demo_alerts)
        return sorted((alert.locale.language_code, alert.title) for alert in showing)

    page = open_page()
    with django_capture_on_commit_callbacks(execute=True):
        closure = closure_create(
            place=finish,
            reason_ko="낙석",
            reason_en="Falling rocks",
            starts_at=now + timedelta(hours=1),
            ends_at=now + timedelta(hours=3),
        )
    # Shown from the closure's start until its end, in each language the trail has.
    assert raised(now) == [] and pushed(page)
    expected = [("en", "Myeongsang-gil is closed"), ("ko", "명상의길 통제 중")]
    assert raised(now + timedelta(hours=1)) == expected
    assert raised(now + timedelta(hours=3) - timedelta(seconds=1)) == expected
    assert raised(now + timedelta(hours=3)) == []
    alert = SiteAlert.objects.exclude(pk__in=demo_alerts).get(locale__language_code="en")
    assert "Falling rocks" in alert.message and alert.level == SiteAlert.Level.DANGER

    with django_capture_on_commit_callbacks(execute=True):
        closure_update(closure, starts_at=now - timedelta(minutes=5), ends_at=None)
    assert raised(now) == expected
    assert "Myeongsang-gil is closed" in client.get("/en/").content.decode()

    # Lifted: the alert ends with it; a lesser warning raises none.
    page = open_page()
    with django_capture_on_commit_callbacks(execute=True):
        closure_lift(closure, at=now)
        detour = closure_create(page=trail, severity=Closure.Severity.DETOUR, reason_ko="우회", reason_en="Detour")
    assert raised(now) == [] and raised(now - timedelta(minutes=1)) == expected and pushed(page)
    assert SiteAlert.objects.exclude(pk__in=demo_alerts).count() == 2

    # Made severe, the whole trail closes; deleted, its alert goes.
    with django_capture_on_commit_callbacks(execute=True):
        closure_update(detour, severity=Closure.Severity.CLOSED)
    assert raised(timezone.now()) == expected
    page = open_page()
    with django_capture_on_commit_callbacks(execute=True):
        closure_delete(detour)
        closure_delete(closure)
    assert not SiteAlert.objects.exclude(pk__in=demo_alerts).exists() and pushed(page)


@pytest.mark.django_db(databases=["default", "channels"])
def test_a_river_walkway_closing_near_a_marker_warns_its_open_page_until_staff_reopen_it(
    client, trail, django_capture_on_commit_callbacks
):
    from django.contrib.auth import get_user_model

    from apps.places.live import place_group
    from apps.places.models import Place
    from apps.places.services import place_create
    from apps.rivers import services as rivers
    from apps.rivers.models import River, RiverEntrance, WalkwayClosure

    rest, finish = (trail.markers.select_related("place").get(number=number).place for number in (2, 3))
    river = River.objects.create(municipality=rest.municipality, slug="test-cheon", name_ko="시험천", name_en="Test")
    # 100 m north of marker 2 (within RIVERS_NEARBY_MARKERS_M); the finish is 1.9 km away.
    gate = place_create(
        municipality=river.municipality,
        kind=Place.Kind.POINT,
        name_ko="시험천 입구",
        latitude=37.7099,
        longitude=127.00034,
    )
    RiverEntrance.objects.create(river=river, place=gate, name_ko="시험천 입구")
    layer = get_channel_layer()

    def open_page() -> str:
        """The marker page's socket, subscribed as the places consumer subscribes it."""
        channel = async_to_sync(layer.new_channel)()
        async_to_sync(layer.group_add)(place_group(rest.code), channel)
        return channel

    page_socket = open_page()
    with django_capture_on_commit_callbacks(execute=True):
        rivers.walkway_close(river, cause=WalkwayClosure.Cause.STAFF, reason_ko="호우", reason_en="Heavy rain")
    pushed = async_to_sync(layer.receive)(page_socket)
    assert pushed == {"type": "closures.changed", "code": rest.code, "change": "created"}
    page = main(client.get(marker_url("en", rest.code)).content.decode())
    assert "Take care (open)</strong>: Rest area. The Test walkway near here is closed: Heavy rain" in page
    assert (
        f'data-place-closures-socket="/ws/places/?codes={trail.markers.get(number=1).place.code},{rest.code},' in page
    )
    assert "walkway near here" not in main(client.get(marker_url("en", finish.code)).content.decode())

    staff = get_user_model().objects.create_user(username="river-duty", password="x", is_staff=True)
    page_socket = open_page()
    with django_capture_on_commit_callbacks(execute=True):
        rivers.walkway_reopen(river, user=staff, note="물이 빠짐")
    assert async_to_sync(layer.receive)(page_socket)["change"] == "lifted"
    assert "walkway near here" not in main(client.get(marker_url("ko", rest.code)).content.decode())


def test_months_in_korea_make_the_seasons():
    assert [Season.of_month(month) for month in range(1, 13)] == [
        *[Season.WINTER] * 2,
        *[Season.SPRING] * 3,
        *[Season.SUMMER] * 3,
        *[Season.AUTUMN] * 3,
        Season.WINTER,
    ]
