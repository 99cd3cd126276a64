"""The bot answers 소풍길 questions from the city's open dataset, read through the portal's CKAN
API, and the time and closure questions from /api/v1/trails/, by the real action server
(conftest.py)."""

import pytest
from django.core.management import call_command

from apps.opendata.models import Dataset
from apps.places.services import closure_create
from apps.trails.models import TrailPage
from tests.chatbot.conftest import PUBLIC_URL, user_message

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "channels"])


@pytest.fixture
def courses(city):
    call_command("load_demo_datasets", verbosity=0)


def test_the_course_list_comes_from_the_dataset_with_lengths_and_times(bot, courses):
    result = bot.run("action_answer_trail", user_message("소풍길 코스 알려주세요", "ask_trail"))
    [answer] = result.responses
    assert answer["response"] == "utter_trail_courses"
    assert (answer["count"], answer["total"]) == (9, "78.1")
    lines = answer["courses"].splitlines()
    assert len(lines) == 9
    assert lines[0] == "• 1코스 명상의길: 5.9 km, 약 2시간, 망월사역 → 의정부시청"
    assert answer["url"] == f"{PUBLIC_URL}/ko/open-data/datasets/sopung-gil-courses/"


@pytest.mark.parametrize(
    ("text", "language", "number"),
    [
        ("소풍길 1코스 몇시간 걸려요", "ko", 1),
        ("장재울길 길이가 어떻게 돼요", "ko", 6),
        ("맑은 물 길은 어디서 시작해요", "ko", 9),
        ("how long is the Happiness Trail", "en", 7),
        ("tell me about course 3", "en", 3),
        ("which Sopung-gil course is the shortest", "en", 4),
    ],
)
def test_a_named_course_is_told_in_detail(bot, courses, text, language, number):
    result = bot.run("action_answer_trail", user_message(text, "ask_trail"), language=language)
    [answer] = result.responses
    assert answer["response"] == "utter_trail_course"
    assert answer["number"] == number
    assert answer["url"] == f"{PUBLIC_URL}/{language}/open-data/datasets/sopung-gil-courses/"


def test_one_course_in_english_and_korean(bot, courses):
    english = bot.run(
        "action_answer_trail", user_message("how long is the Jangjaeul Trail", "ask_trail"), language="en"
    )
    course = english.response("utter_trail_course")
    assert (course["name"], course["kind"], course["start"], course["end"]) == (
        "Jangjaeul Trail (장재울길)",
        "long section",
        "사기막고개",
        "망월사역",
    )
    assert (course["distance"], course["time"]) == ("18.4", "6 h 10 min")
    assert course["visitors"] == " 65,388 visitors were counted on it in 2022."

    korean = bot.run("action_answer_trail", user_message("쌍둥이길 몇 km예요", "ask_trail"))
    course = korean.response("utter_trail_course")
    assert (course["name"], course["kind"], course["distance"], course["time"]) == (
        "쌍둥이길",
        "소구간",
        "7.2",
        "2시간 20분",
    )
    assert course["visitors"] == " 2021년에 14,656명이 걸었어요."  # no count for 2022 in the data


def test_courses_from_a_place_and_a_course_that_does_not_exist(bot, courses):
    at = bot.run("action_answer_trail", user_message("녹양역에서 출발하는 코스 있어요?", "ask_trail"))
    assert at.response_names() == ["utter_trail_courses_at"]
    assert (
        at.response("utter_trail_courses_at")["count"] == 3
    )  # 하늘전망대길 ends there; 불로장생길 starts; 쌍둥이길 ends

    missing = bot.run("action_answer_trail", user_message("회룡 코스 몇 km예요?", "ask_trail"))
    assert missing.response_names() == ["utter_trail_not_found", "utter_trail_courses"]
    assert missing.response("utter_trail_not_found")["name"] == "회룡 코스"


def test_without_the_dataset_the_bot_links_the_trails_page(bot, courses):
    Dataset.objects.filter(slug="sopung-gil-courses").update(is_published=False)
    for language in ("ko", "en"):
        [answer] = bot.run("action_answer_trail", user_message("소풍길", "ask_trail"), language=language).responses
        assert (answer["response"], answer["url"]) == ("utter_trail_data_missing", f"{PUBLIC_URL}/{language}/trails/")


def test_time_and_closure_questions_are_answered_from_the_trails_api(bot, demo_site):
    call_command("load_demo_trails", verbosity=0)
    meditation = TrailPage.objects.get(course_number=1, locale__language_code="ko")
    closure_create(page=meditation, reason_ko="산불 조심 기간 입산 통제", reason_en="Forest fire season")

    [closed] = bot.run("action_answer_trail", user_message("명상의길 지금 걸을 수 있어?", "ask_trail")).responses
    assert (closed["response"], closed["name"]) == ("utter_trail_closed", "명상의길")
    assert closed["closures"] == "• 통제: 산불 조심 기간 입산 통제. 해제 시까지"
    assert closed["url"] == f"{PUBLIC_URL}/ko/trails/myeongsang-gil/"

    english = bot.run(
        "action_answer_trail", user_message("which trail is good for an hour and a half?", "ask_trail"), language="en"
    )
    [answer] = english.responses
    assert answer["response"] == "utter_trail_for_time"
    # Every course the seeded tracks walk in 90 minutes or less, but the closed one.
    assert [line.split(":")[0] for line in answer["trails"].splitlines()] == [
        "• Ssangdungi-gil (Twin Trail)",
        "• Buyong-gil (Buyong Trail)",
        "• Malgeunmul-gil (Clear Water Trail)",
    ]
