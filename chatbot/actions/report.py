"""Taking a complaint (민원 신고) in the chat, from the resident's own words to a filed case.

complaint_form asks only what the category needs, in this order: the category (when NLU is
unsure), a description (when the first message was too short), the location (categories that
need one), the category's required questions (its Open311 attributes), whether to follow a similar
open case nearby, photos, contact with consent, and a summary to confirm or correct. Every message
while the form is active is taken as the answer to the question asked, except "cancel" and
"talk to a person", which the form rejects so that their rules run.
"""

import logging
import re
import uuid
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT
from rasa_sdk.types import DomainDict

from actions import texts
from actions.conversation import (
    SUGGESTION_FLOOR,
    case_number_in,
    category_is_clear,
    category_of_intent,
    contact_in,
    intent_of_category,
    interrupted,
    is_payload,
    language,
    latest,
    latest_intent,
    latest_metadata,
    latest_report_message,
    latest_text,
    likeliest_categories,
    report_start_message,
)
from actions.portal import Portal, PortalError, error_detail_text

logger = logging.getLogger(__name__)

NEW_REPORT = "new"
MAX_PHOTOS = 5
# The first message is kept as the description when it says this much (characters, spaces aside).
FIRST_MESSAGE_MIN_CHARS = 8
ANSWER_MIN_CHARS = 3
DESCRIPTION_MAX_CHARS = 4000
ADDRESS_MAX_CHARS = 300
SIMILAR_SHOWN = 3
SUMMARY_DESCRIPTION_CHARS = 300

REPORT_SLOTS = [
    "complaint_category",
    "complaint_description",
    "complaint_location",
    "category_answer",
    "complaint_attributes",
    "similar_cases",
    "similar_checked_for",
    "follow_similar",
    "complaint_photos",
    "contact_consent",
    "contact_details",
    "complaint_confirmed",
    "correcting",
]

# What a correction clears, so that the form asks it again (and checks nearby cases again).
SIMILAR_SLOTS = {"similar_cases": None, "similar_checked_for": None, "follow_similar": None}
CORRECTION_RESETS: dict[str, dict[str, Any]] = {
    "category": {"complaint_category": None, "complaint_attributes": None, "category_answer": None, **SIMILAR_SLOTS},
    "description": {"complaint_description": None},
    "location": {"complaint_location": None, **SIMILAR_SLOTS},
    "answers": {"complaint_attributes": None, "category_answer": None},
    "photos": {"complaint_photos": None},
    "contact": {"contact_consent": None, "contact_details": None},
}


def report_reset_events(*, keep_pending: bool = False) -> list[EventType]:
    events = [SlotSet(slot, None) for slot in REPORT_SLOTS]
    if not keep_pending:
        events += [SlotSet("pending_photos", None), SlotSet("pending_location", None)]
    return events


def delivery(tracker: Tracker) -> str | None:
    """What the widget delivered with this message: "photos" or "location" (its payload, with the
    photo ids or the point in the metadata). None for words the resident typed, even about photos
    or places ("위치 바꿀래요" is a correction, not a location)."""
    metadata, text = latest_metadata(tracker), latest_text(tracker)
    if "photos" in metadata or text == "/send_photos":
        return "photos"
    if "location" in metadata or text == "/share_location":
        return "location"
    return None


def shared_point(tracker: Tracker) -> dict[str, float] | None:
    location = latest_metadata(tracker).get("location")
    if not isinstance(location, dict):
        return None
    try:
        latitude, longitude = float(location["latitude"]), float(location["longitude"])
    except (KeyError, TypeError, ValueError):
        return None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    return {"latitude": latitude, "longitude": longitude}


def shared_photos(tracker: Tracker) -> list[str]:
    photos = latest_metadata(tracker).get("photos")
    return [str(photo) for photo in photos if isinstance(photo, str)] if isinstance(photos, list) else []


def merged_photos(earlier: list[str] | None, new: list[str]) -> list[str]:
    return list(dict.fromkeys([*(earlier or []), *new]))[:MAX_PHOTOS]


def visible_chars(text: str) -> int:
    return len("".join((text or "").split()))


async def category_or_none(portal: Portal, code: str | None) -> dict | None:
    if not code:
        return None
    try:
        return (await portal.categories()).get(code)
    except PortalError:
        return None


async def needs_location(portal: Portal, code: str) -> bool:
    category = await category_or_none(portal, code)
    # The portal being unreachable is no reason to skip the question.
    return True if category is None else bool(category.get("needs_location"))


async def required_questions(portal: Portal, code: str, language: str) -> list[dict]:
    """The category's questions a report must answer (Open311 attributes marked required)."""
    try:
        return [question for question in await portal.category_questions(code, language) if question.get("required")]
    except PortalError:
        return []


async def pending_question(portal: Portal, tracker: Tracker) -> dict | None:
    answered = tracker.get_slot("complaint_attributes") or {}
    code = tracker.get_slot("complaint_category")
    if not code:
        return None
    return next(
        (q for q in await required_questions(portal, code, language(tracker)) if q.get("code") not in answered), None
    )


def _normalised(text: str) -> str:
    return "".join(str(text).lower().split())


def answer_for(question: dict, choices_in_other_language: list[dict], text: str) -> Any:
    """The resident's answer to a category question as the portal stores it (a choice's key; a list
    of one key for several-choice questions), or None when it is not an answer."""
    if not text or is_payload(text):
        return None
    datatype = question.get("datatype", "string")
    if datatype.endswith("valuelist"):
        wanted = _normalised(text)
        choices = [*question.get("values", []), *choices_in_other_language]
        named = [(c["key"], _normalised(c.get("name") or "")) for c in choices if c.get("name")]
        exact = [key for key, name in named if wanted in (_normalised(key), name)]
        close = [key for key, name in named if len(wanted) >= 2 and (wanted in name or name in wanted)]
        keys = list(dict.fromkeys(exact or close))
        if len(keys) != 1:
            return None
        return keys if datatype == "multivaluelist" else keys[0]
    if datatype == "number":
        digits = "".join(character for character in text if character.isdigit() or character == ".")
        return digits or None
    return text.strip()[:200] or None


def similar_key(code: str, location: dict) -> str:
    return f"{code}|{location.get('latitude')},{location.get('longitude')}|{location.get('address', '')}"


def correctable_part(text: str) -> str | None:
    """The part of the summary the resident names ("위치 바꿀래요", "change the address")."""
    if not text or is_payload(text):
        return None
    lowered = text.lower()
    for part, names in texts.CORRECTABLE_PARTS.items():
        if any(word in lowered for word in names["words"]) or lowered.strip() in (names["ko"], names["en"].lower()):
            return part
    return None


class ValidateComplaintForm(FormValidationAction):
    def name(self) -> str:
        return "validate_complaint_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        slots = ["complaint_category", "complaint_description"]
        code = tracker.get_slot("complaint_category")
        if not code:
            return slots
        portal = Portal()
        if await needs_location(portal, code):
            slots.append("complaint_location")
        if await pending_question(portal, tracker):
            slots.append("category_answer")
        if tracker.get_slot("similar_cases"):
            slots.append("follow_similar")
        slots += ["complaint_photos", "contact_consent"]
        if tracker.get_slot("contact_consent"):
            slots.append("contact_details")
        slots.append("complaint_confirmed")
        return slots

    async def next_requested_slot(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> EventType:
        """Always decided here (rasa-sdk leaves it to Rasa when the list happens to equal the domain's)."""
        follow = tracker.get_slot("follow_similar")
        if follow and follow != NEW_REPORT:
            return SlotSet(REQUESTED_SLOT, None)  # the resident follows an existing case: done
        required = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
        return SlotSet(REQUESTED_SLOT, next((slot for slot in required if tracker.slots.get(slot) is None), None))

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events = await super().get_validation_events(dispatcher, tracker, domain)
        # The validated values are in tracker.slots now: look for similar open cases once the
        # category and the place are known, and again whenever either changes.
        return events + await self.similar_case_events(tracker)

    @staticmethod
    async def similar_case_events(tracker: Tracker) -> list[EventType]:
        code, location = tracker.get_slot("complaint_category"), tracker.get_slot("complaint_location")
        # Nothing may be set on a "cancel": the form must be rejected for its rule to run.
        if not code or not isinstance(location, dict) or interrupted(tracker):
            return []
        key = similar_key(code, location)
        if tracker.get_slot("similar_checked_for") == key:
            return []
        portal = Portal()
        category = await category_or_none(portal, code) or {}
        try:
            found = await portal.similar_open_cases(
                code,
                latitude=location.get("latitude"),
                longitude=location.get("longitude"),
                address=location.get("address", ""),
            )
        except PortalError:
            found = []  # a courtesy check: filing still works without it
        similar = [
            {
                "number": case["number"],
                "status": case.get("status", ""),
                "distance_m": case.get("distance_m"),
                "dong": case.get("dong", ""),
                "description": case.get("description") or "",
                "public": bool(category.get("public_by_default")),
            }
            for case in found[:SIMILAR_SHOWN]
        ]
        return [
            SlotSet("similar_cases", similar or None),
            SlotSet("similar_checked_for", key),
            SlotSet("follow_similar", None),
        ]

    # --- category -------------------------------------------------------------------------------

    async def extract_complaint_category(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        requested = tracker.get_slot("requested_slot")
        if interrupted(tracker) or requested not in (None, "complaint_category"):
            return {}
        if delivery(tracker):
            return {"complaint_category": None} if requested else {}
        code = category_of_intent(latest_intent(tracker))
        if code and category_is_clear(latest(tracker)):
            return {"complaint_category": code}
        if requested == "complaint_category":
            # Answering "which kind?": a yes takes the first suggestion, and words pointing to one of
            # the suggestions are enough even when NLU alone would not be sure.
            started = report_start_message(tracker)
            offered = likeliest_categories(started) if started else []
            if latest_intent(tracker) == "affirm" and offered:
                return {"complaint_category": offered[0]}
            if code and code in offered:
                return {"complaint_category": code}
        return {"complaint_category": None}

    async def validate_complaint_category(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value and await category_or_none(Portal(), value) is not None:
            return {"complaint_category": value}
        return {"complaint_category": None}

    # --- description ----------------------------------------------------------------------------

    async def extract_complaint_description(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        requested, text = tracker.get_slot("requested_slot"), latest_text(tracker)
        if interrupted(tracker) or (delivery(tracker) and requested != "complaint_description"):
            return {}
        if delivery(tracker):
            return {"complaint_description": None}  # photos or a location instead: asked again
        if requested is None:
            # The report starts: the resident's own words are the description, when they say enough.
            if is_payload(text):
                # Started by a suggested category's button: the words were the message before.
                earlier = latest_report_message(tracker, just_before=True)
                text = earlier["text"] if earlier else ""
            return {"complaint_description": text} if visible_chars(text) >= FIRST_MESSAGE_MIN_CHARS else {}
        if requested == "complaint_description":
            return {"complaint_description": "" if is_payload(text) else text}
        return {}

    def validate_complaint_description(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if not isinstance(value, str) or visible_chars(value) < ANSWER_MIN_CHARS:
            if isinstance(value, str):
                dispatcher.utter_message(response="utter_description_too_short")
            return {"complaint_description": None}
        return {"complaint_description": value.strip()[:DESCRIPTION_MAX_CHARS]}

    # --- location -------------------------------------------------------------------------------

    async def extract_complaint_location(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if interrupted(tracker):
            return {}
        requested, kind = tracker.get_slot("requested_slot"), delivery(tracker)
        if kind == "location":
            # Shared from the widget at any point of the report.
            point = shared_point(tracker)
            if point:
                return {"complaint_location": {"address": "", **point}}
            return {"complaint_location": {"address": ""}} if requested == "complaint_location" else {}
        if requested != "complaint_location":
            return {}
        if kind or latest_intent(tracker) == "send_photos":
            return {"complaint_location": None}  # photos instead (or words about them): asked again
        if latest_intent(tracker) == "share_location":
            return {"complaint_location": {"address": ""}}  # "여기예요" typed: no point came with it
        text = latest_text(tracker)
        return {"complaint_location": {"address": "" if is_payload(text) else text}}

    def validate_complaint_location(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if isinstance(value, dict) and value.get("latitude") is not None and value.get("longitude") is not None:
            return {"complaint_location": value}
        address = (value or {}).get("address", "").strip() if isinstance(value, dict) else ""
        if visible_chars(address) >= 2:
            return {"complaint_location": {"address": address[:ADDRESS_MAX_CHARS], "latitude": None, "longitude": None}}
        if isinstance(value, dict):
            dispatcher.utter_message(response="utter_location_not_received")
        return {"complaint_location": None}

    # --- the category's own questions -----------------------------------------------------------

    async def extract_category_answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if interrupted(tracker) or tracker.get_slot("requested_slot") != "category_answer":
            return {}
        return {"category_answer": None if delivery(tracker) else latest_text(tracker)}

    async def validate_category_answer(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        portal = Portal()
        question = await pending_question(portal, tracker)
        if question is None or value is None:
            return {"category_answer": None}
        other_language = "ko" if language(tracker) == "en" else "en"
        other = next(
            (
                q
                for q in await required_questions(portal, tracker.get_slot("complaint_category"), other_language)
                if q.get("code") == question.get("code")
            ),
            {},
        )
        answer = answer_for(question, other.get("values", []), value or "")
        if answer is None:
            dispatcher.utter_message(response="utter_category_answer_invalid")
            return {"category_answer": None}
        attributes = {**(tracker.get_slot("complaint_attributes") or {}), question["code"]: answer}
        # Cleared again: the next required question, if any, is asked through the same slot.
        return {"complaint_attributes": attributes, "category_answer": None}

    # --- a similar open case nearby ---------------------------------------------------------------

    async def extract_follow_similar(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if interrupted(tracker) or tracker.get_slot("requested_slot") != "follow_similar":
            return {}
        if delivery(tracker):
            return {"follow_similar": None}
        numbers = [case["number"] for case in tracker.get_slot("similar_cases") or []]
        chosen = case_number_in(latest_text(tracker), latest(tracker).get("entities"))
        intent = latest_intent(tracker)
        if chosen in numbers:
            return {"follow_similar": chosen}
        if intent in ("deny", "skip"):
            return {"follow_similar": NEW_REPORT}
        if intent == "affirm" and len(numbers) == 1:
            return {"follow_similar": numbers[0]}
        return {"follow_similar": None}

    def validate_follow_similar(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return {"follow_similar": value or None}

    # --- photos ---------------------------------------------------------------------------------

    async def extract_complaint_photos(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if interrupted(tracker):
            return {}
        requested, kind = tracker.get_slot("requested_slot"), delivery(tracker)
        if kind == "photos":
            # Sent from the widget at any point of the report; the portal already holds them.
            new = shared_photos(tracker)
            if not new:
                return {"complaint_photos": None} if requested == "complaint_photos" else {}
            photos = merged_photos(tracker.get_slot("complaint_photos"), new)
            dispatcher.utter_message(response="utter_photos_received", count=len(photos))
            return {"complaint_photos": photos}
        if requested != "complaint_photos":
            return {}
        if kind:
            return {"complaint_photos": None}  # a location instead: asked again
        if latest_intent(tracker) in ("skip", "deny"):
            return {"complaint_photos": list(tracker.get_slot("complaint_photos") or [])}
        return {"complaint_photos": None}

    def validate_complaint_photos(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return {"complaint_photos": list(value)[:MAX_PHOTOS] if isinstance(value, list) else None}

    # --- contact, with consent --------------------------------------------------------------------

    async def extract_contact_consent(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if interrupted(tracker) or tracker.get_slot("requested_slot") != "contact_consent":
            return {}
        intent = "" if delivery(tracker) else latest_intent(tracker)
        if intent == "affirm":
            return {"contact_consent": True}
        if intent in ("deny", "skip"):
            return {"contact_consent": False}
        # Only an explicit yes to the purpose shown is consent; anything else asks again.
        return {"contact_consent": None}

    def validate_contact_consent(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is False:
            return {"contact_consent": False, "contact_details": None}
        return {"contact_consent": True if value is True else None}

    async def extract_contact_details(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if interrupted(tracker) or tracker.get_slot("requested_slot") != "contact_details":
            return {}
        if delivery(tracker):
            return {"contact_details": None}
        text = latest_text(tracker)
        found = {} if is_payload(text) else contact_in(text)
        if not found and latest_intent(tracker) in ("deny", "skip"):
            return {"contact_details": {"declined": True}}
        return {"contact_details": found}

    def validate_contact_details(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if isinstance(value, dict) and value.get("declined"):
            return {"contact_consent": False, "contact_details": None}  # changed their mind: anonymous
        if isinstance(value, dict) and (value.get("phone") or value.get("email")):
            return {"contact_details": {key: value[key] for key in ("phone", "email") if value.get(key)}}
        if value is not None:
            dispatcher.utter_message(response="utter_contact_details_invalid")
        return {"contact_details": None}

    # --- the summary --------------------------------------------------------------------------------

    async def extract_complaint_confirmed(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if interrupted(tracker) or tracker.get_slot("requested_slot") != "complaint_confirmed":
            return {}
        if delivery(tracker):
            return {"complaint_confirmed": None}
        intent, part = latest_intent(tracker), correctable_part(latest_text(tracker))
        if part:
            return {"complaint_confirmed": f"change:{part}"}
        # Filing needs a yes NLU is sure of (not one read past the fallback).
        if intent == "affirm":
            return {"complaint_confirmed": True}
        if intent == "deny":
            return {"complaint_confirmed": "change"}
        # Anything else shows the summary again (also from the "what to change?" question).
        return {"complaint_confirmed": "summary"}

    def validate_complaint_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is True:
            return {"complaint_confirmed": True, "correcting": False}
        if value == "change":
            return {"complaint_confirmed": None, "correcting": True}
        if isinstance(value, str) and value.startswith("change:"):
            # The part is cleared, so the form asks it again, then shows the summary again.
            return {**CORRECTION_RESETS[value.split(":", 1)[1]], "complaint_confirmed": None, "correcting": False}
        if value == "summary":
            return {"complaint_confirmed": None, "correcting": False}
        return {"complaint_confirmed": None}


# --- Questions the form asks with data from the portal ---------------------------------------------


async def category_buttons(portal: Portal, codes: list[str], language: str) -> list[dict[str, str]]:
    """The likeliest categories as buttons, and one for anything else."""
    try:
        categories = await portal.categories()
    except PortalError:
        return []
    buttons = [
        {"title": texts.named(language, categories[code]), "payload": f"/{intent_of_category(code)}"}
        for code in codes
        if code in categories
    ]
    if "other" in categories and "other" not in codes:
        buttons.append({"title": texts.word(language, "something_else"), "payload": "/report_other"})
    return buttons


class ActionAskComplaintCategory(Action):
    def name(self) -> str:
        return "action_ask_complaint_category"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        message = report_start_message(tracker)
        codes = likeliest_categories(message) if message else []
        dispatcher.utter_message(
            response="utter_ask_complaint_category", buttons=await category_buttons(Portal(), codes, language(tracker))
        )
        return []


class ActionAskComplaintDescription(Action):
    def name(self) -> str:
        return "action_ask_complaint_description"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        category = await category_or_none(Portal(), tracker.get_slot("complaint_category")) or {}
        dispatcher.utter_message(
            response="utter_ask_complaint_description", category_name=texts.named(language(tracker), category)
        )
        return []


class ActionAskCategoryAnswer(Action):
    def name(self) -> str:
        return "action_ask_category_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        question = await pending_question(Portal(), tracker)
        if question is not None:
            # A choice's button sends its name: typed or tapped, the answer reads the same.
            buttons = [{"title": value["name"], "payload": value["name"]} for value in question.get("values", [])]
            dispatcher.utter_message(
                response="utter_category_question", question=question.get("description", ""), buttons=buttons
            )
        return []


def similar_case_line(case: dict, language: str) -> str:
    parts = [case["number"], texts.status_label(language, case.get("status", ""))]
    if case.get("distance_m") is not None:
        parts.append(texts.word(language, "metres", distance=case["distance_m"]))
    if case.get("description"):
        parts.append(case["description"][:60])
    return "• " + " · ".join(parts)


class ActionAskFollowSimilar(Action):
    def name(self) -> str:
        return "action_ask_follow_similar"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        lang = language(tracker)
        similar = tracker.get_slot("similar_cases") or []
        by_distance = any(case.get("distance_m") is not None for case in similar)
        dong = next((case["dong"] for case in similar if case.get("dong")), "")
        where = texts.word(lang, "nearby") if by_distance or not dong else texts.word(lang, "in_dong", dong=dong)
        buttons = [
            {"title": texts.word(lang, "follow", number=case["number"]), "payload": case["number"]} for case in similar
        ]
        buttons.append({"title": texts.word(lang, "file_new"), "payload": "/deny"})
        dispatcher.utter_message(
            response="utter_similar_cases",
            where=where,
            cases="\n".join(similar_case_line(case, lang) for case in similar),
            buttons=buttons,
        )
        return []


class ActionAskContactConsent(Action):
    def name(self) -> str:
        return "action_ask_contact_consent"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        lang = language(tracker)
        dispatcher.utter_message(response="utter_ask_contact_consent", purpose=texts.CONSENT_PURPOSE[lang])
        return []


def location_text(location: Any, language: str) -> str:
    if not isinstance(location, dict):
        return "-"
    if location.get("latitude") is not None and location.get("longitude") is not None:
        point = f"({location['latitude']:.5f}, {location['longitude']:.5f})"
        return f"{texts.word(language, 'shared_location')} {point}"
    return location.get("address") or "-"


def question_label(question: str) -> str:
    """A category question as a summary label: "차량 번호 (예: 12가3456)" -> "차량 번호"."""
    return re.sub(r"\s*\(.*?\)", "", question).strip().rstrip("?？").strip() or question


async def answers_text(portal: Portal, tracker: Tracker, language: str) -> str:
    """The category questions and their answers as summary lines, in the resident's language."""
    attributes = tracker.get_slot("complaint_attributes") or {}
    code = tracker.get_slot("complaint_category")
    if not attributes or not code:
        return ""
    try:
        questions = {q["code"]: q for q in await portal.category_questions(code, language)}
    except PortalError:
        questions = {}
    lines = []
    for key, answer in attributes.items():
        question = questions.get(key, {})
        names = {value["key"]: value["name"] for value in question.get("values", [])}
        shown = ", ".join(names.get(a, a) for a in answer) if isinstance(answer, list) else names.get(answer, answer)
        lines.append(f"\n• {question_label(question.get('description') or key)}: {shown}")
    return "".join(lines)


class ActionAskComplaintConfirmed(Action):
    """The summary to confirm, or, when the resident wants to change something, what to change."""

    def name(self) -> str:
        return "action_ask_complaint_confirmed"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        portal, lang = Portal(), language(tracker)
        code = tracker.get_slot("complaint_category")
        if tracker.get_slot("correcting"):
            parts = ["category", "description"]
            if await needs_location(portal, code):
                parts.append("location")
            if tracker.get_slot("complaint_attributes"):
                parts.append("answers")
            parts += ["photos", "contact"]
            buttons = [
                {"title": texts.CORRECTABLE_PARTS[part][lang], "payload": texts.CORRECTABLE_PARTS[part][lang]}
                for part in parts
            ]
            dispatcher.utter_message(response="utter_ask_correction", buttons=buttons)
            return []
        description = tracker.get_slot("complaint_description") or ""
        if len(description) > SUMMARY_DESCRIPTION_CHARS:
            description = description[:SUMMARY_DESCRIPTION_CHARS] + "…"
        photos = tracker.get_slot("complaint_photos") or []
        contact = tracker.get_slot("contact_details") or {}
        given = tracker.get_slot("contact_consent") and contact
        dispatcher.utter_message(
            response="utter_report_summary",
            category_name=texts.named(lang, await category_or_none(portal, code) or {}) or code,
            description=description,
            location=location_text(tracker.get_slot("complaint_location"), lang),
            answers=await answers_text(portal, tracker, lang),
            photos=texts.word(lang, "photo_count", count=len(photos)) if photos else texts.word(lang, "no_photos"),
            contact=", ".join(contact.values()) if given else texts.word(lang, "anonymous"),
        )
        return []


# --- Filing ------------------------------------------------------------------------------------------


def complaint_body(tracker: Tracker, language: str) -> dict[str, Any]:
    """The report as the portal's POST /api/v1/complaints/ takes it."""
    location = tracker.get_slot("complaint_location") or {}
    body: dict[str, Any] = {
        "category": tracker.get_slot("complaint_category"),
        "description": tracker.get_slot("complaint_description"),
        "channel": "chat",
        "language": language,
        "attributes": tracker.get_slot("complaint_attributes") or {},
        "photos": tracker.get_slot("complaint_photos") or [],
    }
    if location.get("latitude") is not None and location.get("longitude") is not None:
        body.update(latitude=location["latitude"], longitude=location["longitude"])
    if location.get("address"):
        body["address"] = location["address"]
    contact = tracker.get_slot("contact_details") or {}
    if tracker.get_slot("contact_consent") and contact:
        # Kept by the portal with the purpose it registered for the bot (the text shown, in Korean).
        body["contact"] = contact
    if conversation := portal_conversation(tracker.sender_id):
        body["conversation"] = conversation
    return body


def portal_conversation(sender_id: str | None) -> str | None:
    """The portal's conversation id, when the message came through the portal's chat (its sender is
    the conversation's uuid): the portal then tells the resident the case number itself if Rasa
    dies before this answer reaches them. Other senders (curl, tests) have none."""
    try:
        return str(uuid.UUID(sender_id or ""))
    except ValueError:
        return None


async def department_name(portal: Portal, category_code: str, language: str) -> str:
    try:
        department = (await portal.categories())[category_code]["department"]
        row = next(row for row in await portal.departments() if row["code"] == department)
    except (PortalError, KeyError, StopIteration):
        return texts.word(language, "the_department")
    return texts.named(language, row)


class ActionSubmitComplaint(Action):
    """Runs when complaint_form is done: files the report, or points to the case the resident
    chose to follow instead."""

    def name(self) -> str:
        return "action_submit_complaint"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        portal, lang = Portal(), language(tracker)
        follow = tracker.get_slot("follow_similar")
        if follow and follow != NEW_REPORT:
            case = next((c for c in tracker.get_slot("similar_cases") or [] if c["number"] == follow), {})
            if case.get("public"):
                url = portal.public_link(f"/{lang}/complaints/cases/{follow}/")
                dispatcher.utter_message(response="utter_following_public_case", number=follow, url=url)
            else:
                dispatcher.utter_message(response="utter_following_private_case", number=follow)
            return report_reset_events()
        if tracker.get_slot("complaint_confirmed") is not True:
            dispatcher.utter_message(response="utter_report_cancelled")
            return report_reset_events()
        form_url = portal.public_link(f"/{lang}/complaints/report/")
        try:
            created = await portal.complaint_file(complaint_body(tracker, lang), lang)
        except PortalError as error:
            logger.warning("report not filed: %s %s", error, error.detail)
            if error.status in (400, 404):
                reason = error_detail_text(error.detail)
                dispatcher.utter_message(response="utter_report_refused", reason=reason, form_url=form_url)
            else:
                dispatcher.utter_message(response="utter_report_not_filed_unreachable", form_url=form_url)
            return report_reset_events()
        dispatcher.utter_message(
            response="utter_report_filed",
            number=created["number"],
            department=await department_name(portal, tracker.get_slot("complaint_category"), lang),
            due_date=texts.date_text(lang, created["due_date"]),
            tracking_url=created["tracking_url"],
        )
        last_case = {
            "number": created["number"],
            "token": created["tracking_token"],
            "tracking_url": created["tracking_url"],
            "due_date": created["due_date"],
        }
        return [*report_reset_events(), SlotSet("last_case", last_case)]


# --- Starting, stopping, and what arrives outside a report ----------------------------------------


class ActionResetReport(Action):
    """Before a new report: nothing of an earlier one is left, except a location or photos the
    resident sent just before saying what is wrong."""

    def name(self) -> str:
        return "action_reset_report"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        events = report_reset_events()
        pending_location, pending_photos = tracker.get_slot("pending_location"), tracker.get_slot("pending_photos")
        if pending_location:
            events.append(SlotSet("complaint_location", pending_location))
        if pending_photos:
            events.append(SlotSet("complaint_photos", pending_photos))
        return events


class ActionCancel(Action):
    """Stops whatever the bot was asking (a report, a status check); nothing is filed."""

    def name(self) -> str:
        return "action_cancel"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        active = (tracker.active_loop or {}).get("name")
        if active == "complaint_form":
            dispatcher.utter_message(response="utter_report_cancelled")
        else:
            dispatcher.utter_message(response="utter_anything_else")
        return [
            ActiveLoop(None),
            SlotSet("requested_slot", None),
            *report_reset_events(),
            SlotSet("case_number", None),
            SlotSet("status_proof", None),
        ]


class ActionReceivePhotos(Action):
    """Photos sent before any report: kept for the report that follows."""

    def name(self) -> str:
        return "action_receive_photos"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        photos = merged_photos(tracker.get_slot("pending_photos"), shared_photos(tracker))
        if not photos:
            dispatcher.utter_message(response="utter_anything_else")
            return []
        dispatcher.utter_message(response="utter_photos_kept", count=len(photos))
        return [SlotSet("pending_photos", photos)]


class ActionReceiveLocation(Action):
    """A location shared before any report: kept for the report that follows."""

    def name(self) -> str:
        return "action_receive_location"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        point = shared_point(tracker)
        if point is None:
            dispatcher.utter_message(response="utter_location_not_received")
            return []
        dispatcher.utter_message(response="utter_location_kept")
        return [SlotSet("pending_location", {"address": "", **point})]


class ActionSuggestCategories(Action):
    """NLU could not place the message. If it looks most like a complaint, the likeliest categories
    are offered as buttons; otherwise the resident is asked to say it another way."""

    def name(self) -> str:
        return "action_suggest_categories"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        message = latest(tracker)
        ranking = [entry for entry in message.get("intent_ranking") or [] if entry.get("name") != "nlu_fallback"]
        best = ranking[0] if ranking else {}
        if category_of_intent(best.get("name")) and float(best.get("confidence") or 0) >= SUGGESTION_FLOOR:
            buttons = await category_buttons(Portal(), likeliest_categories(message), language(tracker))
            if buttons:
                dispatcher.utter_message(response="utter_category_suggestions", buttons=buttons)
                return []
        dispatcher.utter_message(response="utter_default")
        return []
