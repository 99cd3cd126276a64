"""Unit tests for the custom actions: no Rasa server or trained model needed."""

import asyncio
import csv
import re
import socket
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet
from rasa_sdk.executor import ActionExecutor, CollectingDispatcher

from actions import texts
from actions.conversation import (
    case_number_in,
    category_is_clear,
    category_of_intent,
    contact_in,
    intent_of_category,
    interrupted,
    likeliest_categories,
    phone_digits_in,
    report_start_message,
    tracking_token_in,
    transcript,
)
from actions.language import HANGUL, ActionDetectLanguage
from actions.portal import Portal, PortalConfig, PortalError, config_from_environment, error_detail_text
from actions.questions import departments_matching
from actions.report_ask import question_label
from actions.report_common import REPORT_SLOTS, merged_photos
from actions.report_form import answer_for, correctable_part
from actions.report_lifecycle import ActionReceiveLocation, ActionReceivePhotos
from actions.report_submit import complaint_body
from actions.session import ActionSessionStart

DOMAIN_FILE = Path(__file__).resolve().parents[1] / "domain.yml"


def make_tracker(
    text: str,
    metadata: dict[str, Any] | None = None,
    language: str | None = "ko",
    events: list[dict[str, Any]] | None = None,
    intent: str = "",
    entities: list[dict[str, Any]] | None = None,
) -> Tracker:
    latest_message = {"text": text, "intent": {"name": intent} if intent else {}, "entities": entities or []}
    latest_message["metadata"] = metadata
    return Tracker(
        sender_id="test-user",
        slots={"language": language},
        latest_message=latest_message,
        events=events if events is not None else [{"event": "user", "text": text, "metadata": metadata}],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run_action(tracker: Tracker) -> list[dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    events = ActionDetectLanguage().run(dispatcher, tracker, domain={})
    assert dispatcher.messages == []  # it only sets the slot; responses do the talking
    return events


def asking_for(language: str, text: str = "영어로", current: str | None = "ko") -> Tracker:
    """A message the NLU pipeline read as a language request (or the payload /set_language{...})."""
    entities = [{"entity": "language", "value": language}]
    return make_tracker(text, {"language": "ko"}, current, intent="set_language", entities=entities)


@pytest.mark.parametrize(("page", "language"), [("ko", "ko"), ("en", "en"), ("en-US", "en"), (" EN ", "en")])
def test_the_first_message_takes_the_pages_language_whatever_it_is_written_in(page: str, language: str) -> None:
    for text in ("hello", "안녕하세요", "/greet", "👍"):
        assert run_action(make_tracker(text, {"language": page}, language=None)) == [SlotSet("language", language)]


@pytest.mark.parametrize(("text", "language"), [("hello", "en"), ("안녕 hi", "ko"), ("/greet", "ko"), ("👍", "ko")])
def test_without_a_page_the_first_messages_letters_decide(text: str, language: str) -> None:
    for metadata in (None, {}, {"language": "ja"}, {"language": 1}):
        assert run_action(make_tracker(text, metadata, language=None)) == [SlotSet("language", language)]


@pytest.mark.parametrize("text", ["There is a broken streetlight", "hello", "/affirm", "Yes", "thx", "👍"])
def test_a_message_in_the_other_language_does_not_change_a_korean_conversation(text: str) -> None:
    # The reported bug: an English message on a Korean page got English buttons, then a button
    # (whose payload the page sent as Korean) turned the bot back to Korean mid-report.
    assert run_action(make_tracker(text, {"language": "ko"}, language="ko")) == []
    assert run_action(make_tracker(text, {"language": "en"}, language="ko")) == []


@pytest.mark.parametrize("text", ["감사합니다", "네", "ㄱㅅ", "/deny"])
def test_a_korean_message_does_not_change_an_english_conversation(text: str) -> None:
    assert run_action(make_tracker(text, {"language": "ko"}, language="en")) == []


@pytest.mark.parametrize(("current", "asked"), [("ko", "en"), ("en", "ko"), (None, "en"), (None, "ko")])
def test_the_language_changes_when_the_resident_asks(current: str | None, asked: str) -> None:
    assert run_action(asking_for(asked, current=current)) == [SlotSet("language", asked)]


def test_asking_for_the_language_in_use_or_an_unknown_one_changes_nothing() -> None:
    assert run_action(asking_for("en", current="en")) == []
    assert run_action(asking_for("ja", current="ko")) == []
    # The language entity means a request only with the set_language intent.
    entities = [{"entity": "language", "value": "en"}]
    assert run_action(make_tracker("English sign", language="ko", entities=entities)) == []


def test_domain_maps_the_slot_to_the_action_and_leaves_it_unset_until_the_first_message() -> None:
    domain = yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))
    slot = domain["slots"]["language"]
    assert slot.get("initial_value") is None
    assert slot["mappings"] == [{"type": "custom", "action": ActionDetectLanguage().name()}]
    assert ActionDetectLanguage().name() in domain["actions"]
    assert "set_language" in domain["intents"] and "language" in domain["entities"]
    variations = domain["responses"]["utter_language_set"]
    assert {variation["custom"]["language"] for variation in variations} == {"en", "ko"}
    assert {v["custom"]["language"] for v in variations if "condition" in v} == {"en"}


def test_a_language_request_interrupts_a_form_so_that_it_asks_again() -> None:
    assert interrupted(make_tracker("영어로", intent="set_language"))


# --- The domain, the rules and the actions agree ---------------------------------------------------

CHATBOT_DIR = DOMAIN_FILE.parent
CATEGORIES_FILE = CHATBOT_DIR.parent / "data" / "reference" / "uijeongbu" / "complaint_categories.csv"
PLACEHOLDER = re.compile(r"{([^{}\n]+)}")


def load_domain() -> dict[str, Any]:
    return yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))


def test_every_response_has_an_english_and_a_korean_variation_saying_the_same_things() -> None:
    for name, variations in load_domain()["responses"].items():
        english = [v for v in variations if v.get("condition") == [{"type": "slot", "name": "language", "value": "en"}]]
        korean = [v for v in variations if "condition" not in v]
        assert len(english) == 1 and len(korean) == 1, name
        assert HANGUL.search(korean[0]["text"]) or name == "utter_category_question", name
        assert set(PLACEHOLDER.findall(english[0]["text"])) == set(PLACEHOLDER.findall(korean[0]["text"])), name
        english_payloads = [button["payload"] for button in english[0].get("buttons", [])]
        assert english_payloads == [button["payload"] for button in korean[0].get("buttons", [])], name


def test_every_action_in_the_domain_is_served_and_every_served_action_is_in_the_domain() -> None:
    executor = ActionExecutor()
    executor.register_package("actions")
    assert set(executor.actions) == set(load_domain()["actions"])


def test_one_report_intent_per_category_of_the_portal_and_one_rule_starts_them_all() -> None:
    with CATEGORIES_FILE.open(encoding="utf-8") as handle:
        codes = [row["code"] for row in csv.DictReader(handle)]
    report_intents = [intent for intent in load_domain()["intents"] if intent.startswith("report_")]
    assert sorted(report_intents) == sorted(intent_of_category(code) for code in codes)
    assert {category_of_intent(intent) for intent in report_intents} == set(codes)
    rules = yaml.safe_load((CHATBOT_DIR / "data" / "rules.yml").read_text(encoding="utf-8"))["rules"]
    [start] = [rule for rule in rules if rule["rule"] == "start a report in the resident's own words"]
    assert sorted(step["intent"] for step in start["steps"][0]["or"]) == sorted(report_intents)


def test_the_forms_slots_are_in_the_domain() -> None:
    domain = load_domain()
    for form in domain["forms"].values():
        assert set(form["required_slots"]) <= set(domain["slots"])
    assert set(REPORT_SLOTS) <= set(domain["slots"])


# --- Reading what the resident said ----------------------------------------------------------------


def message(intent: str, confidence: float, *others: tuple[str, float], text: str = "words") -> dict[str, Any]:
    ranking = [{"name": intent, "confidence": confidence}] + [{"name": n, "confidence": c} for n, c in others]
    return {"text": text, "intent": ranking[0], "intent_ranking": ranking}


@pytest.mark.parametrize(
    ("parsed", "clear"),
    [
        (message("report_streetlight", 0.97, ("report_pothole", 0.01)), True),
        (message("report_streetlight", 0.78, ("report_smart_pole", 0.03)), True),
        (message("report_streetlight", 0.82, ("report_pothole", 0.6)), False),  # close second
        (message("report_streetlight", 0.5, ("greet", 0.1)), False),  # not sure enough
        (message("report_streetlight", 0.5, text="/report_streetlight"), True),  # a button
        (message("greet", 0.99), False),
    ],
)
def test_a_category_is_taken_as_it_is_only_when_it_is_clear(parsed: dict[str, Any], clear: bool) -> None:
    assert category_is_clear(parsed) is clear


def test_the_likeliest_categories_skip_other_intents() -> None:
    parsed = message(
        "nlu_fallback",
        0.7,
        ("report_illegal_dumping", 0.4),
        ("greet", 0.2),
        ("report_bulky_waste", 0.1),
        ("report_animal", 0.05),
        ("report_pests", 0.01),
    )
    assert likeliest_categories(parsed) == ["illegal-dumping", "bulky-waste", "animal"]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("2026-000123 어떻게 됐나요?", "2026-000123"),
        ("민원번호2026-000123번", "2026-000123"),
        ("2026-0001234", None),
        ("123", None),
    ],
)
def test_case_numbers_are_found_in_the_text(text: str, number: str | None) -> None:
    assert case_number_in(text) == number


def test_a_case_number_entity_wins() -> None:
    assert case_number_in("그거요", [{"entity": "case_number", "value": "2025-000042"}]) == "2025-000042"


@pytest.mark.parametrize(
    ("text", "token"),
    [
        ("https://portal.example.kr/ko/complaints/track/2026-000123/?token=abcDEF_123-xyz", "abcDEF_123-xyz"),
        ("링크는 http://localhost:8000/en/complaints/track/2026-000001/?token=Zx8kq2Lw&x=1 이에요", "Zx8kq2Lw"),
        ("Zx8kq2Lw9pT4mB7nR1vC6sD3fG5hJ0aYuE2iO8wQxK4", "Zx8kq2Lw9pT4mB7nR1vC6sD3fG5hJ0aYuE2iO8wQxK4"),
        ("5678", None),
        ("잘 모르겠어요", None),
    ],
)
def test_the_tracking_code_is_found_in_a_pasted_link(text: str, token: str | None) -> None:
    assert tracking_token_in(text) == token


@pytest.mark.parametrize(
    ("text", "digits"),
    [("5678", "5678"), ("뒤 4자리는 5678이에요", "5678"), ("2026-000123", None), ("1234 5678", None), ("010", None)],
)
def test_phone_digits_are_four_digits_on_their_own(text: str, digits: str | None) -> None:
    assert phone_digits_in(text) == digits


@pytest.mark.parametrize(
    ("text", "contact"),
    [
        ("010-2345-6789", {"phone": "010-2345-6789"}),
        ("01023456789", {"phone": "010-2345-6789"}),
        ("031 828 2114로 연락 주세요", {"phone": "031-828-2114"}),
        ("kim.minwon+chat@example.co.kr", {"email": "kim.minwon+chat@example.co.kr"}),
        ("전화 010.2345.6789 메일 a@b.kr", {"phone": "010-2345-6789", "email": "a@b.kr"}),
        ("싫어요", {}),
    ],
)
def test_contact_details_are_read_from_what_was_typed(text: str, contact: dict[str, str]) -> None:
    assert contact_in(text) == contact


def test_the_transcript_keeps_the_newest_lines_within_the_portals_limit() -> None:
    events = [{"event": "user", "text": f"질문 {i} " + "가" * 100} for i in range(80)]
    events.insert(0, {"event": "action", "name": "action_listen"})
    text = transcript(make_tracker("x", language="ko", events=events), "ko")
    assert len(text) <= 3500 and text.endswith("질문 79 " + "가" * 100) and text.startswith("주민: ")


# --- Answers to category questions, corrections, photos ----------------------------------------------

LIGHT_STATE = {
    "code": "light_state",
    "datatype": "singlevaluelist",
    "values": [{"key": "off", "name": "꺼져 있음"}, {"key": "flicker", "name": "깜빡임"}],
}
LIGHT_STATE_EN = [{"key": "off", "name": "Off"}, {"key": "flicker", "name": "Flickering"}]


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("깜빡임", "flicker"),
        ("계속 깜빡임", "flicker"),
        ("Flickering", "flicker"),
        ("off", "off"),
        ("모르겠어요", None),
        ("/skip", None),
    ],
)
def test_a_choice_is_recognised_by_its_name_in_either_language(text: str, answer: str | None) -> None:
    assert answer_for(LIGHT_STATE, LIGHT_STATE_EN, text) == answer


def test_several_choice_answers_are_lists_and_text_answers_are_kept() -> None:
    assert answer_for({**LIGHT_STATE, "datatype": "multivaluelist"}, [], "꺼져 있음") == ["off"]
    assert answer_for({"code": "licence_plate", "datatype": "string"}, [], " 12가3456 ") == "12가3456"


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("위치", "location"),
        ("주소를 바꿀래요", "location"),
        ("사진 추가할게요", "photos"),
        ("Contact", "contact"),
        ("change the category", "category"),
        ("내용", "description"),
        ("좋아요", None),
        ("/deny", None),
    ],
)
def test_the_part_to_correct_is_named_in_either_language(text: str, part: str | None) -> None:
    assert correctable_part(text) == part


def test_photos_are_kept_once_and_at_most_five() -> None:
    assert merged_photos(["a", "b"], ["b", "c", "d", "e", "f", "g"]) == ["a", "b", "c", "d", "e"]


# --- Words and dates ---------------------------------------------------------------------------------


def test_dates_read_naturally_in_each_language() -> None:
    assert texts.date_text("ko", "2026-12-09") == "2026년 12월 9일(수)"
    assert texts.date_text("en", "2026-12-09") == "Wed 9 December 2026"
    assert texts.date_text("en", "soon") == "soon"


def test_every_status_of_the_portal_has_a_label_in_both_languages() -> None:
    statuses = {
        "received",
        "accepted",
        "answered",
        "closed_unfixed",
        "transferred",
        "transferred_out",
        "duplicate",
        "reopened",
    }
    assert set(texts.STATUS_LABELS["ko"]) == set(texts.STATUS_LABELS["en"]) == statuses


# --- Questions ---------------------------------------------------------------------------------------

DEPARTMENTS = [
    {
        "code": "road-lighting",
        "name_ko": "도로조명팀",
        "name_en": "Road Lighting Team",
        "parent_ko": "도로과",
        "handles": "Streetlights",
    },
    {
        "code": "road-maintenance",
        "name_ko": "도로정비팀",
        "name_en": "Road Maintenance Team",
        "parent_ko": "도로과",
        "handles": "Potholes",
    },
    {
        "code": "parking-enforcement",
        "name_ko": "주차지도팀",
        "name_en": "Parking Enforcement Team",
        "parent_ko": "주차관리과",
        "handles": "Illegal parking",
    },
    {
        "code": "parking-facilities",
        "name_ko": "주차시설팀",
        "name_en": "Parking Facilities Team",
        "parent_ko": "주차관리과",
        "handles": "Public car parks",
    },
]
CATEGORIES = {
    "streetlight": {
        "code": "streetlight",
        "name_ko": "가로등·보안등 고장",
        "name_en": "Broken streetlight",
        "department": "road-lighting",
    },
    "pothole": {
        "code": "pothole",
        "name_ko": "도로 파손·포트홀",
        "name_en": "Pothole",
        "department": "road-maintenance",
    },
}


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("가로등 담당 부서 전화번호 알려주세요", ["road-lighting"]),
        ("포트홀은 어디에 연락해요?", ["road-maintenance"]),
        ("주차관리과 연락처", ["parking-enforcement", "parking-facilities"]),
        ("parking enforcement phone number", ["parking-enforcement"]),
        ("부서 전화번호 알려줘", []),
    ],
)
def test_departments_are_matched_from_the_residents_words(text: str, codes: list[str]) -> None:
    assert [row["code"] for row in departments_matching(text, DEPARTMENTS, CATEGORIES)] == codes


# --- The portal client and the session -----------------------------------------------------------------


def test_the_portal_address_and_key_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_URL", "http://127.0.0.1:8123/")
    monkeypatch.setenv("CHATBOT_API_KEY", "k")
    monkeypatch.delenv("PORTAL_PUBLIC_URL", raising=False)
    monkeypatch.setenv("SITE_URL", "https://portal.example.kr")
    config = config_from_environment()
    assert (config.url, config.api_key, config.public_url) == (
        "http://127.0.0.1:8123",
        "k",
        "https://portal.example.kr",
    )
    monkeypatch.delenv("SITE_URL")
    assert config_from_environment().public_url == "http://127.0.0.1:8123"


def test_a_portal_that_is_down_is_one_clear_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens here once the socket closes
    portal = Portal(PortalConfig(url=f"http://127.0.0.1:{port}", api_key="k", public_url=""))
    with pytest.raises(PortalError) as caught:
        asyncio.run(portal.rivers("ko"))
    assert caught.value.unreachable


def test_refusals_read_as_one_line() -> None:
    assert (
        error_detail_text({"detail": ["A photo was not found."], "code": "photo_unknown"}) == "A photo was not found."
    )
    assert error_detail_text({"category": ["Unknown category 'ufo'."]}) == "Unknown category 'ufo'."


def test_a_new_session_keeps_the_language_and_the_cases_but_not_a_half_report() -> None:
    tracker = make_tracker("x", language="en")
    tracker.slots.update(last_case={"number": "2026-000001"}, complaint_category="pothole")
    events = ActionSessionStart().run(CollectingDispatcher(), tracker, {})
    assert events[0] == SessionStarted() and events[-1] == ActionExecuted("action_listen")
    assert {e["name"] for e in events if e["event"] == "slot"} == {"language", "last_case"}


def test_a_location_or_photos_sent_before_a_report_are_kept_for_it() -> None:
    dispatcher = CollectingDispatcher()
    shared = make_tracker("/share_location", {"location": {"latitude": 37.74, "longitude": 127.03}})
    assert ActionReceiveLocation().run(dispatcher, shared, {}) == [
        SlotSet("pending_location", {"address": "", "latitude": 37.74, "longitude": 127.03})
    ]
    sent = make_tracker("/send_photos", {"photos": ["p1", "p2"]})
    assert ActionReceivePhotos().run(dispatcher, sent, {}) == [SlotSet("pending_photos", ["p1", "p2"])]
    assert [m["response"] for m in dispatcher.messages] == ["utter_location_kept", "utter_photos_kept"]


@pytest.mark.parametrize(
    ("question", "label"),
    [
        ("차량 번호 (예: 12가3456)", "차량 번호"),
        ("어떤 상태인가요?", "어떤 상태인가요"),
        ("What is wrong with it?", "What is wrong with it"),
    ],
)
def test_category_questions_become_short_summary_labels(question: str, label: str) -> None:
    assert question_label(question) == label


def tracker_with(events: list[dict[str, Any]]) -> Tracker:
    latest = next(event for event in reversed(events) if event["event"] == "user")
    return Tracker(
        "t", {"language": "ko"}, {"text": latest["text"], **latest.get("parse_data", {})}, events, False, None, {}, None
    )


def user(text: str, intent: str, confidence: float = 1.0, *others: tuple[str, float]) -> dict[str, Any]:
    return {"event": "user", "text": text, "parse_data": message(intent, confidence, *others, text=text)}


def test_category_suggestions_come_from_the_words_that_started_the_report() -> None:
    started = user("가로등이 이상해요", "report_streetlight", 0.5, ("report_smart_pole", 0.4))
    reset = {"event": "action", "name": "action_reset_report"}
    later = user("호원1동 신일아파트 정문 앞", "report_noise_construction", 0.3)
    tracker = tracker_with([user("안녕", "greet"), started, reset, later])
    assert report_start_message(tracker)["text"] == "가로등이 이상해요"
    from_button = tracker_with([started, user("/report_streetlight", "report_streetlight"), reset])
    assert report_start_message(from_button)["text"] == "가로등이 이상해요"


def test_a_report_filed_from_the_portal_chat_names_its_conversation():
    """The portal's chat sends the conversation's uuid as the sender: the filing names it, so the
    portal can tell the resident the number if Rasa dies before answering. Other senders do not."""
    tracker = make_tracker("/affirm")
    tracker.slots.update(complaint_category="pothole", complaint_description="도로가 패였어요")
    assert "conversation" not in complaint_body(tracker, "ko")
    tracker.sender_id = "6c1e0f4a-2b7d-4f51-9f0e-3a5d3c2b1a90"
    assert complaint_body(tracker, "ko")["conversation"] == "6c1e0f4a-2b7d-4f51-9f0e-3a5d3c2b1a90"
