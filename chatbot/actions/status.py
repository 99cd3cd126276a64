"""Where a case stands (처리 상황), for the resident who can show it is theirs.

status_form asks for the case number and a proof: the tracking link (or its code) given at filing,
or the last four digits of the phone left with the case. A case filed in this same conversation
needs no proof. The portal checks the proof; wrong phone digits are limited per case there.
"""

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import texts
from actions.conversation import (
    case_number_in,
    interrupted,
    language,
    latest,
    latest_text,
    phone_digits_in,
    tracking_token_in,
)
from actions.portal import Portal, PortalError
from actions.report_common import category_or_none, delivery

STATUS_SLOTS = ["case_number", "status_proof"]


def status_reset_events() -> list[EventType]:
    return [SlotSet(slot, None) for slot in STATUS_SLOTS]


class ValidateStatusForm(FormValidationAction):
    def name(self) -> str:
        return "validate_status_form"

    async def extract_case_number(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if interrupted(tracker):
            return {}
        found = None if delivery(tracker) else case_number_in(latest_text(tracker), latest(tracker).get("entities"))
        if found:
            return {"case_number": found}
        return {"case_number": None} if tracker.get_slot("requested_slot") == "case_number" else {}

    def validate_case_number(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if not value:
            dispatcher.utter_message(response="utter_case_number_invalid")
        return {"case_number": value or None}

    async def extract_status_proof(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if interrupted(tracker):
            return {}
        requested, text = tracker.get_slot("requested_slot"), "" if delivery(tracker) else latest_text(tracker)
        last_case = tracker.get_slot("last_case") or {}
        if last_case.get("token") and last_case.get("number") == tracker.get_slot("case_number"):
            return {"status_proof": {"token": last_case["token"]}}  # filed in this conversation
        token = tracking_token_in(text)
        if token:
            return {"status_proof": {"token": token}}
        if requested != "status_proof":
            return {}
        digits = phone_digits_in(text)
        return {"status_proof": {"phone_last_digits": digits} if digits else None}

    def validate_status_proof(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if not isinstance(value, dict) or not (value.get("token") or value.get("phone_last_digits")):
            dispatcher.utter_message(response="utter_status_proof_invalid")
            return {"status_proof": None}
        return {"status_proof": value}


def latest_reply(timeline: list[dict]) -> str:
    messages = [event.get("message") for event in timeline if event.get("message")]
    return messages[-1] if messages else ""


class ActionCheckStatus(Action):
    def name(self) -> str:
        return "action_check_status"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        portal, lang = Portal(), language(tracker)
        number, proof = tracker.get_slot("case_number"), tracker.get_slot("status_proof") or {}
        try:
            if proof.get("token"):
                case = await portal.case_status_by_token(number, proof["token"], lang)
            else:
                case = await portal.case_status_by_phone(number, proof.get("phone_last_digits", ""), lang)
        except PortalError as error:
            if error.status == 404:
                dispatcher.utter_message(response="utter_case_not_found")
            elif error.status == 429:
                dispatcher.utter_message(response="utter_case_check_locked")
            else:
                dispatcher.utter_message(response="utter_portal_unreachable")
            return status_reset_events()
        category = await category_or_none(portal, case.get("category")) or {}
        dispatcher.utter_message(
            response="utter_case_status",
            number=case["number"],
            category_name=texts.named(lang, category) or case.get("category", ""),
            status=texts.status_label(lang, case.get("status", "")),
            due_date=texts.date_text(lang, case.get("due_date", "")),
            reply=latest_reply(case.get("timeline") or []) or texts.word(lang, "no_reply"),
        )
        if proof.get("token"):
            # Only whoever holds the code gets the link; the phone digits never lead to it.
            url = portal.public_link(f"/{lang}/complaints/track/{number}/?token={proof['token']}")
            dispatcher.utter_message(response="utter_case_tracking_link", tracking_url=url)
        return status_reset_events()
