"""A resident on a 360 px phone searches the open data with a word inside a longer Korean word,
opens a dataset and sees its table, its chart and its map; every page fits and passes axe-core.

Runs against pytest-django's live server, which shares the test's database, with its own chromium
(see test_complaint_report.py for why)."""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect, sync_playwright

from tests.browser.conftest import CHROMIUM, QUIET_FLAGS, axe_violations, korean_phone
from tests.browser.test_pages import assert_fits_a_phone as fits_a_phone
from tests.opendata.conftest import make_dataset as make_dataset  # the fixture, for this module
from tests.opendata.test_pages import PARK_FIELDS, PARKS, publish_table

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOUCH_TARGETS = (
    ".complaints-nav a, .breadcrumb a, .button, .facets__summary, .facet__option, .chip, .sort-links a, "
    ".dataset-card__title a, .sort-link, .versions summary, .leaflet-bar a"
)


@pytest.fixture(autouse=True, scope="module")
def _orm_beside_playwright():
    """Playwright's sync API keeps an event loop in this thread, which makes Django refuse database
    calls; the test's own calls run one at a time between browser steps, so they are safe."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture
def site(live_server, city, settings):
    # Plain static names: the live server finds static files by their source names.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    return live_server


@pytest.fixture(scope="module")
def chromium(_orm_beside_playwright):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=QUIET_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def resident(chromium):
    with korean_phone(chromium) as page:
        page.route_web_socket("**/ws/**", lambda socket: None)  # site alerts: an open socket that stays quiet
        yield page


def assert_fits_a_phone(page) -> None:
    fits_a_phone(page, touch_targets=TOUCH_TARGETS)


def test_a_resident_finds_a_dataset_and_sees_its_table_chart_and_map(site, resident, make_dataset):
    page = resident
    parks = make_dataset(
        "city-parks",
        title_ko="의정부시 도시공원현황",
        title_en="Uijeongbu city parks",
        description_ko="의정부시 도시공원의 이름과 면적, 위치를 담은 목록입니다.",
        department="parks",
        category="environment",
        keywords=("공원", "녹지"),
    )
    publish_table(parks, PARKS, fields=PARK_FIELDS)
    make_dataset("bus-stops", title_ko="버스정류장 위치", keywords=("교통",))

    page.goto(site.url + "/ko/open-data/datasets/", wait_until="networkidle")
    assert page.locator("html").get_attribute("lang") == "ko"
    filters = page.locator("details[data-facets]")
    assert filters.get_attribute("open") is None  # folded away on a phone
    assert_fits_a_phone(page)
    assert axe_violations(page) == []

    page.locator("input[name='q']").fill("공원현")  # inside 도시공원현황
    page.locator("form[role='search'] button[type='submit']").click()
    page.wait_for_url("**/ko/open-data/datasets/?q=*")
    cards = page.locator(".dataset-card")
    expect(cards).to_have_count(1)
    page.locator(".facets__summary").click()
    expect(page.locator(".facet__option[data-value='parks']")).to_be_visible()
    assert_fits_a_phone(page)
    assert axe_violations(page) == []

    cards.first.get_by_role("link", name="의정부시 도시공원현황").click()
    page.wait_for_url("**/ko/open-data/datasets/city-parks/")
    page.wait_for_load_state("networkidle")

    table = page.locator("[data-preview-table]")
    expect(table.locator("tbody tr")).to_have_count(len(PARKS))
    expect(table.locator("tbody tr").first).to_contain_text("직동근린공원")
    bars = page.locator(".bar-chart__svg .bar-chart__bar")
    expect(bars).to_have_count(len(PARKS))
    expect(page.locator(".bar-chart__svg")).to_contain_text("1,200,000")
    chart_width = page.locator(".bar-chart__svg").bounding_box()["width"]
    longest = max(bar.bounding_box()["width"] for bar in bars.all())
    assert 0.6 * chart_width < longest < 0.8 * chart_width  # the largest value gets the longest bar

    map_box = page.locator("#dataset-map.leaflet-container")
    expect(map_box).to_be_visible()
    expect(map_box.locator("path.leaflet-interactive")).to_have_count(3)  # the park without coordinates is left out
    expect(page.locator("#dataset-map-status")).not_to_be_empty()
    assert_fits_a_phone(page)
    assert axe_violations(page) == []

    # Sorting the table by a column is a link: the page comes back sorted, and the chart follows.
    table.locator("a[data-sort='면적']").click()
    page.wait_for_url("**sort=*")
    table.locator("a[data-sort='면적']").click()
    page.wait_for_url("**order=desc*")
    expect(table.locator("tbody tr").first).to_contain_text("추동근린공원")
    expect(page.locator(".bar-chart__label").first).to_have_text("추동근린공원")
