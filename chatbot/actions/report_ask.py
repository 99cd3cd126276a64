"""The questions complaint_form asks with data from the portal: which category, the category's own
questions, a similar open case nearby, consent to contact, and the summary to confirm."""

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import texts
from actions.conversation import language, likeliest_categories, report_start_message
from actions.portal import Portal, PortalError
from actions.report_common import category_buttons, category_or_none, needs_location, pending_question

SUMMARY_DESCRIPTION_CHARS = 300


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
