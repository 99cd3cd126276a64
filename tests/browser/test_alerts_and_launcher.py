"""On a 360 x 740 phone: two serious alerts leave the first service in view, a reader folds one and
it stays folded, and the floating 민원 도우미 button never covers the end of the report form.

Runs against pytest-django's live server, with the alerts socket answered by Playwright (see
tests/browser/conftest.py)."""

import pytest
from playwright.sync_api import expect
from wagtail.models import Locale

from content.models import SiteAlert
from tests.browser.conftest import PHONE, axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("_orm_beside_playwright"),
]

FLOOD = (
    "<p>집중호우로 중랑천 수위가 높아져 <b>중랑천 산책로와 자전거도로 전 구간</b>의 출입을 통제합니다. "
    "하천변에 세워 둔 차량은 즉시 옮겨 주세요.</p>"
)
ROAD = (
    "<p>도로 침수로 <b>호원동 지하차도</b>를 오늘 밤까지 통제합니다. 버스는 평화로로 우회하며, "
    "정류장 위치는 시 누리집에서 확인할 수 있습니다.</p>"
)


def publish_alert(title: str, message: str) -> SiteAlert:
    alert = SiteAlert(title=title, message=message, level="danger", locale=Locale.get_default())
    alert.save()
    alert.save_revision().publish()
    return alert


@pytest.fixture
def quiet_alerts(monkeypatch):
    """Publishing an alert tells open pages over the channel layer, which cannot be reached from
    beside Playwright's event loop; the live server has no websockets to tell anyway."""
    monkeypatch.setattr("content.signals.site_alerts_broadcast", lambda: None)


@pytest.fixture
def two_alerts(quiet_alerts, live_site, demo_site):
    SiteAlert.objects.all().delete()  # the demo's own notice: exactly the two of the report
    return publish_alert("중랑천 산책로 통제 중", FLOOD), publish_alert("호원동 지하차도 통제", ROAD)


def test_two_alerts_leave_the_first_service_in_view_and_a_fold_is_remembered(two_alerts, live_site, resident):
    resident.goto(live_site.url + "/ko/", wait_until="networkidle")
    alerts = resident.locator("[data-alert]")
    expect(alerts).to_have_count(2)
    expect(alerts.locator(".alert__message").first).to_be_visible()  # both shown in full at first
    first_service = resident.locator(".entry").first.bounding_box()
    assert first_service["y"] + first_service["height"] <= PHONE["height"], first_service
    assert axe_violations(resident) == []

    toggle = resident.get_by_role("button", name="중랑천 산책로 통제 중")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    flood_alert = alerts.filter(has=toggle)
    expect(flood_alert.locator(".alert__message")).to_be_hidden()
    assert flood_alert.bounding_box()["height"] <= 48  # one line: the title

    resident.reload(wait_until="networkidle")
    expect(resident.get_by_role("button", name="중랑천 산책로 통제 중")).to_have_attribute("aria-expanded", "false")
    expect(resident.get_by_role("button", name="호원동 지하차도 통제")).to_have_attribute("aria-expanded", "true")
    assert axe_violations(resident) == []

    # An editor changes the folded alert: the new text is shown again.
    flood = two_alerts[0]
    flood.message = FLOOD.replace("즉시", "오늘 18시까지")
    flood.save_revision().publish()
    resident.reload(wait_until="networkidle")
    expect(resident.get_by_role("button", name="중랑천 산책로 통제 중")).to_have_attribute("aria-expanded", "true")


def test_the_assistant_button_never_covers_the_end_of_the_report_form(quiet_alerts, demo_site, live_site, resident):
    resident.goto(live_site.url + "/ko/complaints/report/", wait_until="networkidle")
    launcher = resident.locator("[data-chat-open]")
    expect(launcher).to_be_visible()
    resident.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    box = launcher.bounding_box()
    at_launcher = resident.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).closest('[data-chat-open]') !== null",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )
    assert at_launcher, "something is drawn over the launcher"
    submit = resident.locator("#report-form button[type='submit']:visible").last
    submit_box = submit.bounding_box()
    assert submit_box["y"] + submit_box["height"] <= box["y"], (submit_box, box)
    # The page's last words (the footer's) are not under the launcher either.
    last_text = resident.locator(".site-footer__small").bounding_box()
    assert last_text["y"] + last_text["height"] <= box["y"], (last_text, box)
    # Mid-page, a field reached with the Tab key while it lies under the launcher is scrolled clear.
    address = resident.locator("#id_address")
    resident.evaluate(
        "([field, top]) => window.scrollBy(0, field.getBoundingClientRect().bottom - top - 4)",
        [address.element_handle(), box["y"] + box["height"]],
    )
    assert address.bounding_box()["y"] + address.bounding_box()["height"] > box["y"], "not under the launcher"
    # Focused (as the Tab key or a label does), the browser scrolls it into view clear of the launcher.
    address.evaluate("field => field.focus()")
    expect(address).to_be_focused()
    focused = address.bounding_box()
    assert focused["y"] + focused["height"] <= launcher.bounding_box()["y"], (focused, launcher.bounding_box())
