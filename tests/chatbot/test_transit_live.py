"""The bot answers "when is the next bus?" from /api/v1/mobility/stops/, by the real action server
(conftest.py) against a live portal with the illustrative seed timetable: the stop's routes with
their next departures and the day's last. With no bus provider configured, the illustrative feed's
bus stops answer with demo arrivals worked out from its timetable, and the answer says so."""

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.chatbot.conftest import PUBLIC_URL, user_message

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "channels"])


@pytest.fixture
def timetable(city):
    call_command("import_gtfs", str(settings.BASE_DIR / "data/transit/uijeongbu-illustrative"), verbosity=0)


def test_the_next_bus_at_a_named_stop_from_the_timetable(bot, timetable):
    answer = bot.run("action_answer_bus", user_message("의정부시청 정류장에 3번 버스 언제 와요?", "ask_bus"))
    arrivals = answer.response("utter_bus_arrivals")
    demo = "예시 도착 정보 (예시 시간표로 계산, 실제 버스 아님)"
    assert arrivals["arrivals"].startswith(f"의정부시청 (27105) · {demo}\n- 3번: ")
    assert "막차" in arrivals["arrivals"]
    assert arrivals["url"] == f"{PUBLIC_URL}/ko/mobility/stops/233000301/"

    english = bot.run("action_answer_bus", user_message("next bus at city hall", "ask_bus"), language="en")
    english_arrivals = english.response("utter_bus_arrivals")["arrivals"]
    assert "demo arrivals (worked out from the illustrative timetable" in english_arrivals
