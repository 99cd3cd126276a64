import re

import pytest
from wagtail.models import Locale, Page

from apps.complaints import selectors, services
from content.models import HomePage, SiteAlert

SECTION_SLUGS = ["complaints", "open-data", "trails", "river-guide", "mobility", "archive"]


def links_on(html: str) -> set[str]:
    return {href for href in re.findall(r'href="(/[^"]*)"', html) if not href.startswith("/static/")}


def test_the_first_visit_follows_the_browser_language(client, demo_site):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").url == "/en/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="ko-KR,ko;q=0.9").url == "/ko/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR").url == "/ko/"  # Korean is the default


def test_a_chosen_language_is_remembered(client, demo_site):
    client.get("/en/")
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="ko-KR").url == "/en/"


@pytest.mark.parametrize(
    ("language", "heading", "menu_item"),
    [("ko", "의정부", "민원 신고"), ("en", "Uijeongbu", "Report a problem")],
)
def test_home_page_in_each_language_has_every_entry_point(client, demo_site, language, heading, menu_item):
    response = client.get(f"/{language}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}">' in html
    assert heading in html
    for slug in SECTION_SLUGS:
        assert f'href="/{language}/{slug}/"' in html
    assert menu_item in html or language == "en"


def test_english_home_page_is_in_english(client, demo_site):
    html = client.get("/en/").content.decode()
    assert "Skip to main content" in html
    assert not re.search(r"[\uac00-\ud7a3]", re.sub(r'<a [^>]*lang="ko".*?</a>', "", html)), "Korean text left"


@pytest.mark.parametrize("language", ["ko", "en"])
def test_no_link_on_the_site_is_dead(client, demo_site, language):
    seen, queue = set(), [f"/{language}/"]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        if response["Content-Type"].startswith("text/html"):
            queue.extend(link for link in links_on(response.content.decode()) if link not in seen)
    assert len(seen) > len(SECTION_SLUGS)


def test_the_language_switcher_leads_to_the_same_page_in_the_other_language(client, demo_site):
    html = client.get("/ko/trails/").content.decode()
    assert 'href="/en/trails/" lang="en" hreflang="en"' in html
    assert 'href="/ko/trails/" lang="ko" hreflang="ko" aria-current="true"' in html


def test_every_section_exists_in_korean_and_english(demo_site):
    korean, english = Locale.objects.get(language_code="ko"), Locale.objects.get(language_code="en")
    for slug in SECTION_SLUGS:
        page = Page.objects.get(slug=slug, locale=korean)  # the archive's is its own landing page type
        translation = page.get_translation(english)
        assert translation.live and translation.title != page.title
    assert HomePage.objects.live().count() == 2


def test_complaints_section_lists_the_live_routing_table(client, demo_site):
    html = client.get("/ko/complaints/").content.decode()
    assert "가로등·보안등 고장" in html and "도로조명팀" in html
    english = client.get("/en/complaints/").content.decode()
    assert "Streetlight out or flickering" in english and "Road Lighting Team" in english


@pytest.mark.parametrize(
    ("url", "heading"),
    [("/ko/no-such-page/", "페이지를 찾을 수 없습니다"), ("/en/no-such-page/", "We could not find that page")],
)
def test_a_missing_page_gets_a_friendly_404_in_the_visitors_language(client, demo_site, url, heading):
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert heading in html
    assert "Traceback" not in html


def test_a_missing_page_without_a_language_is_sent_to_one(client, demo_site):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.url == "/en/no-such-page/"
    assert client.get(response.url).status_code == 404


def publish_alert(title: str, level: str = "warning", locale: str = "ko", **fields) -> SiteAlert:
    alert = SiteAlert(
        title=title, message=f"<p>{title}</p>", level=level, locale=Locale.objects.get(language_code=locale), **fields
    )
    alert.save()
    alert.save_revision().publish()
    return alert


def test_a_published_alert_shows_on_every_page(client, demo_site):
    publish_alert("중랑천 산책로 통제 중", level="danger")
    for url in ["/ko/", "/ko/trails/", "/ko/no-such-page/"]:
        assert "중랑천 산책로 통제 중" in client.get(url).content.decode(), url


def test_an_untranslated_alert_is_shown_in_korean_to_english_readers(client, demo_site):
    publish_alert("중랑천 산책로 통제 중")
    assert "중랑천 산책로 통제 중" in client.get("/en/").content.decode()


def test_a_translated_alert_is_shown_in_the_readers_language_only(client, demo_site):
    alert = publish_alert("중랑천 산책로 통제 중")
    translation = alert.copy_for_translation(Locale.objects.get(language_code="en"))
    translation.title = translation.message = "Jungnangcheon walkway closed"
    translation.save()
    translation.save_revision().publish()
    html = client.get("/en/").content.decode()
    assert "Jungnangcheon walkway closed" in html
    assert "중랑천 산책로 통제 중" not in html


def test_drafts_and_alerts_outside_their_window_are_not_shown(client, demo_site):
    from datetime import timedelta

    from django.utils import timezone

    SiteAlert.objects.create(title="초안 알림", message="<p>x</p>", live=False, locale=Locale.get_default())
    publish_alert("지난 알림", ends_at=timezone.now() - timedelta(hours=1))
    publish_alert("다음 주 알림", starts_at=timezone.now() + timedelta(days=7))
    html = client.get("/ko/").content.decode()
    assert "초안 알림" not in html and "지난 알림" not in html and "다음 주 알림" not in html


def test_alerts_are_ordered_most_serious_first(client, demo_site):
    publish_alert("안내 알림", level="info")
    publish_alert("위험 알림", level="danger")
    html = client.get("/ko/").content.decode()
    assert html.index("위험 알림") < html.index("안내 알림")


def test_the_sitemap_lists_pages_in_both_languages(client, demo_site):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    assert "/ko/trails/" in xml and "/en/trails/" in xml


def test_complaints_section_tells_when_an_answer_is_due_if_reported_today(client, demo_site):
    from django.utils import timezone

    from apps.complaints.deadlines import add_working_days

    due = add_working_days(timezone.localdate(), 7).isoformat()
    assert f"오늘 접수 시 {due}까지" in client.get("/ko/complaints/").content.decode()
    assert f"by {due} if reported today" in client.get("/en/complaints/").content.decode()


def test_demo_data_gives_staff_shared_and_department_reply_templates(demo_site, city):
    def templates_offered_for(code: str) -> set[str]:
        case = services.complaint_submit(
            category=city.categories.get(code=code),
            description="현장을 확인해 주세요",
            channel="web",
            latitude=city.latitude,
            longitude=city.longitude,
        ).complaint
        return {template.title for template in selectors.reply_template_list(complaint=case)}

    assert {"처리 완료 안내", "도로 파손 보수 완료"} <= templates_offered_for("pothole")
    streetlight = templates_offered_for("streetlight")
    assert "처리 완료 안내" in streetlight and "도로 파손 보수 완료" not in streetlight
