"""A river guide point and its river's page on a 360 px phone, against the running product with its
demo points: the 3D model and <model-viewer> load only after the tap, and a walkway closed while
the page is open replaces the 3D view with the safety notice, and withdraws "near a spot" from the
river's page, without a reload; a river guide saved on the phone opens its points offline."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, korean_phone
from tests.browser.test_pages import assert_fits_a_phone

pytestmark = [pytest.mark.browser, pytest.mark.stack]

CLOSE = """
from apps.rivers import services
from apps.rivers.models import River, WalkwayClosure
services.walkway_close(
    River.objects.get(slug="jungnangcheon"), cause=WalkwayClosure.Cause.STAFF, reason_ko="브라우저 시험: 출입 통제"
)
"""
REOPEN = """
from django.contrib.auth import get_user_model
from apps.rivers import services
from apps.rivers.models import River
staff, _ = get_user_model().objects.get_or_create(username="river-staff")
services.walkway_reopen(River.objects.get(slug="jungnangcheon"), user=staff, note="browser test: checked")
"""


def test_the_model_loads_on_tap_and_a_closure_replaces_it_live(stack, browser):
    with korean_phone(browser) as phone:
        fetched: list[str] = []
        phone.on("request", lambda request: fetched.append(request.url))
        phone.goto(f"{stack.url}/ko/river-guide/jungnangcheon-heron/", wait_until="networkidle")
        expect(phone.get_by_role("heading", level=1)).to_have_text("중랑천 왜가리 쉼터")
        assert_fits_a_phone(phone)
        assert axe_violations(phone) == []
        assert not [url for url in fetched if url.endswith(".glb") or "model-viewer" in url]

        phone.get_by_role("button", name="3D 모델 보기").click()
        expect(phone.locator("model-viewer")).to_have_count(1)
        phone.wait_for_function("() => customElements.get('model-viewer') !== undefined", timeout=20_000)
        phone.wait_for_function("() => document.querySelector('model-viewer').loaded === true", timeout=20_000)
        assert [url for url in fetched if url.endswith(".glb")]

        stack.manage("shell", "-c", CLOSE)
        closed = phone.locator("[data-point-closed]")
        expect(closed).to_be_visible(timeout=15_000)
        expect(closed).to_contain_text("브라우저 시험: 출입 통제")
        expect(phone.locator("[data-point-open]")).to_be_hidden()
        stack.manage("shell", "-c", REOPEN)
        expect(closed).to_be_hidden(timeout=15_000)


HERON_SPOT = {"latitude": 37.73522, "longitude": 127.04501}  # about 2 m from the demo heron spot


def test_near_a_spot_sorts_the_points_and_is_withdrawn_while_the_walkway_is_closed(stack, browser):
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
        locale="ko-KR",
        geolocation=HERON_SPOT,
        permissions=["geolocation"],
    )
    phone = context.new_page()
    sent: list[str] = []
    phone.on("request", lambda request: sent.append(request.url))
    phone.goto(f"{stack.url}/ko/river-guide/jungnangcheon/", wait_until="networkidle")
    expect(phone.get_by_role("heading", level=1)).to_have_text("중랑천")  # the river's Wagtail page
    assert_fits_a_phone(phone)
    assert axe_violations(phone) == []
    asked_before = len(sent)
    phone.get_by_role("button", name=re.compile("가까운 지점|Near a spot")).click()
    here = phone.locator("[data-near-spot-here]")
    expect(here).to_be_visible()
    expect(here).to_contain_text("왜가리")
    first = phone.locator("[data-near-spot-list] > li").first
    expect(first).to_have_attribute("data-url", re.compile("jungnangcheon-heron"))
    assert len(sent) == asked_before  # the position went nowhere

    tools = phone.locator("[data-near-spot-tools]")
    stack.manage("shell", "-c", CLOSE)
    expect(tools).to_be_hidden(timeout=15_000)  # no walk to the water's edge while it is closed
    stack.manage("shell", "-c", REOPEN)
    expect(tools).to_be_visible(timeout=15_000)

    # Saved for the riverside without a signal: the heron spot's QR address opens in airplane mode.
    phone.evaluate("async () => { await navigator.serviceWorker.ready; }")
    save = phone.locator("[data-save-trail]")
    save.locator("[data-save-trail-button]").click()
    expect(save.locator("[data-save-trail-status]")).to_have_text(save.get_attribute("data-text-saved"), timeout=20_000)
    code = first.locator("a").get_attribute("data-place-code")
    context.set_offline(True)
    phone.goto(f"{stack.url}/t/{code}")
    expect(phone.get_by_role("heading", level=1)).to_have_text("중랑천 왜가리 쉼터")
    context.set_offline(False)
    context.close()
