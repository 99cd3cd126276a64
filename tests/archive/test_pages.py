"""The archive's public search and item pages: words inside words, facets with counts, the decade
timeline and map, private items never shown, and bad query input answered cleanly."""

import re

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from iiif_prezi3 import Manifest

from apps.archive.licences import LicenceCode
from apps.archive.models import Item
from tests.archive.conftest import make_item

SEARCH = "/ko/archive/search/"


@pytest.fixture
def stew(city, station_square, everyday) -> Item:
    return make_item(
        city,
        "T-STEW",
        pages=1,
        title_ko="부대찌개거리 초기 식당",
        title_en="An early restaurant on the budae-jjigae street",
        date_text="1970년대",
        subjects_ko="음식, 부대찌개",
        subjects_en="food, budae-jjigae",
        licence=LicenceCode.CC_BY,
        place=station_square,
    )


def _facet(html: str, name: str) -> dict[str, int]:
    """The facet's options as shown: label -> count."""
    options = re.findall(
        rf'data-facet="{name}" data-value="[^"]*">.*?facet__label">(?:<span[^>]*>[^<]*</span>)?([^<]+)</span>\s*'
        r'<span class="facet__count">(\d+)',
        html,
        flags=re.S,
    )
    return {label: int(count) for label, count in options}


def test_words_match_inside_words_and_facets_count_what_matches(client, photograph, document, stew):
    html = client.get(SEARCH, {"q": "부대"}).content.decode()
    assert "부대찌개거리 초기 식당" in html and "T-PHOTO 제목" not in html
    assert _facet(html, "subject") == {"음식": 1, "부대찌개": 1}

    everything = client.get("/en/archive/search/").content.decode()
    assert _facet(everything, "type") == {"Photograph": 2, "Document": 1}
    assert _facet(everything, "decade") == {"1960s": 2, "1970s": 1}
    assert _facet(everything, "subject") == {"food": 1, "budae-jjigae": 1, "station": 1, "railway": 1}
    assert _facet(everything, "collection") == {"Everyday life": 2}  # the stew is in no collection
    assert _facet(everything, "place") == {"Uijeongbu Station": 2}

    railway = client.get(SEARCH, {"subject": "철도"}).content.decode()
    assert "T-PHOTO 제목" in railway and "부대찌개거리" not in railway and "T-DOC" not in railway
    seventies = client.get(SEARCH, {"decade": "1970"}).content.decode()
    assert "부대찌개거리" in seventies and "T-PHOTO" not in seventies
    cc = client.get(SEARCH, {"licence": LicenceCode.CC_BY}).content.decode()
    assert "부대찌개거리" in cc and "T-DOC" not in cc


def test_the_timeline_runs_in_time_order_and_the_map_has_the_placed_items(client, photograph, document, stew):
    html = client.get("/en/archive/search/").content.decode()
    decades = re.findall(r'archive-timeline__label">([^<]+)<', html)
    assert decades == ["1960s", "1970s"]  # 1960년경 and 1963년, then 1970년대
    points = re.search(r'<script id="archive-points" type="application/json">(.*?)</script>', html).group(1)
    assert points.count('"latitude"') == 2  # the document has no place


def test_a_private_item_is_never_found_nor_shown(client, photograph, stew):
    Item.objects.filter(pk=stew.pk).update(is_public=False)
    html = client.get(SEARCH, {"q": "부대"}).content.decode()
    assert "부대찌개거리" not in html
    assert client.get(f"/ko/archive/items/{stew.pk}/").status_code == 404
    assert client.get(f"/ko/archive/items/{photograph.pk}/").status_code == 200


def test_an_item_page_shows_its_record_licence_and_iiif_links(client, photograph):
    html = client.get(f"/en/archive/items/{photograph.pk}/").content.decode()
    assert "<h1>T-PHOTO title</h1>" in html and "The station square." in html
    assert "<dd>c. 1960</dd>" in html  # 1960년경, worded for an English reader
    assert 'rel="license" href="https://www.kogl.or.kr/info/licenseType1.do"' in html
    assert f'href="/iiif/manifest/{photograph.pk}.json"' in html and "/info.json" in html
    assert "illustration" in html  # the demo's drawn images say what they are
    media = photograph.media.get()
    assert f"/iiif/image/{media.uuid.hex}/full/480,/0/default.jpg 480w" in html
    assert "?subject=railway" in html  # each subject searches for its like


@pytest.mark.parametrize(
    "query",
    [
        {"q": "x" * 5000},
        {"q": "역\x00\x1f"},
        {"page": "999999999999"},
        {"page": "-3"},
        {"decade": "nineteen"},
        {"decade": "1' OR '1'='1"},
        {"place": "\x00"},
        {"type": ["photograph"] * 500},
    ],
)
def test_bad_query_input_gets_a_clean_page(client, photograph, query):
    response = client.get(SEARCH, query)
    assert response.status_code in (200, 400)


def test_a_page_past_the_last_gets_the_last(client, photograph):
    response = client.get(SEARCH, {"page": "50"})
    assert response.status_code == 200 and "T-PHOTO" in response.content.decode()


def test_the_viewer_page_opens_the_manifest_and_alone_allows_mirador_its_styles(client, photograph, city):
    viewer = client.get(f"/ko/archive/viewer/{photograph.pk}/")
    assert viewer.status_code == 200
    assert f'data-manifest="http://testserver/iiif/manifest/{photograph.pk}.json"' in viewer.content.decode()
    assert "style-src 'self' 'unsafe-inline'" in viewer["Content-Security-Policy"]
    again = client.get(f"/ko/archive/viewer/{photograph.pk}/")  # from the page cache: the same policy
    assert "style-src 'self' 'unsafe-inline'" in again["Content-Security-Policy"]
    item = client.get(f"/ko/archive/items/{photograph.pk}/")
    assert "'unsafe-inline'" not in item["Content-Security-Policy"]
    assert "mirador" not in item.content.decode()  # its 2 MB load on the viewer page only
    without_images = make_item(city, "T-NOIMAGE")
    assert client.get(f"/ko/archive/viewer/{without_images.pk}/").status_code == 404


def test_the_archive_section_page_searches_the_archive(client, demo_site):
    section = client.get("/ko/archive/").content.decode()
    assert 'action="/ko/archive/search/"' in section and 'href="/ko/archive/search/"' in section
    assert 'href="/ko/archive/contribute/"' in section


def test_an_oral_history_plays_with_its_captions_and_its_manifest_has_the_recording(client, city):
    from apps.archive import services
    from apps.archive.models import Item

    recording = settings.BASE_DIR / "data" / "demo" / "archive" / "UA-O-001.wav"
    cues = "WEBVTT\n\n00:00:00.000 --> 00:00:06.000\n처음 골목에 가게를 연 건 1960년대 중반이었어요.\n"
    oral = make_item(city, "T-ORAL", item_type=Item.Type.ORAL_HISTORY, transcript_vtt=cues)
    services.item_recording_set(oral, ContentFile(recording.read_bytes(), name="T-ORAL.wav"))
    assert oral.audio_seconds == 27.0

    page = client.get(f"/ko/archive/items/{oral.pk}/").content.decode()
    assert 'preload="none"' in page and f'src="/ko/archive/items/{oral.pk}/transcript.vtt"' in page
    captions = client.get(f"/ko/archive/items/{oral.pk}/transcript.vtt")
    assert captions["Content-Type"].startswith("text/vtt") and captions.content.decode() == cues

    manifest = client.get(f"/iiif/manifest/{oral.pk}.json").json()
    Manifest(**manifest)  # valid Presentation 3.0, as iiif-prezi3's models read it
    [canvas] = manifest["items"]
    assert canvas["duration"] == 27.0
    sound = canvas["items"][0]["items"][0]["body"]
    assert (sound["type"], sound["format"]) == ("Sound", "audio/wav") and sound["id"].endswith(".wav")
    caption = canvas["annotations"][0]["items"][0]
    assert caption["motivation"] == "supplementing" and caption["body"]["format"] == "text/vtt"
