"""Reply language: Korean or English, decided for every user message."""

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

LANGUAGE_SLOT = "language"
SUPPORTED_LANGUAGES = ("ko", "en")

# Hangul syllables and jamo, so chat shorthand such as "ㅎㅇ" or "ㄱㅅ" counts.
HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
LATIN = re.compile("[A-Za-z]")


def normalise_language(value: Any) -> str | None:
    """Map a locale from the portal ("ko", "en", "en-US") to a supported language."""
    if not isinstance(value, str):
        return None
    language = value.split("-")[0].strip().lower()
    return language if language in SUPPORTED_LANGUAGES else None


def detect_language(text: str, metadata: dict[str, Any] | None) -> str | None:
    """Return the language of a user message, or None when nothing tells.

    The text decides when it has letters: Hangul means Korean, otherwise Latin
    letters mean English. Button payloads ("/affirm"), numbers and emoji say
    nothing, so the portal's page language in the message metadata decides.
    """
    if not text.startswith("/"):
        if HANGUL.search(text):
            return "ko"
        if LATIN.search(text):
            return "en"
    return normalise_language((metadata or {}).get("language"))


class ActionDetectLanguage(Action):
    """Fill the `language` slot (custom slot mapping) after each user message.

    When nothing tells, the slot keeps its value: the language used earlier in
    the conversation, or the domain's initial "ko".
    """

    def name(self) -> str:
        return "action_detect_language"

    def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[dict[str, Any]]:
        message = tracker.latest_message or {}
        language = detect_language(message.get("text") or "", message.get("metadata"))
        if language is None or language == tracker.get_slot(LANGUAGE_SLOT):
            return []
        return [SlotSet(LANGUAGE_SLOT, language)]
