"""The chat assistant on a 360 px phone, against the running product and its real bot."""

import json
import re
import subprocess
import time
from io import BytesIO
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.conf import settings
from PIL import Image

from tests.browser.conftest import axe_violations
from tests.browser.test_pages import assert_fits_a_phone
from tests.stack_runner import free_port

pytestmark = [pytest.mark.browser, pytest.mark.stack]
HANGUL = re.compile(r"[\uac00-\ud7a3]")
CITY_HALL = {"latitude": 37.7381, "longitude": 127.0337}

# What the portal stored of the resident's side of the conversation, read as another process would.
RESIDENT_LINES = """
import json
from apps.chat.selectors import conversation_for_signed_id
from apps.complaints.models import Photo
conversation = conversation_for_signed_id({signed!r})
lines = [m.payload for m in conversation.messages.filter(sender="resident")]
photos = [str(p.uuid) for p in Photo.objects.filter(uploaded_by__name={client!r}, complaint=None)]
print(json.dumps({{"lines": lines, "photos": photos}}))
"""


def test_chat_greeting_by_keyboard_kept_across_a_page_load(stack, phone):
    phone.goto(stack.url + "/ko/", wait_until="networkidle")
    launcher = phone.locator("[data-chat-open]")
    panel = phone.get_by_role("dialog")
    assert launcher.is_visible() and not panel.is_visible()
    assert launcher.bounding_box()["height"] >= 44

    # Open with the keyboard: the focus goes to the message box.
    launcher.focus()
    phone.keyboard.press("Enter")
    assert panel.is_visible()
    assert launcher.get_attribute("aria-expanded") == "true"
    assert phone.evaluate("document.activeElement.id") == "chat-text"
    phone.locator("[data-chat-status]:empty").wait_for(state="attached", timeout=10_000)  # connected

    phone.keyboard.type("안녕하세요")
    phone.keyboard.press("Enter")
    live_region = phone.locator('[data-chat-log][aria-live="polite"]')
    reply = live_region.locator(".chat-message--bot .chat-message__text").first
    reply.wait_for(timeout=60_000)
    assert HANGUL.search(reply.inner_text()), reply.inner_text()
    assert live_region.locator(".chat-message--resident .chat-message__text").inner_text() == "안녕하세요"
    assert phone.locator("#chat-text").input_value() == ""

    assert_fits_a_phone(phone)
    for target in phone.locator(".chat-panel button, .chat-form__tool").all():
        assert target.bounding_box()["height"] >= 44, target.inner_text()
    assert axe_violations(phone) == []

    # Esc closes it and gives the focus back to the launcher.
    phone.keyboard.press("Escape")
    assert not panel.is_visible()
    assert phone.evaluate("document.activeElement.hasAttribute('data-chat-open')")
    greeting = reply.inner_text()

    # After a page load the same conversation is there.
    phone.reload(wait_until="networkidle")
    phone.locator("[data-chat-open]").click()
    reply_again = phone.locator("[data-chat-log] .chat-message--bot .chat-message__text").first
    reply_again.wait_for(timeout=20_000)
    assert reply_again.inner_text() == greeting
    said = phone.locator("[data-chat-log] .chat-message--resident .chat-message__text").first
    assert said.inner_text() == "안녕하세요"
    assert_fits_a_phone(phone)


def test_chat_panel_open_survives_navigation_and_fits_a_phone(stack, phone):
    phone.goto(stack.url + "/ko/trails/", wait_until="networkidle")
    phone.locator("[data-chat-open]").click()
    phone.locator("[data-chat-status]:empty").wait_for(state="attached", timeout=10_000)
    phone.goto(stack.url + "/ko/complaints/", wait_until="networkidle")
    # It was open: it opens again, without taking the focus from the page.
    assert phone.get_by_role("dialog").is_visible()
    assert phone.evaluate("document.activeElement === document.body")
    assert_fits_a_phone(phone)
    assert axe_violations(phone) == []


@pytest.fixture
def web_without_bot(stack):
    """One more web process of the running product, whose bot address leads nowhere (Rasa crashed)."""
    port = free_port()
    env = {**stack.env, "RASA_URL": f"http://127.0.0.1:{free_port()}"}
    process = subprocess.Popen(
        [
            ".venv/bin/uvicorn",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--lifespan",
            "off",
            "--timeout-graceful-shutdown",
            "10",
            "portal.asgi:application",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{url}/healthz", timeout=2).status_code == 200:
                break
        except requests.RequestException:
            time.sleep(0.5)
    yield url
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:  # seen once in CI: the process outlived its graceful shutdown
        process.kill()
        process.wait()


def test_chat_with_the_bot_down_offers_the_form_within_three_seconds_with_the_text(web_without_bot, phone):
    phone.goto(web_without_bot + "/ko/", wait_until="networkidle")
    phone.locator("[data-chat-open]").click()
    phone.locator("[data-chat-status]:empty").wait_for(state="attached", timeout=10_000)
    text = "의정부역 2번 출구 앞 가로등이 꺼져 있어요"
    phone.locator("#chat-text").fill(text)
    started = time.monotonic()
    phone.keyboard.press("Enter")
    offer = phone.locator('[data-chat-log][aria-live="polite"] .chat-notice a')
    offer.wait_for(timeout=3_000)
    assert time.monotonic() - started < 3
    link = urlsplit(offer.get_attribute("href"))
    assert link.path == "/ko/complaints/report/"
    assert parse_qs(link.query) == {"description": [text]}
    assert_fits_a_phone(phone)
    assert axe_violations(phone) == []

    offer.click()
    phone.wait_for_url("**/ko/complaints/report/**")
    assert phone.locator("#id_description").input_value() == text


def wait_for_the_answer(phone) -> None:
    """The message was stored (no longer pending) and the bot's answer or an error came back."""
    phone.wait_for_function(
        """() => !document.querySelector(".chat-message.is-pending")
            && document.querySelector("[data-chat-status]").textContent === ''""",
        timeout=60_000,
    )


def test_chat_sends_a_photo_and_the_location_from_the_phone(stack, phone):
    phone.context.grant_permissions(["geolocation"], origin=stack.url)
    phone.context.set_geolocation(CITY_HALL)
    phone.goto(stack.url + "/ko/", wait_until="networkidle")
    phone.locator("[data-chat-open]").click()
    phone.locator("[data-chat-status]:empty").wait_for(state="attached", timeout=10_000)
    said = phone.locator("[data-chat-log] .chat-message--resident")

    picture = BytesIO()
    Image.new("RGB", (640, 480), (200, 30, 30)).save(picture, "JPEG")
    phone.locator("[data-chat-photo]").set_input_files(
        {"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": picture.getvalue()}
    )
    said.nth(0).wait_for(timeout=20_000)
    wait_for_the_answer(phone)
    phone.locator("[data-chat-locate]").click()
    said.nth(1).wait_for(timeout=20_000)
    wait_for_the_answer(phone)

    assert phone.locator(".chat-notice").count() == 0, phone.locator(".chat-notice").all_inner_texts()
    assert said.nth(1).inner_text().strip().endswith(("📍 My location", "📍 내 위치"))
    signed = phone.evaluate("localStorage.getItem('portal-chat-conversation')")
    code = RESIDENT_LINES.format(signed=signed, client=settings.CHATBOT_API_CLIENT_NAME)
    stored = json.loads(stack.manage("shell", "-c", code).stdout.strip().splitlines()[-1])
    photo_line, location_line = stored["lines"]
    assert photo_line["payload"] == "/send_photos" and len(photo_line["metadata"]["photos"]) == 1
    assert photo_line["metadata"]["photos"][0] in stored["photos"]  # owned by the chatbot's API client
    assert location_line == {"payload": "/share_location", "metadata": {"location": CITY_HALL}}


CASE_NUMBER = re.compile(r"\d{4}-\d{6}")
# Where the case the widget filed ended up, read as another process of the stack would.
FILED_CASE = """
import json
from apps.complaints.models import Complaint
case = Complaint.objects.get(number={number!r})
print(json.dumps({{"department": case.department.code, "category": case.category.code, "channel": case.channel,
                  "photos": case.photos.count(), "language": case.language, "address": case.address}}))
"""


def test_a_resident_files_a_complaint_with_a_photo_through_the_chat_in_korean(stack, phone):
    phone.goto(stack.url + "/ko/", wait_until="networkidle")
    phone.locator("[data-chat-open]").click()
    phone.locator("[data-chat-status]:empty").wait_for(state="attached", timeout=10_000)
    bot = phone.locator("[data-chat-log] .chat-message--bot .chat-message__text")

    def say(text: str) -> str:
        replies = bot.count()
        phone.locator("#chat-text").fill(text)
        phone.keyboard.press("Enter")
        wait_for_the_answer(phone)
        assert bot.count() > replies, f"no answer to {text!r}"
        return "\n".join(bot.nth(index).inner_text() for index in range(replies, bot.count()))

    asked = say("의정부역 앞 가로등이 밤새 꺼져 있어요")
    assert "어디" in asked or "위치" in asked, asked
    asked = say("의정부1동 행복로 의정부역 동쪽 출구 앞")
    asked = say("꺼져 있음")  # the streetlight category's own question: is it off or flickering
    assert "사진" in asked, asked

    replies = bot.count()
    picture = BytesIO()
    Image.new("RGB", (800, 600), (20, 20, 60)).save(picture, "JPEG")
    phone.locator("[data-chat-photo]").set_input_files(
        {"name": "streetlight.jpg", "mimeType": "image/jpeg", "buffer": picture.getvalue()}
    )
    # A function, not an expression: Playwright evaluates an expression with eval(), which the CSP forbids.
    phone.wait_for_function(
        "replies => document.querySelectorAll('.chat-message--bot').length > replies", arg=replies, timeout=60_000
    )
    wait_for_the_answer(phone)

    asked = "\n".join(bot.nth(index).inner_text() for index in range(replies, bot.count()))
    assert "연락" in asked, phone.locator("[data-chat-log]").inner_text()
    summary = say("아니요")  # no contact details: filed anonymously
    assert "가로등" in summary and "행복로" in summary, summary
    filed = say("네")
    number = CASE_NUMBER.search(filed)
    assert number, filed
    assert "/ko/complaints/track/" in filed

    case = json.loads(stack.manage("shell", "-c", FILED_CASE.format(number=number.group())).stdout.splitlines()[-1])
    assert case == {
        "department": "road-lighting",
        "category": "streetlight",
        "channel": "chat",
        "photos": 1,
        "language": "ko",
        "address": case["address"],
    }
    assert "행복로" in case["address"]
    assert_fits_a_phone(phone)
    assert axe_violations(phone) == []

    # The tracking link in the answer is a link, and leads to the case.
    tracking = phone.locator("[data-chat-log] .chat-message--bot a.chat-message__link").last
    assert f"/ko/complaints/track/{number.group()}/?token=" in tracking.get_attribute("href")
    tracking.click()
    phone.wait_for_url(f"**/ko/complaints/track/{number.group()}/?token=*")
    assert phone.locator("[data-case-status]").get_attribute("data-case-status") == "received"
