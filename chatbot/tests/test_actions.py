"""Unit tests for the custom actions: no Rasa server or trained model needed."""

from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.language import ActionDetectLanguage, detect_language

DOMAIN_FILE = Path(__file__).resolve().parents[1] / "domain.yml"


def make_tracker(
    text: str,
    metadata: dict[str, Any] | None = None,
    language: str | None = "ko",
) -> Tracker:
    latest_message = {"text": text, "intent": {}, "entities": [], "metadata": metadata}
    return Tracker(
        sender_id="test-user",
        slots={"language": language},
        latest_message=latest_message,
        events=[{"event": "user", "text": text, "metadata": metadata}],
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


@pytest.mark.parametrize(
    "text",
    ["안녕하세요", "안녕 하세여", "ㅎㅇ", "ㄱㅅ", "KTX 시간 알려줘요", "hi 안녕"],
)
def test_hangul_means_korean(text: str) -> None:
    assert detect_language(text, {"language": "en"}) == "ko"
    assert run_action(make_tracker(text, language="en")) == [SlotSet("language", "ko")]


@pytest.mark.parametrize("text", ["hello", "Good morning!", "thx", "what can you do?"])
def test_latin_letters_mean_english(text: str) -> None:
    assert detect_language(text, {"language": "ko"}) == "en"
    assert run_action(make_tracker(text)) == [SlotSet("language", "en")]


@pytest.mark.parametrize("text", ["/greet", "👍", "2024", "?", ""])
def test_metadata_decides_when_text_does_not(text: str) -> None:
    assert run_action(make_tracker(text, {"language": "en"})) == [SlotSet("language", "en")]
    assert run_action(make_tracker(text, {"language": "ko"}, "en")) == [SlotSet("language", "ko")]


@pytest.mark.parametrize("locale", ["en-US", "EN", " en "])
def test_metadata_locale_is_normalised(locale: str) -> None:
    assert detect_language("🙂", {"language": locale}) == "en"


@pytest.mark.parametrize("metadata", [None, {}, {"language": "ja"}, {"language": 1}])
def test_no_signal_keeps_the_current_language(metadata: dict[str, Any] | None) -> None:
    assert detect_language("👍", metadata) is None
    assert run_action(make_tracker("👍", metadata, "en")) == []
    # With no earlier message, the slot keeps the domain's initial value "ko".
    assert run_action(make_tracker("👍", metadata, "ko")) == []


def test_unchanged_language_sets_nothing() -> None:
    assert run_action(make_tracker("감사합니다", language="ko")) == []
    assert run_action(make_tracker("thanks", language="en")) == []


def test_domain_maps_the_slot_to_the_action() -> None:
    domain = yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))
    slot = domain["slots"]["language"]
    assert slot["initial_value"] == "ko"
    assert slot["mappings"] == [{"type": "custom", "action": ActionDetectLanguage().name()}]
    assert ActionDetectLanguage().name() in domain["actions"]
