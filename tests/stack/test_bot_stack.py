"""The bot's flows on the running product: Rasa, its action server and the portal, wired by bin/run
alone (the key from .env, the portal's address from the ports). Buttons' payloads drive the
conversation, so the trained model's guesses do not decide the outcome."""

import re
import uuid

import pytest
import requests

pytestmark = pytest.mark.stack
CASE_NUMBER = re.compile(r"\d{4}-\d{6}")
TRACKING_LINK = re.compile(r"/(ko|en)/complaints/track/(\d{4}-\d{6})/\?token=([\w-]+)")


def say(stack, sender: str, message: str, language: str = "ko") -> str:
    """One message to Rasa's REST channel, as the portal relays it; the bot's replies as one text."""
    response = requests.post(
        f"http://127.0.0.1:{stack.env['RASA_PORT']}/webhooks/rest/webhook",
        params={"token": stack.rasa_token},
        json={"sender": sender, "message": message, "metadata": {"language": language}},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    return "\n".join(reply.get("text", "") for reply in response.json())


def test_a_report_is_filed_through_the_bot_and_its_status_checked(stack):
    sender = f"stack-report-{uuid.uuid4().hex[:8]}"
    say(stack, sender, "/report_pothole")
    say(stack, sender, "도로 한가운데가 깊게 패여서 차들이 피해 가요")
    say(stack, sender, "의정부역 2번 출구 앞 도로")
    say(stack, sender, "/skip")  # no photo
    summary = say(stack, sender, "/deny")  # anonymous
    assert "의정부역 2번 출구 앞 도로" in summary, summary
    filed = say(stack, sender, "/affirm")
    link = TRACKING_LINK.search(filed)
    assert link, filed
    _, number, token = link.groups()

    status = requests.get(f"{stack.url}/api/v1/complaints/{number}/", params={"token": token}, timeout=10).json()
    assert status["category"] == "pothole" and status["department"] == "road-maintenance"

    say(stack, sender, "/check_status")
    answer = say(stack, sender, number)  # filed in this conversation: no proof asked
    assert number in answer and "접수" in answer, answer


def test_talking_to_a_person_files_a_case_for_the_civil_service_team(stack):
    sender = f"stack-handoff-{uuid.uuid4().hex[:8]}"
    say(stack, sender, "hello there", "en")
    answer = say(stack, sender, "/human_handoff", "en")
    link = TRACKING_LINK.search(answer)
    assert link and link.group(1) == "en", answer
    _, number, token = link.groups()
    status = requests.get(f"{stack.url}/api/v1/complaints/{number}/", params={"token": token}, timeout=10).json()
    assert (status["category"], status["department"]) == ("other", "civil-affairs")
