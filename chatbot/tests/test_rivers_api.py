"""River walkway answers from the portal's live river state. The portal here replays
/api/v1/rivers/ as recorded from the real one on the demo rivers (fixtures/rivers_api_portal.json,
in Korean and English): "open" as seeded, "gate_closed" with the 신곡교 entrance's gate closed by
staff for an inspection, and "closed" after 신곡교 read 3.80 m (주의, 중랑천's closing level), so
the actions are tested against the format the portal gives, and the answer changes as it does."""

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from actions.questions import ActionAnswerWalkway
from actions.rivers_live import nearest_open_entrance, river_named
from tests.recorded_portal import PUBLIC_URL, RecordedHandler, serving
from tests.recorded_portal import ask as ask_action

RECORDED = json.loads((Path(__file__).parent / "fixtures" / "rivers_api_portal.json").read_text(encoding="utf-8"))


class RecordedRiversApi(RecordedHandler):
    state = "open"
    down = False

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        language = "en" if self.headers.get("Accept-Language") == "en" else "ko"
        if RecordedRiversApi.down:
            self.answer(503, {"detail": "maintenance"})
        elif urlsplit(self.path).path == "/api/v1/rivers/":
            self.answer(200, RECORDED[RecordedRiversApi.state][language])
        else:
            self.answer(404, {"detail": "Not found."})


@pytest.fixture
def portal(monkeypatch: pytest.MonkeyPatch):
    RecordedRiversApi.state, RecordedRiversApi.down = "open", False
    with serving(RecordedRiversApi, monkeypatch):
        yield RecordedRiversApi


def ask(text: str, language: str = "ko") -> dict:
    [message] = ask_action(ActionAnswerWalkway, text, intent="ask_walkway", language=language)
    return message


@pytest.mark.parametrize(
    ("text", "river"),
    [
        ("중랑천 산책로 열려 있어요?", "중랑천"),
        ("Is the Jungnangcheon walkway open?", "중랑천"),
        ("is the Buyongcheon path closed", "부용천"),
        ("하천 산책로 통제 중이에요?", None),
    ],
)
def test_the_river_a_question_names(text, river):
    assert river_named(text) == river


def test_the_answer_changes_when_the_walkway_closes_and_names_the_reason(portal):
    korean = ask("중랑천 산책로 열려 있어요?")
    assert korean["response"] == "utter_walkway_open" and korean["river"] == "중랑천"
    assert korean["url"] == f"{PUBLIC_URL}/ko/river-guide/jungnangcheon/"

    portal.state = "closed"
    korean = ask("중랑천 산책로 열려 있어요?")
    assert korean["response"] == "utter_walkway_closed"
    assert korean["reason"] == "중랑천: 신곡교 수위 주의 단계(3.80 m). 담당자가 해제할 때까지 산책로 출입을 통제합니다."
    assert korean["since"] == "12월 5일 10:13"  # Seoul time
    assert korean["entrances"] == "지금 열려 있는 진입로가 없어요."  # the whole walkway closes
    english = ask("Is the Jungnangcheon walkway open?", language="en")
    assert english["response"] == "utter_walkway_closed" and english["river"] == "Jungnangcheon Stream"
    assert english["reason"].startswith("Jungnangcheon Stream: water level 주의 (caution) at Singokgyo (3.80 m).")
    assert english["since"] == "5 Dec 10:13" and english["entrances"] == "No entrance is open right now."
    assert english["url"] == f"{PUBLIC_URL}/en/river-guide/jungnangcheon/"


def test_a_closed_gate_names_the_entrance_and_the_nearest_open_one(portal):
    portal.state = "gate_closed"
    answer = ask("중랑천 산책로 어느 입구가 열려 있어요")
    assert answer["response"] == "utter_walkway_entrances_closed"
    assert answer["closed"] == "• 중랑천 신곡교 진입로: 중랑천 신곡교 진입로 차단기가 닫혔습니다. 점검"
    # 청과시장 is 1 km north of 신곡교; 회룡교 1.1 km south.
    assert answer["entrances"] == "가장 가까운 열린 진입로: 중랑천 청과시장 진입로 (1.0 km)"

    [river] = [row for row in RECORDED["gate_closed"]["en"] if row["slug"] == "jungnangcheon"]
    beside_hoeryong = {"latitude": 37.7245, "longitude": 127.0465}
    entrance, metres = nearest_open_entrance(river, beside_hoeryong)
    assert entrance["name"] == "Jungnangcheon entrance at Hoeryonggyo" and round(metres) == 56


def test_with_no_river_named_every_walkway_in_one_line(portal):
    portal.state = "closed"
    answer = ask("하천 산책로 통제 중이에요?")
    assert answer["response"] == "utter_walkway_rivers" and answer["url"] == f"{PUBLIC_URL}/ko/river-guide/"
    lines = answer["rivers"].splitlines()
    assert lines[0].startswith("• 중랑천: 통제 중 (중랑천: 신곡교 수위 주의 단계(3.80 m).")
    assert lines[1:] == ["• 부용천: 열림", "• 백석천: 열림", "• 회룡천: 열림"]


def test_a_stream_the_portal_keeps_no_state_for_and_a_portal_that_is_down(portal):
    answer = ask("is the Howoncheon walkway open", language="en")
    assert (answer["response"], answer["place"]) == ("utter_walkway_not_watched", "Howoncheon")
    portal.down = True
    assert ask("중랑천 산책로 열려 있어요?")["response"] == "utter_portal_unreachable"


def test_a_shared_location_picks_the_open_entrance_nearest_the_resident(portal):
    portal.state = "gate_closed"
    by_nogyanggyo = {"location": {"latitude": 37.7585, "longitude": 127.0430}}
    [answer] = ask_action(
        ActionAnswerWalkway, "중랑천 산책로 열려 있어요?", intent="ask_walkway", metadata=by_nogyanggyo
    )
    assert answer["entrances"] == "가장 가까운 열린 진입로: 중랑천 녹양교 진입로 (60 m)"
