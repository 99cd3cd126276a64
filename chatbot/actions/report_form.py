"""complaint_form: a complaint (민원 신고) in the resident's own words, up to the confirmed summary.

complaint_form asks only what the category needs, in this order: the category (when NLU is
unsure), a description (when the first message was too short), the location (categories that
need one), the category's required questions (its Open311 attributes), whether to follow a similar
open case nearby, photos, contact with consent, and a summary to confirm or correct. Every message
while the form is active is taken as the answer to the question asked, except "cancel" and
"talk to a person", which the form rejects so that their rules run.
"""

from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT
from rasa_sdk.types import DomainDict

from actions import texts
from actions.conversation import (
    case_number_in,
    category_is_clear,
    category_of_intent,
    contact_in,
    interrupted,
    is_payload,
    language,
    latest,
    latest_intent,
    latest_report_message,
    latest_text,
    likeliest_categories,
    report_start_message,
)
from actions.portal import Portal, PortalError
from actions.report_common import (
    MAX_PHOTOS,
    NEW_REPORT,
    category_or_none,
    delivery,
    merged_photos,
    needs_location,
    pending_question,
    required_questions,
    shared_photos,
    shared_point,
)

# The first message is kept as the description when it says this much (characters, spaces aside).
FIRST_MESSAGE_MIN_CHARS = 8
ANSWER_MIN_CHARS = 3
DESCRIPTION_MAX_CHARS = 4000
ADDRESS_MAX_CHARS = 300
SIMILAR_SHOWN = 3
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


def visible_chars(text: str) -> int:
    return len("".join((text or "").split()))


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
