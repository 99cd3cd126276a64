"""Reading the conversation: what the resident just said, how sure NLU is, what they sent with it."""

import re
from typing import Any

from rasa_sdk import Tracker

from actions import texts

REPORT_PREFIX = "report_"
# A report is taken as it is when NLU is this sure of its category and the next likeliest category
# is well behind; otherwise the resident chooses among the likeliest. On the held-out set right
# answers have a median confidence of 0.93 and wrong ones 0.35; a clear report such as "아파트
# 정문 앞 가로등이 밤새 깜빡거려요" scored 0.78 with the runner-up at 0.03.
CLEAR_CONFIDENCE = 0.6
CLEAR_MARGIN = 0.25
# Below the FallbackClassifier's threshold, categories are offered only if one is at least this likely.
SUGGESTION_FLOOR = 0.3
SUGGESTIONS = 3
# Intents that stop whatever the bot is asking; every other message is taken as the answer. A
# language request is no answer either: the form asks its question again in that language.
INTERRUPTING_INTENTS = {"cancel", "human_handoff", "set_language"}

CASE_NUMBER = re.compile(r"(?<!\d)(\d{4}-\d{6})(?!\d)")
TRACKING_LINK_TOKEN = re.compile(r"[?&]token=([A-Za-z0-9_\-]+)")
BARE_TOKEN = re.compile(r"[A-Za-z0-9_\-]{20,}")
FOUR_DIGITS = re.compile(r"(?<!\d)(\d{4})(?!\d)")
PHONE = re.compile(r"(?<!\d)(0\d{1,2})[\s.-]?(\d{3,4})[\s.-]?(\d{4})(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")

TRANSCRIPT_MAX_CHARS = 3500  # the portal keeps descriptions up to 4000 characters
TRANSCRIPT_MAX_LINES = 60


def category_of_intent(intent: str | None) -> str | None:
    """report_illegal_parking -> illegal-parking; None for other intents."""
    if not intent or not intent.startswith(REPORT_PREFIX):
        return None
    return intent[len(REPORT_PREFIX) :].replace("_", "-")


def intent_of_category(code: str) -> str:
    return REPORT_PREFIX + code.replace("-", "_")


def is_payload(text: str | None) -> bool:
    """A button's payload ("/affirm") rather than words the resident typed."""
    return (text or "").startswith("/")


def latest(tracker: Tracker) -> dict[str, Any]:
    return tracker.latest_message or {}


def latest_intent(tracker: Tracker) -> str:
    return (latest(tracker).get("intent") or {}).get("name") or ""


def latest_text(tracker: Tracker) -> str:
    return (latest(tracker).get("text") or "").strip()


def latest_metadata(tracker: Tracker) -> dict[str, Any]:
    """What the portal's widget sent with the message (language, location, photo ids)."""
    metadata = latest(tracker).get("metadata")
    return metadata if isinstance(metadata, dict) else {}


def language(tracker: Tracker) -> str:
    return texts.language_of(tracker.get_slot("language"))


def interrupted(tracker: Tracker) -> bool:
    return latest_intent(tracker) in INTERRUPTING_INTENTS


def report_ranking(message: dict[str, Any]) -> list[tuple[str, float]]:
    """The complaint categories NLU considered for a message, likeliest first."""
    ranking = message.get("intent_ranking") or [message.get("intent") or {}]
    return [
        (code, float(entry.get("confidence") or 0.0))
        for entry in ranking
        if (code := category_of_intent(entry.get("name")))
    ]


def category_is_clear(message: dict[str, Any]) -> bool:
    """A button press always is; typed words when NLU is sure and no other category comes close."""
    if is_payload(message.get("text")):
        return True
    ranking = report_ranking(message)
    if not ranking:
        return False
    best = ranking[0][1]
    runner_up = ranking[1][1] if len(ranking) > 1 else 0.0
    return best >= CLEAR_CONFIDENCE and best - runner_up >= CLEAR_MARGIN


def likeliest_categories(message: dict[str, Any], limit: int = SUGGESTIONS) -> list[str]:
    return [code for code, _ in report_ranking(message)[:limit]]


def user_events(tracker: Tracker) -> list[dict[str, Any]]:
    return [event for event in tracker.events if event.get("event") == "user"]


def latest_report_message(tracker: Tracker, *, just_before: bool = False) -> dict[str, Any] | None:
    """The last thing the resident typed that NLU read as a report (or could not place).
    just_before: only the message right before the latest one counts (a report started by a
    suggested category's button takes its description from there)."""
    events = user_events(tracker)
    candidates = events[-2:-1] if just_before else reversed(events)
    for event in candidates:
        text = event.get("text") or ""
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if not is_payload(text) and (category_of_intent(intent) or intent == "nlu_fallback"):
            return {"text": text, **(event.get("parse_data") or {})}
    return None


def report_start_message(tracker: Tracker) -> dict[str, Any] | None:
    """The words that started the report in progress: the message before action_reset_report, or
    the one before that when the report was started by a suggested category's button. The
    category buttons come from its ranking, whatever the resident typed since."""
    events = tracker.events
    start = next(
        (
            i
            for i in range(len(events) - 1, -1, -1)
            if events[i].get("event") == "action" and events[i].get("name") == "action_reset_report"
        ),
        None,
    )
    if start is None:
        return latest_report_message(tracker)
    for event in reversed([event for event in events[:start] if event.get("event") == "user"][-2:]):
        text = event.get("text") or ""
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if not is_payload(text) and (category_of_intent(intent) or intent == "nlu_fallback"):
            return {"text": text, **(event.get("parse_data") or {})}
    return None


def case_number_in(text: str, entities: list[dict[str, Any]] | None = None) -> str | None:
    for entity in entities or []:
        if entity.get("entity") == "case_number" and CASE_NUMBER.fullmatch(str(entity.get("value", ""))):
            return str(entity["value"])
    found = CASE_NUMBER.search(text or "")
    return found.group(1) if found else None


def tracking_token_in(text: str) -> str | None:
    """The code of a pasted tracking link, or a code pasted on its own."""
    found = TRACKING_LINK_TOKEN.search(text or "")
    if found:
        return found.group(1)
    words = (text or "").split()
    return words[0] if len(words) == 1 and BARE_TOKEN.fullmatch(words[0]) else None


def phone_digits_in(text: str) -> str | None:
    """Four digits on their own ("5678", "뒤 4자리는 5678"), not part of a case number."""
    found = FOUR_DIGITS.findall(CASE_NUMBER.sub(" ", text or ""))
    return found[0] if len(found) == 1 else None


def contact_in(text: str) -> dict[str, str]:
    """The phone number and the email address in what the resident typed."""
    contact = {}
    phone = PHONE.search(text or "")
    if phone:
        contact["phone"] = "-".join(phone.groups())
    email = EMAIL.search(text or "")
    if email:
        contact["email"] = email.group(0)
    return contact


def transcript(tracker: Tracker, language: str) -> str:
    """The conversation so far as a person will read it: who said what, newest lines kept."""
    resident, bot = texts.word(language, "transcript_resident"), texts.word(language, "transcript_bot")
    lines = []
    for event in tracker.events:
        text = (event.get("text") or "").strip()
        if not text:
            continue
        if event.get("event") == "user":
            lines.append(f"{resident}: {text}")
        elif event.get("event") == "bot":
            lines.append(f"{bot}: {text}")
    lines = lines[-TRANSCRIPT_MAX_LINES:]
    while len(lines) > 1 and len("\n".join(lines)) > TRANSCRIPT_MAX_CHARS:
        lines.pop(0)
    return "\n".join(lines)[-TRANSCRIPT_MAX_CHARS:]
