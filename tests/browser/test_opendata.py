"""A resident on a 360 px phone searches the open data with a word inside a longer Korean word,
opens a dataset and sees its table, its chart and its map; every page fits and passes axe-core.

Runs against pytest-django's live server, which shares the test's database, with its own chromium
(see tests/browser/conftest.py for why)."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.browser.test_pages import assert_fits_a_phone
from tests.opendata.test_pages import PARK_FIELDS, PARKS, publish_table

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("_orm_beside_playwright"),
]

TOUCH_TARGETS = (
    ".complaints-nav a, .breadcrumb a, .button, .facets__summary, .facet__option, .chip, .sort-links a, "
    ".dataset-card__title a, .sort-link, .versions summary, .leaflet-bar a"
)


@pytest.fixture
def site(live_site, city):
    return live_site


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
    assert_fits_a_phone(page, touch_targets=TOUCH_TARGETS)
    assert axe_violations(page) == []

    page.locator("input[name='q']").fill("공원현")  # inside 도시공원현황
    page.locator("form[role='search'] button[type='submit']").click()
    page.wait_for_url("**/ko/open-data/datasets/?q=*")
    cards = page.locator(".dataset-card")
    expect(cards).to_have_count(1)
    page.locator(".facets__summary").click()
    expect(page.locator(".facet__option[data-value='parks']")).to_be_visible()
    assert_fits_a_phone(page, touch_targets=TOUCH_TARGETS)
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

    page.locator("#dataset-map").scroll_into_view_if_needed()  # Leaflet comes when the map is about to be seen
    map_box = page.locator("#dataset-map.leaflet-container")
    expect(map_box).to_be_visible()
    expect(map_box.locator("path.leaflet-interactive")).to_have_count(3)  # the park without coordinates is left out
    expect(page.locator("#dataset-map-status")).not_to_be_empty()
    assert_fits_a_phone(page, touch_targets=TOUCH_TARGETS)
    assert axe_violations(page) == []

    # Sorting the table by a column is a link: the page comes back sorted, and the chart follows.
    table.locator("a[data-sort='면적']").click()
    page.wait_for_url("**sort=*")
    table.locator("a[data-sort='면적']").click()
    page.wait_for_url("**order=desc*")
    expect(table.locator("tbody tr").first).to_contain_text("추동근린공원")
    expect(page.locator(".bar-chart__label").first).to_have_text("추동근린공원")
