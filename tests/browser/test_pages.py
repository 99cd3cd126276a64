import pytest

from tests.browser.conftest import axe_violations
from tests.stack.publish import publish_alert_code

pytestmark = [pytest.mark.browser, pytest.mark.stack]

TOUCH_TARGETS = ".site-header a, .site-nav a, .site-nav button, .entry, .card, .breadcrumb a, .site-footer a"


def assert_fits_a_phone(page, touch_targets: str = TOUCH_TARGETS) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page scrolls sideways by {overflow}px"
    font_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert font_size >= 16, "text too small to read without zoom"
    small = page.evaluate(
        """selector => [...document.querySelectorAll(selector)]
            .filter(el => el.offsetParent !== null)
            .map(el => [el.textContent.trim().slice(0, 30), el.getBoundingClientRect().height])
            .filter(([, height]) => height < 44)""",
        touch_targets,
    )
    assert not small, f"touch targets under 44 px: {small}"


def test_home_page_in_korean_then_english_on_a_phone(stack, phone):
    phone.goto(stack.url + "/", wait_until="networkidle")
    assert phone.url.endswith("/ko/")  # a Korean phone lands on Korean
    assert phone.locator("html").get_attribute("lang") == "ko"
    assert phone.get_by_role("link", name="민원 신고").first.is_visible()
    assert_fits_a_phone(phone)
    assert axe_violations(phone) == []

    phone.get_by_role("link", name="English").click()
    phone.wait_for_url("**/en/")
    phone.wait_for_load_state("networkidle")
    assert phone.locator("html").get_attribute("lang") == "en"
    assert phone.get_by_role("heading", level=1).inner_text()
    assert_fits_a_phone(phone)
    assert axe_violations(phone) == []

    phone.goto(stack.url + "/", wait_until="networkidle")
    assert phone.url.endswith("/en/"), "the chosen language was not remembered"


def test_english_browser_lands_on_english(stack, browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-US")
    page = context.new_page()
    page.goto(stack.url + "/")
    assert page.url.endswith("/en/")
    context.close()


@pytest.mark.parametrize("path", ["/ko/trails/", "/en/complaints/", "/ko/없는-페이지/"])
def test_inner_pages_fit_a_phone_and_are_accessible(stack, phone, path):
    response = phone.goto(stack.url + path, wait_until="networkidle")
    assert response.status in (200, 404)
    # The browser reports the 404 status itself as a console error; that one is expected.
    phone.console_errors[:] = [e for e in phone.console_errors if "404" not in e]
    assert_fits_a_phone(phone)
    assert axe_violations(phone) == []


def test_the_menu_opens_and_closes_on_a_phone(stack, phone):
    phone.goto(stack.url + "/ko/", wait_until="networkidle")
    toggle = phone.get_by_role("button", name="메뉴")
    trails = phone.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="소풍길")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not trails.is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    trails.click()
    phone.wait_for_url("**/ko/trails/")


def test_the_service_worker_takes_control_and_caches_the_shell(stack, phone):
    phone.goto(stack.url + "/ko/", wait_until="networkidle")
    cached = phone.evaluate(
        """async () => {
            await navigator.serviceWorker.ready;
            const keys = await caches.keys();
            const cache = await caches.open(keys.find(key => key.startsWith("portal-shell-")));
            return (await cache.keys()).map(request => new URL(request.url).pathname);
        }"""
    )
    assert "/offline/" in cached
    assert any(path.startswith("/static/css/portal") for path in cached)


def test_an_alert_appears_on_an_open_page_without_reloading(stack, phone):
    phone.goto(stack.url + "/ko/trails/", wait_until="networkidle")
    stack.manage("shell", "-c", publish_alert_code("백석천 산책로 통제"))
    alert = phone.get_by_role("alert").filter(has_text="백석천 산책로 통제")
    alert.wait_for(timeout=20_000)
    assert alert.is_visible()
