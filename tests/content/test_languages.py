"""A page is offered only in the languages it is written in: under /zh-hans/ and /ja/ the reader is
sent to the page as it exists instead of reading Korean under lang="ja"."""

import re

import pytest
from wagtail.models import Locale

from content.models import HomePage, SiteAlert


def lang_of(html: str) -> str:
    return re.search(r'<html lang="([^"]+)"', html).group(1)


def translate_home(language: str, title: str) -> HomePage:
    home = HomePage.objects.get(locale__language_code="ko")
    translated = home.copy_for_translation(Locale.objects.get(language_code=language))
    translated.title = translated.hero_title = title
    translated.save()
    translated.save_revision().publish()
    return translated


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
@pytest.mark.parametrize(
    ("path", "korean"),
    [
        ("/", "/ko/"),
        ("/trails/", "/ko/trails/"),
        ("/complaints/cases/?category=streetlight", "/ko/complaints/cases/?category=streetlight"),
        ("/open-data/datasets/", "/ko/open-data/datasets/"),
    ],
)
def test_an_untranslated_page_is_not_served_under_a_tourist_language(client, demo_site, language, path, korean):
    response = client.get(f"/{language}{path}")
    assert response.status_code == 302
    assert response.url == korean
    assert lang_of(client.get(korean).content.decode()) == "ko"


def test_a_page_translated_into_japanese_is_served_in_japanese(client, demo_site):
    translate_home("ja", "議政府市へようこそ")
    response = client.get("/ja/")
    html = response.content.decode()
    assert response.status_code == 200
    assert lang_of(html) == "ja" and "議政府市へようこそ" in html
    # Below it, a page that has no Japanese version yet is the Korean one, at its Korean address.
    assert client.get("/ja/trails/").url == "/ko/trails/"
    assert client.get("/ja/no-such-page/").status_code == 404


def test_the_switcher_offers_japanese_only_where_the_page_has_it(client, demo_site):
    assert 'hreflang="ja"' not in client.get("/ko/").content.decode()
    translate_home("ja", "議政府市へようこそ")
    assert 'href="/ja/" lang="ja" hreflang="ja"' in client.get("/ko/").content.decode()
    assert 'hreflang="ja"' not in client.get("/ko/trails/").content.decode()
    assert 'hreflang="ja"' not in client.get("/ko/complaints/report/").content.decode()


def test_korean_and_english_pages_are_served_as_before(client, demo_site):
    for path, language in [("/ko/trails/", "ko"), ("/en/trails/", "en"), ("/en/complaints/report/", "en")]:
        response = client.get(path)
        assert response.status_code == 200 and lang_of(response.content.decode()) == language, path


def test_a_form_posted_under_a_tourist_prefix_is_not_redirected_away(client, demo_site):
    # A redirect would drop what the resident typed; the view answers the post itself.
    assert client.post("/ja/complaints/report/", {"action": "preview"}).status_code != 302


def test_an_alert_shown_in_korean_on_an_english_page_says_so(client, demo_site):
    alert = SiteAlert(title="중랑천 산책로 통제 중", message="<p>통제</p>", level="danger", locale=Locale.get_default())
    alert.save()
    alert.save_revision().publish()
    html = client.get("/en/").content.decode()
    assert re.search(
        r'<section class="alert alert--danger"[^>]* lang="ko"[^>]*>\s*<div class="container">\s*<h2[^>]*>중랑천', html
    )
    assert not re.search(r'<section class="alert[^>]* lang="ko"', client.get("/ko/").content.decode())


def test_alerts_show_in_full_without_javascript_and_name_their_revision(client, demo_site):
    alert = SiteAlert(
        title="호원동 지하차도 통제", message="<p>오늘 밤까지</p>", level="danger", locale=Locale.get_default()
    )
    alert.save()
    alert.save_revision().publish()
    alert.refresh_from_db()
    html = client.get("/ko/").content.decode()
    assert f'data-alert="{alert.translation_key}:{alert.live_revision_id}"' in html
    message = re.search(r'<div class="alert__message" id="alert-\d+-message"([^>]*)>', html)
    assert message and "hidden" not in message.group(1)
    first_revision = alert.live_revision_id
    alert.save_revision().publish()
    alert.refresh_from_db()
    assert alert.live_revision_id != first_revision
    assert f'data-alert="{alert.translation_key}:{alert.live_revision_id}"' in client.get("/ko/").content.decode()
