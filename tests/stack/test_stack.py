import asyncio
import json
import os
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
import websockets

from tests.stack.publish import publish_alert_code

pytestmark = pytest.mark.stack
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def test_every_service_reports_ready(stack):
    body = requests.get(f"{stack.url}/readyz", timeout=10).json()
    assert body["status"] == "ok", body
    assert set(body["checks"]) == {"database", "broker", "worker", "bot"}
    expected_vendor = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert body["checks"]["database"]["vendor"] == expected_vendor
    expected_transport = "redis" if os.environ.get("REDIS_URL") else "filesystem"
    assert expected_transport in body["checks"]["broker"]["transport"].lower()
    assert body["checks"]["bot"]["model"]


def test_pages_and_their_static_files_are_served(stack):
    for language, text in (("ko", "민원 신고"), ("en", "Sopung-gil")):
        page = requests.get(f"{stack.url}/{language}/", timeout=10)
        assert page.status_code == 200 and text in page.text
    stylesheet = re.search(r'href="(/static/css/portal\.[0-9a-f]+\.css)"', page.text).group(1)
    response = requests.get(stack.url + stylesheet, timeout=10)
    assert response.status_code == 200
    assert "max-age" in response.headers["Cache-Control"]


def test_a_missing_page_is_a_friendly_404_from_the_real_server(stack):
    response = requests.get(f"{stack.url}/ko/없는-페이지/", timeout=10)
    assert response.status_code == 404
    assert "페이지를 찾을 수 없습니다" in response.text


def test_an_alert_published_by_another_process_reaches_an_open_socket(stack):
    async def scenario() -> dict:
        address = stack.url.replace("http://", "ws://") + "/ws/alerts/?lang=en"
        async with websockets.connect(address, origin=stack.url) as socket:
            await asyncio.to_thread(stack.manage, "shell", "-c", publish_alert_code("회룡천 산책로 통제"))
            return json.loads(await asyncio.wait_for(socket.recv(), timeout=20))

    # Its own thread and event loop: other tests (Playwright, pytest-asyncio) may own this thread's loop.
    with ThreadPoolExecutor(max_workers=1) as pool:
        message = pool.submit(asyncio.run, scenario()).result(timeout=60)
    assert message["type"] == "alerts"
    assert "회룡천 산책로 통제" in message["html"]


@pytest.mark.parametrize(("text", "korean"), [("안녕하세요", True), ("hello there", False)])
def test_the_bot_greets_in_the_language_it_was_greeted_in(stack, text, korean):
    response = requests.post(
        f"http://127.0.0.1:{stack.env['RASA_PORT']}/webhooks/rest/webhook",
        params={"token": stack.rasa_token},
        json={"sender": f"stack-test-{korean}", "message": text},
        timeout=30,
    )
    replies = " ".join(message.get("text", "") for message in response.json())
    assert replies, response.text
    assert bool(HANGUL.search(replies)) is korean, replies
