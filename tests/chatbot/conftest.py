"""The bot's real action server (rasa-sdk in chatbot/.venv) against a live portal test server.

Nothing of the portal's API is mocked: the action server calls live_server over HTTP with a key
registered in the test database, exactly as it calls the portal under `make run`. Tests send it
what Rasa sends (the webhook's {"next_action", "tracker", "domain"}) and look at the events and
responses it answers, and at the portal's database."""

import contextlib
import os
import subprocess
import time
from dataclasses import dataclass
from typing import Any

import pytest
import requests
import yaml
from django.conf import settings
from django.core.cache import cache

from apps.common.tokens import token_hash
from apps.complaints.models import ApiClient
from tests.stack_runner import free_port

CHATBOT_DIR = settings.BASE_DIR / "chatbot"
BOT_PYTHON = CHATBOT_DIR / ".venv" / "bin" / "python"
BOT_KEY = "live-test-chatbot-key"
PUBLIC_URL = "https://portal.example.kr"
START_TIMEOUT = 60


@pytest.fixture(scope="session")
def action_server(live_server, tmp_path_factory) -> str:
    """The action server, started once, calling the live portal; its address."""
    if not BOT_PYTHON.exists():
        pytest.skip("chatbot/.venv is missing: run chatbot/scripts/setup.sh")
    port = free_port()
    log = tmp_path_factory.mktemp("actions") / "actions.log"
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "DJANGO"))}
    env.update(
        PORTAL_URL=live_server.url,
        CHATBOT_API_KEY=BOT_KEY,
        PORTAL_PUBLIC_URL=PUBLIC_URL,
        PORTAL_CACHE_SECONDS="0",  # each test edits its own reference data
        SANIC_HOST="127.0.0.1",
        RASA_TELEMETRY_ENABLED="false",
    )
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(BOT_PYTHON), "-m", "rasa_sdk", "--actions", "actions", "--port", str(port)],
            cwd=CHATBOT_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline and process.poll() is None:
        with contextlib.suppress(requests.RequestException):
            if requests.get(f"{url}/health", timeout=2).status_code == 200:
                break
        time.sleep(0.3)
    else:
        process.kill()
        pytest.fail(f"the action server did not start; log:\n{log.read_text()[-3000:]}")
    yield url
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    if os.environ.get("SHOW_ACTION_LOG"):
        print(log.read_text())


@pytest.fixture(autouse=True)
def _own_cache(settings):
    """The phone-digit limit counts in a cache of this test's own (the live server shares the process)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


@pytest.fixture
def bot_client(city, settings) -> ApiClient:
    """The chatbot's API client, as `manage.py prepare` registers it from CHATBOT_API_KEY."""
    return ApiClient.objects.create(
        municipality=city,
        name=settings.CHATBOT_API_CLIENT_NAME,
        key_hash=token_hash(BOT_KEY),
        consent_purpose="처리 결과 안내",
        can_look_up_by_phone=True,
    )


DOMAIN = yaml.safe_load((CHATBOT_DIR / "domain.yml").read_text(encoding="utf-8"))


def user_message(
    text: str,
    intent: str = "nlu_fallback",
    confidence: float = 1.0,
    ranking: list[tuple[str, float]] | None = None,
    entities: list[dict] | None = None,
    metadata: dict | None = None,
) -> dict[str, Any]:
    """A user message as Rasa parses it (latest_message and the "user" event carry the same data)."""
    ranking = ranking or [(intent, confidence)]
    return {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "intent_ranking": [{"name": name, "confidence": score} for name, score in ranking],
        "entities": entities or [],
        "metadata": metadata or {},
    }


@dataclass
class Result:
    events: list[dict]
    responses: list[dict]

    def slots(self) -> dict[str, Any]:
        """The slots the action set, the last value of each."""
        return {event["name"]: event["value"] for event in self.events if event["event"] == "slot"}

    def response_names(self) -> list[str]:
        return [response.get("response") for response in self.responses]

    def response(self, name: str) -> dict:
        return next(response for response in self.responses if response.get("response") == name)


class Bot:
    """Runs one action the way Rasa asks the action server to."""

    def __init__(self, url: str):
        self.url = url

    def run(
        self,
        action: str,
        message: dict | None = None,
        *,
        slots: dict[str, Any] | None = None,
        language: str = "ko",
        active_loop: str | None = None,
        history: list[dict] | None = None,
    ) -> Result:
        message = message or user_message("")
        events = [*(history or []), {"event": "user", "text": message["text"], "parse_data": message}]
        tracker = {
            "sender_id": "live-test",
            "slots": {"language": language, "requested_slot": None, **(slots or {})},
            "latest_message": message,
            "events": events,
            "paused": False,
            "followup_action": None,
            "active_loop": {"name": active_loop} if active_loop else {},
            "latest_action_name": "action_listen",
        }
        body = {
            "next_action": action,
            "sender_id": "live-test",
            "tracker": tracker,
            "domain": DOMAIN,
            "version": "3.6.2",
        }
        response = requests.post(f"{self.url}/webhook", json=body, timeout=30)
        assert response.status_code == 200, response.text
        answer = response.json()
        return Result(events=answer["events"], responses=answer["responses"])


@pytest.fixture
def bot(action_server, bot_client) -> Bot:
    return Bot(action_server)
