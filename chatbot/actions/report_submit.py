"""Filing the report once complaint_form is done, or pointing to the case the resident chose to follow."""

import logging
import uuid
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import texts
from actions.conversation import language
from actions.portal import Portal, PortalError, error_detail_text
from actions.report_common import NEW_REPORT, report_reset_events

logger = logging.getLogger(__name__)


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
