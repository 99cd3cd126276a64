"""Playwright driving Debian's chromium (never a downloaded browser) against the running stack."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 360, "height": 740}
# Without these, chromium keeps trying to reach Google's services, which this network refuses.
QUIET_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=QUIET_FLAGS)
        yield browser
        browser.close()


@contextmanager
def korean_phone(browser) -> Iterator[Page]:
    """A Korean 360 px phone page that records console errors; fails if any happened."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="ko-KR")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.console_errors = errors
    yield page
    context.close()
    assert not errors, f"console errors: {errors}"


@pytest.fixture
def phone(browser):
    with korean_phone(browser) as page:
        yield page


def axe_violations(page) -> list[dict]:
    # Evaluated, not added as a <script>: the pages' Content-Security-Policy refuses inline scripts.
    page.evaluate(AXE.read_text())
    violations = page.evaluate("async () => (await axe.run(document)).violations")
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]} for v in violations]


# --- Tests against pytest-django's live server ----------------------------------------------------
# They share the test's database, so a test can set data up or check it between browser steps.
# Each module starts and stops its own chromium: the session's would keep Playwright's event loop
# in this thread while the async tests pytest-django orders after them run.


@pytest.fixture(scope="module")
def _orm_beside_playwright():
    """Playwright's sync API keeps an event loop in this thread, which makes Django refuse database
    calls; the test's own calls run one at a time between browser steps, so they are safe. For the
    whole module, so that the database is also emptied after each test."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="module")
def chromium(_orm_beside_playwright):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=QUIET_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def resident(chromium):
    """A Korean phone whose site-alerts socket stays open and quiet (the live server has no websockets)."""
    with korean_phone(chromium) as page:
        page.route_web_socket("**/ws/**", lambda socket: None)
        yield page


@pytest.fixture
def live_site(live_server, settings):
    from django.core.cache import cache

    # Plain static names: the live server finds static files by their source names.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    return live_server
