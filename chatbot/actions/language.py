"""Reply language: one per conversation, Korean or English.

It is set by the conversation's first message, from the language of the portal page it started on
(the message metadata), and changes only when the resident asks: a message the NLU pipeline reads
as set_language (components/language_request.py), or the payload /set_language{"language": "en"}.
A message merely written in the other script changes nothing: buttons and summaries must not
switch language under the resident's thumb.
"""

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

LANGUAGE_SLOT = "language"
SET_LANGUAGE_INTENT = "set_language"
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


def starting_language(text: str, metadata: dict[str, Any] | None) -> str:
    """The language of a conversation's first message: the page's, sent by the portal. Without
    one (a client other than the portal's widget), the message's own letters, else Korean."""
    if page := normalise_language((metadata or {}).get("language")):
        return page
    if not text.startswith("/") and not HANGUL.search(text) and LATIN.search(text):
        return "en"
    return "ko"


def requested_language(message: dict[str, Any]) -> str | None:
    """The language the resident asked for with this message, or None when they did not ask."""
    if ((message.get("intent") or {}).get("name")) != SET_LANGUAGE_INTENT:
        return None
    for entity in message.get("entities") or []:
        if entity.get("entity") == LANGUAGE_SLOT:
            return normalise_language(entity.get("value"))
    return None


class ActionDetectLanguage(Action):
    """Fill the `language` slot (custom slot mapping) after each user message."""

    def name(self) -> str:
        return "action_detect_language"

    def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[dict[str, Any]]:
        message = tracker.latest_message or {}
        current = tracker.get_slot(LANGUAGE_SLOT)
        language = requested_language(message)
        if language is None and current is None:
            language = starting_language(message.get("text") or "", message.get("metadata"))
        if language is None or language == current:
            return []
        return [SlotSet(LANGUAGE_SLOT, language)]
