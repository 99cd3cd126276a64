"""A walker's phone (360 px) on the stamp tour: a marker's QR address opens its page in Korean, then
another marker's in Japanese, each giving a stamp; the trail is saved; in airplane mode the saved
marker page (through its QR address) and the passport with both stamps still open. Axe-clean.

Runs against pytest-django's live server (tests/browser/conftest.py)."""

import pytest
from playwright.sync_api import expect
from wagtail.models import Locale

from tests.browser.conftest import axe_violations
from tests.browser.test_pages import assert_fits_a_phone
from tests.trails.conftest import trail, trails_index  # noqa: F401 - fixtures used here

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("_orm_beside_playwright"),
]

STORE = "portal-stamp-passport"


@pytest.fixture(autouse=True)
def quiet_alerts(monkeypatch):
    """The demo site publishes an alert, which would tell open pages over the channel layer: not
    reachable from beside Playwright's event loop (see test_alerts_and_launcher.py)."""
    monkeypatch.setattr("content.signals.site_alerts_broadcast", lambda: None)


@pytest.fixture
def japanese_trail(trail):  # noqa: F811 - the fixture imported above
    """The trails' test course with markers 1 and 3 as stamp points and a Japanese page."""
    trail.markers.filter(number=3).update(is_stamp_point=True)
    japanese = trail.copy_for_translation(Locale.objects.get_or_create(language_code="ja")[0], copy_parents=True)
    for page in [*japanese.get_ancestors().filter(locale__language_code="ja").specific(), japanese]:
        if page.alias_of_id is None:  # the site keeps aliases of its sections in every language
            page.save_revision().publish()
    japanese.refresh_from_db()
    japanese.title = "明想の道"
    japanese.save_revision().publish()
    return trail


def stamps_held(phone) -> list[str]:
    return phone.evaluate(f"() => Object.keys((JSON.parse(localStorage.getItem('{STORE}')) || {{}}).stamps || {{}})")


def test_two_stamps_from_qr_codes_then_the_saved_trail_in_airplane_mode(live_site, japanese_trail, resident):
    first, last = (japanese_trail.markers.get(number=number).place.code for number in (1, 3))
    # A Korean phone scans marker 1.
    resident.goto(live_site.url + f"/t/{first}", wait_until="networkidle")
    assert f"/ko/trails/myeongsang-gil/markers/{first}/" in resident.url
    expect(resident.locator("[data-stamp-status]")).to_contain_text("1")
    assert stamps_held(resident) == [first]
    assert "#scan=" not in resident.url  # the proof is not left in the address
    assert_fits_a_phone(resident)
    assert axe_violations(resident) == []

    # The same phone, now in Japanese, scans marker 3.
    context = resident.context
    context.clear_cookies()
    context.set_extra_http_headers({"Accept-Language": "ja"})
    resident.goto(live_site.url + f"/t/{last}", wait_until="networkidle")
    assert "/ja/trails/" in resident.url and resident.locator("html").get_attribute("lang") == "ja"
    expect(resident.locator("[data-stamp-status]")).to_contain_text("2")
    assert sorted(stamps_held(resident)) == sorted([first, last])
    assert axe_violations(resident) == []

    # Save the trail (its Japanese page), with the service worker in control.
    resident.get_by_role("link", name="明想の道").first.click()
    resident.wait_for_load_state("networkidle")
    resident.evaluate("async () => { await navigator.serviceWorker.ready; }")
    save = resident.locator("[data-save-trail]")
    save.locator("[data-save-trail-button]").click()
    expect(save.locator("[data-save-trail-status]")).to_have_text(save.get_attribute("data-text-saved"), timeout=20_000)
    saved = resident.evaluate("async () => (await (await caches.open('portal-saved-trails')).keys()).map(r => r.url)")
    # Leaflet, loaded only when the map is needed, is saved too: offline the line is drawn without tiles.
    assert any("/vendor/leaflet/leaflet" in url and url.endswith(".js") for url in saved), saved
    assert any(url.endswith("/gpx/") for url in saved) and any(url.endswith("/ja/stamps/") for url in saved)
    assert axe_violations(resident) == []

    # Airplane mode: the QR address opens the saved marker page, which knows the stamp is held.
    context.set_offline(True)
    resident.goto(live_site.url + f"/t/{first}")
    expect(resident.get_by_role("heading", level=1)).to_contain_text("1.")
    assert "/ja/trails/" in resident.url
    box = resident.locator("[data-stamp-point]")
    have = box.get_attribute("data-text-have").split("{date}")[0]
    expect(box.locator("[data-stamp-status]")).to_contain_text(have)
    assert axe_violations(resident) == []

    # The passport, saved with the trail: both stamps, and the certificate to ask for.
    resident.goto(live_site.url + "/ja/stamps/")
    expect(resident.locator(".badge--quality")).to_have_count(2)
    expect(resident.locator("[data-certificate-request]")).to_be_visible()
    assert_fits_a_phone(resident)
    assert axe_violations(resident) == []
    # Offline, the browser reports the requests that could not be made; those are expected.
    offline = "ERR_INTERNET_DISCONNECTED"
    resident.console_errors[:] = [error for error in resident.console_errors if offline not in error]
    context.set_offline(False)
