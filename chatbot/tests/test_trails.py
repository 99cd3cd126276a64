"""소풍길 answers from the portal's open dataset. The portal here replays answers recorded from the
real one (package_show and datastore_search of the demo dataset, fixtures/sopung_gil_portal.json),
so the action is tested against the response format the portal gives."""

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from actions import portal as portal_module
from actions.trails import (
    ActionAnswerTrail,
    course_asked,
    courses_at,
    courses_from_records,
    unknown_course_named,
    walking_time,
)
from tests.recorded_portal import PUBLIC_URL, RecordedHandler, serving
from tests.recorded_portal import ask as ask_action

RECORDED = json.loads((Path(__file__).parent / "fixtures" / "sopung_gil_portal.json").read_text(encoding="utf-8"))
RECORDS = RECORDED["datastore_search"]["result"]["records"]
COURSES = courses_from_records(RECORDS)


class RecordedPortal(RecordedHandler):
    published = True

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        address = urlsplit(self.path)
        query = parse_qs(address.query)
        if address.path == "/api/3/action/package_show" and query.get("id") == ["sopung-gil-courses"]:
            found = self.published
            body = RECORDED["package_show"]
        elif address.path == "/api/3/action/datastore_search":
            table = next(r for r in RECORDED["package_show"]["result"]["resources"] if r["datastore_active"])
            found = self.published and query.get("resource_id") == [table["id"]]
            body = RECORDED["datastore_search"]
        else:
            found, body = False, {}
        if not found:
            body = {"success": False, "error": {"__type": "Not Found Error", "message": "Not found"}}
        self.answer(200 if found else 404, body)


@pytest.fixture
def portal(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PORTAL_CACHE_SECONDS", "0")
    with serving(RecordedPortal, monkeypatch):
        yield RecordedPortal
    RecordedPortal.published = True


def ask(text: str, language: str = "ko") -> list[dict]:
    return ask_action(ActionAnswerTrail, text, intent="ask_trail", language=language)


def test_the_recorded_table_reads_as_nine_courses() -> None:
    assert [course.number for course in COURSES] == list(range(1, 10))
    first = COURSES[0]
    assert (first.name_ko, first.name_en, first.start, first.end, first.distance_km) == (
        "명상의길",
        "Meditation Trail",
        "망월사역",
        "의정부시청",
        5.9,
    )
    assert first.visitors == (2022, 283029)
    assert COURSES[8].visitors is None  # 맑은물길 has no counts yet


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1코스 몇 km예요", 1),
        ("소풍길1코스 몇시간", 1),
        ("소풍길 3번 코스 알려줘", 3),
        ("명상의 길 얼마나 걸려요", 1),
        ("명상길 출발점", 1),
        ("하늘 전망대길 몇 시간", 2),
        ("부용 코스 어디서 시작해요", 5),
        ("how long is the Meditation Trail", 1),
        ("where does the Clear Water Trail start", 9),
        ("tell me about course 8", 8),
        ("소풍길 중에 제일 짧은 코스가 뭐예요", 4),
        ("what's the longest course", 6),
    ],
)
def test_a_course_is_found_by_number_name_or_length(text: str, number: int) -> None:
    assert course_asked(text, COURSES).number == number


@pytest.mark.parametrize(
    "text",
    [
        "소풍길 코스 알려주세요",
        "부용천 산책로 걷기 좋은 코스",
        "행복로 근처 소풍길",
        "how many Sopung-gil courses are there",
    ],
)
def test_words_that_name_no_course_ask_for_the_list(text: str) -> None:
    assert course_asked(text, COURSES) is None
    assert unknown_course_named(text, COURSES) is None


@pytest.mark.parametrize(("text", "name"), [("회룡 코스 몇 km예요", "회룡 코스"), ("12코스 알려줘", "12코스")])
def test_a_course_the_data_does_not_have_is_named_back(text: str, name: str) -> None:
    assert course_asked(text, COURSES) is None
    assert unknown_course_named(text, COURSES) == name


def test_places_find_the_courses_that_start_or_end_there() -> None:
    assert [course.number for course in courses_at("망월사역에서 시작하는 소풍길 있나요", COURSES)] == [1, 6, 8]


def test_walking_times_are_rounded_to_ten_minutes() -> None:
    assert walking_time(5.9, "ko") == "2시간"
    assert walking_time(18.4, "en") == "6 h 10 min"
    assert walking_time(0.2, "ko") == "10분"


def test_the_list_is_answered_from_the_portal_with_a_link_to_the_dataset(portal) -> None:
    [answer] = ask("소풍길 코스 알려주세요")
    assert answer["response"] == "utter_trail_courses"
    assert (answer["count"], answer["total"]) == (9, "78.1")
    assert answer["courses"].splitlines()[5] == "• 6코스 장재울길: 18.4 km, 약 6시간 10분, 사기막고개 → 망월사역"
    assert answer["url"] == f"{PUBLIC_URL}/ko/open-data/datasets/sopung-gil-courses/"


def test_one_course_is_answered_in_english(portal) -> None:
    [answer] = ask("how long does the Twin Trail take", "en")
    assert answer["response"] == "utter_trail_course"
    assert (answer["name"], answer["kind"], answer["distance"], answer["time"]) == (
        "Twin Trail (쌍둥이길)",
        "short section",
        "7.2",
        "2 h 20 min",
    )
    assert answer["visitors"] == " 14,656 visitors were counted on it in 2021."
    assert answer["url"] == f"{PUBLIC_URL}/en/open-data/datasets/sopung-gil-courses/"


def test_an_unknown_course_is_said_before_the_list(portal) -> None:
    assert [message["response"] for message in ask("회룡 코스 알려줘")] == [
        "utter_trail_not_found",
        "utter_trail_courses",
    ]


def test_a_dataset_the_portal_does_not_publish_links_the_trails_page(portal) -> None:
    portal.published = False
    [answer] = ask("소풍길 코스", "en")
    assert (answer["response"], answer["url"]) == ("utter_trail_data_missing", f"{PUBLIC_URL}/en/trails/")


def test_a_portal_that_is_down_is_said_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_URL", "http://127.0.0.1:9")
    monkeypatch.setattr(portal_module, "_cache", {})
    assert [message["response"] for message in ask("소풍길")] == ["utter_portal_unreachable"]
