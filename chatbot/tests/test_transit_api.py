"""Bus and train answers from the portal's stops API. The portal here replays
/api/v1/mobility/stops/?q= and /api/v1/mobility/stops/<id>/arrivals as recorded from the real one
on the illustrative seed timetable at 08:00 on a Friday (fixtures/transit_api_portal.json), with
no live bus information configured: every time is the timetable's, and says so."""

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from actions.questions import ActionAnswerBus
from actions.transit_live import _source, arrival_lines, route_asked, stop_words
from tests.recorded_portal import PUBLIC_URL, RecordedHandler, serving
from tests.recorded_portal import ask as ask_action

RECORDED = json.loads((Path(__file__).parent / "fixtures" / "transit_api_portal.json").read_text(encoding="utf-8"))


class RecordedStopsApi(RecordedHandler):
    down = False

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        address = urlsplit(self.path)
        if RecordedStopsApi.down:
            self.answer(503, {"detail": "maintenance"})
        elif address.path == "/api/v1/mobility/stops/":
            self.answer(200, RECORDED["stops"].get(parse_qs(address.query).get("q", [""])[0], []))
        elif (stop := address.path.removeprefix("/api/v1/mobility/stops/").removesuffix("/arrivals")) in RECORDED[
            "arrivals"
        ]:
            self.answer(200, RECORDED["arrivals"][stop])
        else:
            self.answer(404, {"detail": "Not found."})


@pytest.fixture
def portal(monkeypatch: pytest.MonkeyPatch):
    RecordedStopsApi.down = False
    with serving(RecordedStopsApi, monkeypatch):
        yield RecordedStopsApi


def ask(text: str, language: str = "ko") -> dict:
    [message] = ask_action(ActionAnswerBus, text, intent="ask_bus", language=language)
    return message


@pytest.mark.parametrize(
    ("text", "route", "first_word"),
    [
        ("의정부시청 정류장에 3번 버스 언제 와요?", "3", "의정부시청"),
        ("회룡역에서 1번 버스 다음 거 몇 분 남았어요", "1", "회룡역"),
        ("when does bus 3 come to city hall", "3", "의정부시청"),
        ("next light rail train at Tapseok", None, "탑석"),
        ("경전철 막차 언제예요", None, None),
    ],
)
def test_the_route_and_the_stop_a_question_names(text, route, first_word):
    assert route_asked(text) == route
    words = stop_words(text)
    assert (words[0] if words else None) == first_word


def test_the_routes_next_departures_and_the_last_labelled_as_the_timetable(portal):
    answer = ask("의정부시청 정류장에 3번 버스 언제 와요?")
    assert answer["response"] == "utter_bus_arrivals"
    blocks = answer["arrivals"].split("\n의정부시청")
    assert blocks[0].splitlines() == [
        "의정부시청 (27105) · 시간표 기준, 예시 시간표",
        "- 3번: 08:04 (4분 후), 08:18 (18분 후) · 막차 23:18",
    ]
    assert answer["url"] == f"{PUBLIC_URL}/ko/mobility/stops/233000301/"


def test_demo_arrivals_are_said_to_be_worked_out_from_the_illustrative_timetable():
    demo = RECORDED["arrivals"]["233000301"] | {
        "source": "demo",
        "live": [{"route_name": "3번", "predict_seconds": 250, "stops_away": 2}],
    }
    assert arrival_lines(demo, "3", "ko")[0].startswith("- 3번: 4분 후 (2정거장 전) · 막차")
    assert _source(demo, "ko") == "예시 도착 정보 (예시 시간표로 계산, 실제 버스 아님)"
    assert _source(demo, "en").startswith("demo arrivals")


def test_a_route_that_does_not_stop_there_is_said_with_the_ones_that_do(portal):
    answer = ask("시청에 1번 버스 언제 와요")
    assert answer["response"] == "utter_bus_route_not_here"
    assert (answer["route"], answer["stop"]) == ("1", "의정부시청") and "3번" in answer["routes"]


def test_an_english_question_about_a_station(portal):
    answer = ask("next light rail train at Tapseok", language="en")
    assert answer["response"] == "utter_bus_arrivals"
    lines = answer["arrivals"].splitlines()
    assert lines[0] == "탑석역 · timetable, illustrative timetable"
    assert lines[1].startswith("- ") and " · last " in lines[1]


def test_no_stop_named_or_the_portal_down(portal):
    assert ask("버스 언제 와요?")["response"] == "utter_bus_stop_not_found"
    portal.down = True
    assert ask("의정부시청 버스")["response"] in {"utter_bus_unavailable", "utter_portal_unreachable"}
