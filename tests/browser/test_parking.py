"""Parking and transit on a 360 px phone, against the running product: find the nearest car park
with space, open its page, and watch its free spaces change as the car park's gate system counts,
with no reload (the count travels from the web process that took it, through Redis or the database
channel layer, to the page's socket); then a stop's arrivals, and the way back from a trail's start
to the stop nearest it."""

from datetime import UTC, datetime

import pytest
import requests
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, axe_violations
from tests.browser.test_pages import assert_fits_a_phone

pytestmark = [pytest.mark.browser, pytest.mark.stack]
# Beside 의정부역's east exit, where 의정부역 동부 공영주차장 is.
STATION_EAST = {"latitude": 37.7386, "longitude": 127.0484}

MAKE_DEVICE = """
from apps.mobility.models import CarPark
from apps.mobility.services import sensor_device_create
car_park = CarPark.objects.select_related("place").get(stable_id="366-001-1")
device, token = sensor_device_create(car_park, name="east gate (browser test)")
print(car_park.place.code, token)
"""


def push(stack, token: str, code: str, free: int, message_id: str) -> None:
    response = requests.post(
        f"{stack.url}/api/v1/mobility/sensors/readings",
        json={
            "car_park": code,
            "free_spaces": free,
            "read_at": datetime.now(UTC).isoformat(),
            "message_id": message_id,
        },
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert response.status_code in (200, 201), response.text


def test_the_nearest_car_park_with_space_and_its_count_changing_live(stack, browser):
    code, token = stack.manage("shell", "-c", MAKE_DEVICE).stdout.strip().splitlines()[-1].split()
    push(stack, token, code, 42, "browser-1")

    context = browser.new_context(
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="ko-KR",
        geolocation=STATION_EAST,
        permissions=["geolocation"],
    )
    phone = context.new_page()
    errors: list[str] = []
    phone.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    phone.on("pageerror", lambda error: errors.append(str(error)))
    try:
        phone.goto(stack.url + "/ko/mobility/parking/?space=1", wait_until="networkidle")
        phone.locator("[data-locate]").click()
        phone.wait_for_url("**near=37.739%2C127.048**")
        first = phone.locator(".dataset-card").first
        expect(first.locator("[data-free-spaces]")).to_have_attribute("data-free-spaces", code)
        assert axe_violations(phone) == []
        assert_fits_a_phone(phone)

        first.locator("a").first.click()
        phone.wait_for_url(f"**/ko/mobility/parking/{code}/")
        count = phone.locator(f'[data-free-spaces="{code}"] [data-free-number]')
        expect(count).to_contain_text("42")
        assert axe_violations(phone) == []
        assert_fits_a_phone(phone)

        phone.wait_for_timeout(500)  # the page's socket has opened
        push(stack, token, code, 39, "browser-2")  # three cars came in
        expect(count).to_contain_text("39", timeout=10_000)

        # A stop's arrivals (demo ones from the illustrative timetable, labelled), then the way back
        # from a trail's start.
        phone.goto(stack.url + "/ko/mobility/stops/233000301/", wait_until="networkidle")
        expect(phone.locator("[data-stop-board]")).to_contain_text("예시 도착 정보")
        expect(phone.locator("main")).to_contain_text("막차")
        assert axe_violations(phone) == []
        assert_fits_a_phone(phone)
        phone.goto(stack.url + "/ko/trails/", wait_until="networkidle")
        phone.locator(".dataset-card a").first.click()
        panel = phone.locator(".departures").first
        expect(panel).to_contain_text("막차")
        panel.locator("a").first.click()
        phone.wait_for_url("**/ko/mobility/stops/**")
        assert axe_violations(phone) == []
        assert not errors, errors
    finally:
        context.close()
