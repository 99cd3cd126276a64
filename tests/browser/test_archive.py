"""The archive on a 360 px phone, against the running product with its demo items: search with a
word inside a longer one, narrow by a facet, open an item, open it in Mirador and zoom in, which
fetches deeper tiles from the portal's IIIF Image API; and a resident's story, sent, approved by a
moderator and then public from the contributor's tracking page."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, korean_phone
from tests.browser.test_pages import assert_fits_a_phone

pytestmark = [pytest.mark.browser, pytest.mark.stack]


def test_search_an_item_and_zoom_into_it_in_mirador(stack, browser):
    with korean_phone(browser) as phone:
        # Mirador 4 logs a React 19 deprecation notice as an error; it breaks nothing. Page errors count.
        phone.console_errors.clear()
        phone.goto(f"{stack.url}/ko/archive/search/?q=%EC%95%88%EB%82%B4", wait_until="networkidle")  # q=안내
        expect(phone.get_by_role("heading", level=1)).to_have_text("아카이브 검색")
        results = phone.locator(".archive-card")
        expect(results.first).to_be_visible()
        assert_fits_a_phone(phone)
        assert axe_violations(phone) == []

        phone.locator("summary", has_text="검색 조건").click()
        phone.locator("a[data-facet='type'][data-value='document']").click()
        phone.wait_for_load_state("networkidle")
        booklet = phone.get_by_role("link", name="의정부읍 안내 책자")
        expect(booklet).to_be_visible()
        booklet.click()
        expect(phone.get_by_role("heading", level=1)).to_have_text("의정부읍 안내 책자")
        assert axe_violations(phone) == []

        tiles: list[str] = []
        requested: list[str] = []
        phone.on("request", lambda request: requested.append(request.url))
        phone.on("request", lambda request: tiles.append(request.url) if "/iiif/image/" in request.url else None)
        phone.get_by_role("link", name="뷰어에서 열기(확대)").click()
        phone.wait_for_load_state("networkidle")
        # The first image is there at once; Mirador is fetched only when the visitor starts it.
        expect(phone.locator("#archive-viewer img")).to_be_visible()
        assert axe_violations(phone) == []
        assert not any("mirador" in url for url in requested)
        phone.get_by_role("button", name="뷰어 시작").click()
        expect(phone.locator("#archive-viewer .openseadragon-canvas")).to_be_visible(timeout=20_000)
        phone.wait_for_timeout(1000)
        before = {url for url in tiles if not re.search(r"/iiif/image/[0-9a-f]{32}/full/", url)}
        # Mirador speaks Korean on a Korean page and labels the item from the manifest's Korean.
        expect(phone.locator("#archive-viewer")).to_contain_text("의정부읍 안내 책자")
        phone.get_by_role("button", name="확대", exact=True).first.click()
        phone.get_by_role("button", name="확대", exact=True).first.click()
        phone.wait_for_timeout(2000)
        deeper = {url for url in tiles if not re.search(r"/iiif/image/[0-9a-f]{32}/full/", url)} - before
        assert deeper, f"zooming in fetched no region tiles: {tiles[-5:]}"
        assert all(phone.request.get(url).status == 200 for url in list(deeper)[:3])
        phone.console_errors[:] = [error for error in phone.console_errors if "element.ref was removed" not in error]


APPROVE = """
from django.contrib.auth import get_user_model
from apps.archive.contributions import contribution_approve
from apps.archive.models import Contribution
moderator, _ = get_user_model().objects.get_or_create(username="archive-moderator")
contribution_approve(Contribution.objects.get(title="가능동 빨래터의 여름"), user=moderator)
"""


def test_a_story_is_sent_approved_and_seen_public(stack, browser):
    with korean_phone(browser) as phone:
        phone.goto(f"{stack.url}/ko/archive/contribute/", wait_until="networkidle")
        assert_fits_a_phone(phone)
        assert axe_violations(phone) == []
        phone.locator("#id_title").fill("가능동 빨래터의 여름")
        phone.locator("#id_story").fill("어릴 때 어머니를 따라 빨래터에 갔습니다.")
        phone.locator("#id_date_text").fill("1970년대")
        phone.locator("#id_place_text").fill("가능동 빨래터")
        pin_map = phone.locator("[data-pin-map]")
        pin_map.scroll_into_view_if_needed()
        expect(pin_map.locator(".leaflet-container, .leaflet-pane").first).to_be_attached(timeout=15_000)
        pin_map.click()  # the pin where it happened
        expect(phone.locator("[data-pin-status]")).to_contain_text("위치를 표시했습니다")
        assert phone.locator("#id_latitude").input_value()
        phone.locator("#id_credit").fill("이영희")
        phone.get_by_label("동의합니다").check()
        phone.get_by_role("button", name="아카이브에 보내기").click()
        phone.wait_for_load_state("networkidle")
        expect(phone.locator("[data-status]")).to_have_attribute("data-status", "waiting")
        assert axe_violations(phone) == []
        tracking = phone.url

        stack.manage("shell", "-c", APPROVE)
        phone.goto(tracking, wait_until="networkidle")
        phone.get_by_role("link", name="아카이브에서 보기").click()
        expect(phone.get_by_role("heading", level=1)).to_have_text("가능동 빨래터의 여름")
        expect(phone.locator(".archive-item__record")).to_contain_text("이영희")
        expect(phone.locator(".archive-item__record")).to_contain_text("가능동 빨래터")  # its place, on the map
