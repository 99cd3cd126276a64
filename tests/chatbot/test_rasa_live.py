"""The real Rasa server (chatbot/scripts/serve.sh, the trained model in chatbot/models) with the real
action server against a live portal: its token, its tracker store surviving a restart, and trail
questions answered end to end.

Rasa takes 20-80 s to load its model, so the server is started once for the module and restarted
once (the restart test)."""

import contextlib
import os
import re
import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import requests
from django.core.management import call_command
from django.db import connection

from apps.chat import tracker_store
from apps.places.services import closure_create
from apps.trails.models import TrailPage
from tests.stack_runner import free_port

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "channels"])

CHATBOT_DIR = Path(__file__).resolve().parents[2] / "chatbot"
TOKEN = "live-test-rasa-token"
START_TIMEOUT = 240
LOCATION = "의정부역 2번 출구 앞 도로"


def database_url() -> str | None:
    """The test database for Rasa's tracker store on PostgreSQL; None on SQLite (Rasa's own file)."""
    if connection.vendor != "postgresql":
        return None
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Rasa:
    """chatbot/scripts/serve.sh as honcho runs it, on ports of its own."""

    def __init__(self, var_dir: Path, action_url: str):
        self.var_dir = var_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "DJANGO"))}
        env.pop("DATABASE_URL", None)
        env.update(
            RASA_PORT=str(self.port),
            ACTION_ENDPOINT_URL=f"{action_url}/webhook",
            RASA_AUTH_TOKEN=TOKEN,
            VAR_DIR=str(var_dir),
        )
        if url := database_url():
            env["DATABASE_URL"] = url
        self.env = env
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        log = self.var_dir / f"rasa-{self.starts}.log"
        with log.open("w") as output:
            self.process = subprocess.Popen(
                [str(CHATBOT_DIR / "scripts" / "serve.sh")],
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline and self.process.poll() is None:
            with contextlib.suppress(requests.RequestException):
                status = requests.get(f"{self.url}/status", params={"token": TOKEN}, timeout=2)
                if status.status_code == 200 and status.json().get("model_file"):
                    return
            time.sleep(1)
        self.kill()
        pytest.fail(f"Rasa did not start; log:\n{log.read_text()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL, as the OOM killer or a crash would: nothing is flushed on the way out."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def say(self, sender: str, message: str, language: str = "ko") -> str:
        response = requests.post(
            f"{self.url}/webhooks/rest/webhook",
            params={"token": TOKEN},
            json={"sender": sender, "message": message, "metadata": {"language": language}},
            timeout=120,
        )
        assert response.status_code == 200, response.text
        return "\n".join(reply.get("text", "") for reply in response.json())

    def tracker(self, sender: str) -> dict:
        response = requests.get(f"{self.url}/conversations/{sender}/tracker", params={"token": TOKEN}, timeout=30)
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture(scope="module")
def rasa(action_server, tmp_path_factory):
    if not any((CHATBOT_DIR / "models").glob("*.tar.gz")):
        pytest.skip("no trained model: run chatbot/scripts/train.sh")
    server = Rasa(tmp_path_factory.mktemp("rasa"), action_server)
    server.start()
    yield server
    server.kill()


def test_rasa_refuses_every_request_without_its_token(rasa):
    """Its API (trackers with what residents said, the model) and the REST channel alike."""
    sender = f"token-{uuid.uuid4().hex[:8]}"
    requests_without_token = [
        ("POST", "/webhooks/rest/webhook", {"sender": sender, "message": "안녕하세요"}),
        ("POST", "/model/parse", {"text": "가로등이 꺼졌어요"}),
        ("GET", "/status", None),
        ("GET", f"/conversations/{sender}/tracker", None),
        ("DELETE", "/model", None),
    ]
    for method, path, body in requests_without_token:
        for params in ({}, {"token": "wrong"}):
            response = requests.request(method, f"{rasa.url}{path}", params=params, json=body, timeout=30)
            assert response.status_code == 401, (method, path, params, response.status_code)
    # The model is still there, and with the token the portal's calls work.
    parsed = requests.post(f"{rasa.url}/model/parse", params={"token": TOKEN}, json={"text": "가로등"}, timeout=30)
    assert parsed.status_code == 200 and parsed.json()["intent_ranking"]
    assert rasa.say(sender, "안녕하세요")


def test_a_restart_mid_report_continues_the_report(rasa, city, bot_client, settings):
    sender = str(uuid.uuid4())
    rasa.say(sender, "/report_pothole")
    asked = rasa.say(sender, "도로 한가운데가 깊게 패여서 차들이 피해 가요")
    assert "어디" in asked or "위치" in asked, asked  # the location is asked next

    rasa.kill()
    rasa.start()

    # The answer is taken as the location the form asked for, not read as a new intent.
    answer = rasa.say(sender, LOCATION)
    tracker = rasa.tracker(sender)
    assert tracker["active_loop"].get("name") == "complaint_form", (answer, tracker["active_loop"])
    assert tracker["slots"]["complaint_category"] == "pothole"
    assert tracker["slots"]["complaint_description"] == "도로 한가운데가 깊게 패여서 차들이 피해 가요"
    assert tracker["slots"]["complaint_location"]["address"] == LOCATION
    assert tracker["slots"]["requested_slot"] == "complaint_photos", answer

    # The portal reads the same store (the report link it offers when the bot is down).
    settings.VAR_DIR = rasa.var_dir
    slots = tracker_store.conversation_slots(sender)
    assert slots["complaint_category"] == "pothole" and slots["complaint_location"]["address"] == LOCATION


def test_a_korean_report_stays_korean_until_the_resident_asks_for_english(rasa, city, bot_client):
    sender = str(uuid.uuid4())
    rasa.say(sender, "/report_pothole")
    rasa.say(sender, "도로 한가운데가 깊게 패여서 차들이 피해 가요")
    # An answer written in English is an answer, not a request: the next question stays Korean.
    asked = rasa.say(sender, "In front of Uijeongbu Station exit 1")
    assert rasa.tracker(sender)["slots"]["language"] == "ko" and re.search("[가-힣]", asked), asked

    replies = requests.post(
        f"{rasa.url}/webhooks/rest/webhook",
        params={"token": TOKEN},
        json={"sender": sender, "message": "English please", "metadata": {"language": "ko"}},
        timeout=120,
    ).json()
    tracker = rasa.tracker(sender)
    assert tracker["slots"]["language"] == "en"
    assert {"language": "en"} in [reply.get("custom") for reply in replies]  # for the portal
    texts = " ".join(reply.get("text", "") for reply in replies)
    # The form asks its question again, in English, and the report goes on.
    assert tracker["active_loop"].get("name") == "complaint_form" and not re.search("[가-힣]", texts), texts
    assert tracker["slots"]["requested_slot"] == "complaint_photos"


def test_trail_questions_in_korean_and_english_are_answered_from_the_trails_api(rasa, demo_site, bot_client):
    """From the resident's words through the trained model and the action server to /api/v1/trails/."""
    call_command("load_demo_trails", verbosity=0)
    meditation = TrailPage.objects.get(course_number=1, locale__language_code="ko")
    closure_create(page=meditation, reason_ko="산불 조심 기간 입산 통제", reason_en="Forest fire season")

    closed = rasa.say(str(uuid.uuid4()), "명상의길 지금 걸을 수 있어?")
    assert "아니요, 명상의길 지금 통제 중이에요." in closed and "산불 조심 기간 입산 통제" in closed
    for_time = rasa.say(str(uuid.uuid4()), "which trail is good for an hour and a half?", language="en")
    assert "Ssangdungi-gil (Twin Trail): about 1 h 25 min" in for_time and "Myeongsang-gil" not in for_time
