"""GET /api/v1/alerts/: the site alerts as data, for the chatbot's "is the walkway open?"."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import Locale

from content.models import SiteAlert

pytestmark = pytest.mark.django_db


def publish(title: str, language: str = "ko", level: str = "warning", **fields) -> SiteAlert:
    locale, _ = Locale.objects.get_or_create(language_code=language)
    alert = SiteAlert(
        title=title,
        message=f'<p>{title}. <b>우회로</b>를 <a href="https://example.kr/?a=1&amp;b=2">확인</a>하세요.</p>',
        level=level,
        locale=locale,
        **fields,
    )
    alert.save()
    alert.save_revision().publish()
    return alert


def test_published_alerts_are_listed_most_serious_first_with_plain_text(client):
    publish("시청 앞 공사 안내", level="info")
    publish("중랑천 산책로 통제 중", level="danger")
    response = client.get("/api/v1/alerts/", {"lang": "ko"})
    assert response.status_code == 200
    first, second = response.json()
    assert (first["title"], first["level"], first["language"]) == ("중랑천 산책로 통제 중", "danger", "ko")
    assert first["message_text"] == "중랑천 산책로 통제 중. 우회로를 확인하세요."
    assert "<b>우회로</b>" in first["message_html"]
    assert second["title"] == "시청 앞 공사 안내"


def test_english_readers_get_the_translation_or_else_the_korean_alert(client):
    translated = publish("중랑천 산책로 통제 중")
    english = translated.copy_for_translation(Locale.objects.get_or_create(language_code="en")[0])
    english.title = "Jungnangcheon walkway closed"
    english.save()
    english.save_revision().publish()
    publish("부용천 자전거길 보수")  # not translated yet
    titles = {row["title"]: row["language"] for row in client.get("/api/v1/alerts/", {"lang": "en"}).json()}
    assert titles == {"Jungnangcheon walkway closed": "en", "부용천 자전거길 보수": "ko"}


def test_drafts_and_alerts_outside_their_window_are_left_out(client):
    SiteAlert.objects.create(title="초안", message="<p>x</p>", live=False, locale=Locale.get_default())
    publish("지난 알림", ends_at=timezone.now() - timedelta(hours=1))
    publish("다음 주 알림", starts_at=timezone.now() + timedelta(days=7))
    assert client.get("/api/v1/alerts/").json() == []


def test_no_language_gets_korean_and_an_unknown_one_a_400(client):
    publish("중랑천 산책로 통제 중")
    [alert] = client.get("/api/v1/alerts/").json()
    assert alert["language"] == "ko"
    for lang in ("xx", "", "ko-KR", "ko\u00e9"):
        response = client.get("/api/v1/alerts/", {"lang": lang}, headers={"Accept-Language": "en"})
        assert response.status_code == 400, lang
        assert response.json()["lang"] == ["Unknown language; use one of: ko, en, zh-hans, ja."]
