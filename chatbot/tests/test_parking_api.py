"""Car park answers from the portal's live parking API. The portal here replays
/api/v1/mobility/car-parks/ as recorded from the real one on the demo data
(fixtures/car_parks_api_portal.json: the city's 58 public car parks, recorded at 04:15 Seoul time;
의정부역 동부 counted 42 free and 의정부역 서부 0 free a few minutes before, the others send no
counts), so the actions are tested against the format the portal gives."""

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from actions.parking_live import named_car_parks
from actions.questions import ActionAnswerParking
from tests.recorded_portal import PUBLIC_URL, RecordedHandler, serving
from tests.recorded_portal import ask as ask_action

RECORDED = json.loads((Path(__file__).parent / "fixtures" / "car_parks_api_portal.json").read_text(encoding="utf-8"))
CAR_PARKS = RECORDED["car_parks"]


class RecordedParkingApi(RecordedHandler):
    down = False

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        if RecordedParkingApi.down:
            self.answer(503, {"detail": "maintenance"})
        elif urlsplit(self.path).path == "/api/v1/mobility/car-parks/":
            self.answer(200, CAR_PARKS)
        else:
            self.answer(404, {"detail": "Not found."})


@pytest.fixture
def portal(monkeypatch: pytest.MonkeyPatch):
    RecordedParkingApi.down = False
    with serving(RecordedParkingApi, monkeypatch):
        yield RecordedParkingApi


def ask(text: str, language: str = "ko") -> dict:
    [message] = ask_action(ActionAnswerParking, text, intent="ask_parking", language=language)
    return message


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("의정부역 공영주차장 빈자리 있어요?", {"의정부역 동부 공영주차장", "의정부역 서부 공영주차장"}),
        ("회룡역 근처 주차장 자리 남았나요", {"회룡역 공영주차장"}),
        ("제일시장에 주차할 데 있어요", {"제일시장 공영주차장"}),
        ("is there space at the Hoeryong Station car park", {"회룡역 공영주차장"}),
        ("parking near Jeil Market?", {"제일시장 공영주차장"}),
        ("주차장 빈자리 알려줘", set()),
    ],
)
def test_the_car_parks_a_question_names(text, names):
    assert {car_park["name"] for car_park in named_car_parks(CAR_PARKS, text)} == names


def test_a_named_car_park_with_a_live_count_a_full_one_and_the_link(portal):
    answer = ask("의정부역 공영주차장 빈자리 있어요?")
    assert answer["response"] == "utter_parking_named"
    assert answer["car_parks"].splitlines() == [
        "- 의정부역 동부 공영주차장: 42면 남음 (04:13 기준) · 전체 160면",
        "- 의정부역 서부 공영주차장: 만차 (04:12 기준) · 전체 120면",
    ]
    assert answer["url"] == f"{PUBLIC_URL}/ko/mobility/parking/"


def test_a_car_park_that_sends_no_counts_is_unknown_never_a_number(portal):
    answer = ask("is there space at the Hoeryong Station car park", language="en")
    [line] = answer["car_parks"].splitlines()
    assert line.startswith("- 회룡역 공영주차장: ") and ("unknown" in line or "closed now" in line)
    assert answer["url"].startswith(f"{PUBLIC_URL}/en/mobility/parking/") and answer["url"].endswith("/")


def test_with_no_place_named_the_most_free_spaces(portal):
    answer = ask("주차장 빈자리 알려줘")
    assert answer["response"] == "utter_parking_most_free"
    assert answer["car_parks"] == "- 의정부역 동부 공영주차장: 42면 남음 (04:13 기준) · 전체 160면"


def test_the_portal_down_is_said_not_guessed(portal):
    portal.down = True
    assert ask("회룡역 주차장")["response"] in {"utter_parking_unavailable", "utter_portal_unreachable"}
