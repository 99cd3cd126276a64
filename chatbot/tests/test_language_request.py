"""The rule that reads a language request (components/language_request.py): whole requests in
either language's wording, never a message that merely mentions a language."""

import pytest
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.language_request import LanguageRequestClassifier, requested_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("English please", "en"),
        ("english", "en"),
        ("In English, please!", "en"),
        ("Can you speak English?", "en"),
        ("switch to English", "en"),
        ("영어로", "en"),
        ("영어로 해 주세요", "en"),
        ("영어 가능한가요?", "en"),
        ("영어로 좀 부탁해요", "en"),
        ("한국어로 해주세요", "ko"),
        ("한국어로요", "ko"),
        ("한국말로 말해줘", "ko"),
        ("Korean please", "ko"),
        ("answer in korean", "ko"),
    ],
)
def test_a_request_for_a_language_is_read(text: str, language: str) -> None:
    assert requested_language(text) == language


@pytest.mark.parametrize(
    "text",
    [
        "There is a broken streetlight",
        "hello",
        "I speak English",
        "The English sign at the station is broken",
        "영어로 된 안내판이 깨졌어요",
        "영어학원 앞 불법주차",
        "한국어 교실 소음이 심해요",
        "/set_language",
        "",
    ],
)
def test_a_message_that_mentions_a_language_is_no_request(text: str) -> None:
    assert requested_language(text) is None


def test_the_component_overrides_the_intent_and_adds_the_entity() -> None:
    component = LanguageRequestClassifier()
    request = Message(data={TEXT: "English please", INTENT: {"name": "affirm", "confidence": 0.6}, ENTITIES: []})
    other = Message(data={TEXT: "the English sign is broken", INTENT: {"name": "report_other", "confidence": 0.8}})
    component.process([request, other])
    assert request.get(INTENT) == {"name": "set_language", "confidence": 1.0}
    assert [(e["entity"], e["value"]) for e in request.get(ENTITIES)] == [("language", "en")]
    assert other.get(INTENT)["name"] == "report_other"
