"""소풍길 answers from the portal's live trails API: a trail for the time one has, and whether a
trail is open. The portal here replays /api/v1/trails/ as recorded from the real one on the demo
data (fixtures/trails_api_portal.json: the nine seeded courses, 명상의길 with a detour at marker 3,
하늘전망대길 closed until 15 May 2030 18:00; markers' texts left out), so the actions are tested
against the format the portal gives."""

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from actions.questions import ActionAnswerWalkway
from actions.trails import ActionAnswerTrail
from actions.trails_live import is_open_question, minutes_asked
from tests.recorded_portal import PUBLIC_URL, RecordedHandler, serving
from tests.recorded_portal import ask as ask_action

RECORDED = json.loads((Path(__file__).parent / "fixtures" / "trails_api_portal.json").read_text(encoding="utf-8"))


class RecordedTrailsApi(RecordedHandler):
    requests: list[dict] = []  # the queries of the trails API's calls

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        address = urlsplit(self.path)
        query = {name: values[0] for name, values in parse_qs(address.query).items()}
        key = f"trails_{query.get('lang')}" + ("_open" if query.get("open") == "true" else "")
        found = address.path == "/api/v1/trails/" and key in RECORDED
        if address.path == "/api/v1/trails/":
            RecordedTrailsApi.requests.append(query)
        body = RECORDED[key] if found else {"detail": "Not found."}
        self.answer(200 if found else 404, body)


@pytest.fixture
def portal(monkeypatch: pytest.MonkeyPatch):
    RecordedTrailsApi.requests = []
    with serving(RecordedTrailsApi, monkeypatch):
        yield RecordedTrailsApi


def ask(text: str, language: str = "ko", action=ActionAnswerTrail, intent: str = "ask_trail") -> list[dict]:
    return ask_action(action, text, intent=intent, language=language)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("1시간 정도 걸을 만한 길 추천해줘", 60),
        ("한 시간 반 정도 걸을 길 추천해 주세요", 90),
        ("1시간 30분 걸을 코스", 90),
        ("두시간 안에 걸을 수 있는 소풍길", 120),
        ("30분만 산책할 수 있는 코스 있나요", 30),
        ("which trail is good for an hour?", 60),
        ("I have two hours, which trail should I walk", 120),
        ("a walk of about 90 minutes?", 90),
        ("something for 1.5 hours", 90),
        ("only half an hour", 30),
        ("a trail for an hour and a half", 90),
        # Questions about a course's own time, not the time one has.
        ("소풍길1코스 몇시간", None),
        ("부용길 걷는 데 몇 시간 걸려요", None),
        ("how many hours to walk the Buyong Trail", None),
        ("명상의길 몇 km예요?", None),
        ("5분 거리 코스", None),  # no walk is that short: not a time for a walk
    ],
)
def test_the_time_one_has_is_read_from_the_words(text: str, minutes: int | None) -> None:
    assert minutes_asked(text) == minutes


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("명상의길 지금 걸을 수 있어?", True),
        ("하늘전망대길 통제 중이에요?", True),
        ("불로장생길 오늘 열려 있나요", True),
        ("명상의 길 오늘 걸어도 돼요?", True),
        ("is 명상의길 open?", True),
        ("can I walk the Twin Trail right now", True),
        ("is the Sky Observatory Trail closed", True),
        ("명상의길 얼마나 걸려요", False),
        ("아이랑 걷기 좋은 소풍길 코스 추천해 주세요", False),
        ("how long is the Meditation Trail", False),
        ("where does the Clear Water Trail start", False),
    ],
)
def test_a_question_about_closures_is_told_from_one_about_the_course(text: str, asked: bool) -> None:
    assert is_open_question(text) is asked


def test_trails_that_fit_the_time_are_the_open_ones_that_use_it_best(portal) -> None:
    [answer] = ask("a trail for an hour and a half?", "en")
    assert answer["response"] == "utter_trail_for_time"
    assert (answer["time"], answer["count"]) == ("1 h 30 min", 3)
    assert answer["trails"].splitlines() == [
        f"• Ssangdungi-gil (Twin Trail): about 1 h 25 min, 7.2 km, Easy — {PUBLIC_URL}/en/trails/ssangdungi-gil/",
        f"• Buyong-gil (Buyong Trail): about 1 h 20 min, 6.2 km, Easy — {PUBLIC_URL}/en/trails/buyong-gil/",
        f"• Myeongsang-gil (Meditation Trail): about 1 h 20 min, 5.9 km, Easy — {PUBLIC_URL}/en/trails/myeongsang-gil/",
    ]
    assert portal.requests == [{"lang": "en", "limit": "100", "open": "true"}]

    # 하늘전망대길 (2 h 9 min) would fit three hours, but it is closed.
    [korean] = ask("세 시간 정도 걸을 만한 길 있어요?")
    assert korean["response"] == "utter_trail_for_time" and "하늘전망대길" not in korean["trails"]
    first = korean["trails"].splitlines()[0]
    assert first == f"• 불로장생길: 약 2시간 5분, 9.8 km, 보통 — {PUBLIC_URL}/ko/trails/bullojangsaeng-gil/"


def test_without_a_trail_short_enough_the_shortest_and_a_part_of_one(portal) -> None:
    [answer] = ask("1시간 정도 걸을 만한 길 추천해줘")
    assert answer["response"] == "utter_trail_for_time_none"
    assert answer["time"] == "1시간"
    assert [line.split(":")[0] for line in answer["trails"].splitlines()] == ["• 산림욕길", "• 맑은물길", "• 명상의길"]
    # 산림욕길's marker 3 is 40.6 minutes from the start; marker 4 (60.5) is past the hour.
    assert answer["part"] == " 일부만 걸어도 좋아요: 산림욕길 출발점에서 3번 표지(능선 갈림길)까지 약 40분 걸려요."
    assert answer["url"] == f"{PUBLIC_URL}/ko/trails/"


def test_a_trail_named_is_open_partly_closed_or_closed_with_reason_and_until(portal) -> None:
    [partly] = ask("명상의길 지금 걸을 수 있어?")
    assert (partly["response"], partly["name"]) == ("utter_trail_partly_closed", "명상의길")
    assert partly["closures"] == (
        "• 일부 통제: 우회(3번 표지 구간): 데크 보수 공사. 우회: 옆 마을길로 돌아가세요. 해제 시까지"
    )
    assert partly["url"] == f"{PUBLIC_URL}/ko/trails/myeongsang-gil/"

    [english] = ask("is 명상의길 open?", "en")
    assert (english["response"], english["name"]) == ("utter_trail_partly_closed", "Myeongsang-gil (Meditation Trail)")
    assert english["closures"].startswith("• Partly closed: detour (near marker 3): Boardwalk repairs.")

    [closed] = ask("is the Sky Observatory Trail open", "en")
    assert closed["response"] == "utter_trail_closed"
    assert closed["closures"] == "• Closed: Closed for the forest fire season. Until 15 May 18:00"
    [closed_ko] = ask("하늘전망대길 통제 중이에요?")
    assert closed_ko["closures"] == "• 통제: 산불 조심 기간 입산 통제. 5월 15일 18:00까지"

    [open_now] = ask("can I walk the Forest Bathing Trail right now", "en")
    assert (open_now["response"], open_now["url"]) == (
        "utter_trail_open",
        f"{PUBLIC_URL}/en/trails/sallimyok-gil/",
    )


def test_without_a_trail_named_every_closure_is_told(portal) -> None:
    [answer] = ask("소풍길 지금 막힌 코스 있어요?")
    assert answer["response"] == "utter_trail_some_closed"
    assert (answer["count"], answer["closed"]) == (9, 2)
    assert answer["closures"].splitlines()[0] == "명상의길:"
    assert "하늘전망대길:" in answer["closures"].splitlines()

    unknown = ask("회룡 코스 지금 열렸어요?")
    assert [message["response"] for message in unknown] == ["utter_trail_not_found", "utter_trail_some_closed"]


def test_a_trail_question_taken_for_a_walkway_one_is_answered_from_the_trails(portal) -> None:
    def walkway(text: str) -> list[dict]:
        return ask(text, action=ActionAnswerWalkway, intent="ask_walkway")

    [answer] = walkway("행복길 지금 통제됐나요")
    assert (answer["response"], answer["name"]) == ("utter_trail_open", "행복길")
    assert [message["response"] for message in walkway("소풍길 통제 중이에요?")] == ["utter_trail_some_closed"]
    # A river named is the walkway answer's (the rivers API, which this portal does not serve).
    portal.requests = []
    assert [message["response"] for message in walkway("중랑천 산책로 열려 있나요")] == ["utter_portal_unreachable"]
    assert portal.requests == []


def test_a_portal_that_is_down_is_said_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_URL", "http://127.0.0.1:9")
    for question in ("1시간 정도 걸을 만한 길", "is the Meditation Trail open?"):
        assert [message["response"] for message in ask(question)] == ["utter_portal_unreachable"]
