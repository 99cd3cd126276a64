"""The bot answers "is there space at …?" from /api/v1/mobility/car-parks/, by the real action
server (conftest.py): the named car parks with their free spaces now, live or unknown as the
portal judges them, in Korean and English."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.mobility.models import CarPark, OccupancyReading
from apps.mobility.services import occupancy_reading_apply
from tests.chatbot.conftest import PUBLIC_URL, user_message

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "channels"])


@pytest.fixture
def car_parks(city):
    call_command("load_demo_car_parks", verbosity=0)
    station_east = CarPark.objects.select_related("place").get(stable_id="366-001-1")
    occupancy_reading_apply(
        station_east,
        free_spaces=42,
        read_at=timezone.now() - timedelta(minutes=2),
        source=OccupancyReading.Source.SENSOR,
        message_id="bot-test",
    )
    return station_east


def test_a_named_car_park_with_its_free_spaces_now(bot, car_parks):
    answer = bot.run("action_answer_parking", user_message("의정부역 동부 공영주차장 빈자리 있어요?", "ask_parking"))
    named = answer.response("utter_parking_named")
    assert named["car_parks"].startswith("- 의정부역 동부 공영주차장: 42면 남음 (")
    assert named["url"] == f"{PUBLIC_URL}/ko/mobility/parking/{car_parks.place.code}/"

    # Both car parks at the station; the one that sends no counts is not given a number.
    english = bot.run(
        "action_answer_parking", user_message("is there space at Uijeongbu Station?", "ask_parking"), language="en"
    )
    lines = english.response("utter_parking_named")["car_parks"].splitlines()
    assert len(lines) == 2 and "42 spaces free" in lines[0]
    assert "서부" in lines[1] and ("unknown" in lines[1] or "closed" in lines[1])


def test_with_no_place_named_the_car_parks_with_most_space(bot, car_parks):
    answer = bot.run("action_answer_parking", user_message("주차할 곳 있어요?", "ask_parking"))
    assert "의정부역 동부 공영주차장: 42면 남음" in answer.response("utter_parking_most_free")["car_parks"]
