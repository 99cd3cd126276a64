"""Talking to a person: the conversation becomes a case for the civil service team (the triage
desk), so a person reads it and answers within the deadline the portal sets."""

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import texts
from actions.conversation import language, transcript
from actions.portal import Portal, PortalError
from actions.report_common import report_reset_events
from actions.status import status_reset_events

# Routed by the portal's table to civil-affairs, the desk that takes what no other department owns.
HANDOFF_CATEGORY = "other"


class ActionHumanHandoff(Action):
    def name(self) -> str:
        return "action_human_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        lang = language(tracker)
        # Whatever the bot was asking stops here; the person reads it in the transcript.
        events: list[EventType] = [
            ActiveLoop(None),
            SlotSet("requested_slot", None),
            *report_reset_events(keep_pending=True),
            *status_reset_events(),
        ]
        earlier = tracker.get_slot("handoff_case")
        if earlier:
            dispatcher.utter_message(
                response="utter_handoff_already",
                number=earlier["number"],
                due_date=texts.date_text(lang, earlier["due_date"]),
                tracking_url=earlier["tracking_url"],
            )
            return events
        body = {
            "category": HANDOFF_CATEGORY,
            "description": f"{texts.word(lang, 'handoff_title')}\n\n{transcript(tracker, lang)}",
            "channel": "chat",
            "language": lang,
        }
        try:
            created = await Portal().complaint_file(body, lang)
        except PortalError:
            dispatcher.utter_message(response="utter_portal_unreachable")
            return events
        dispatcher.utter_message(
            response="utter_handoff_filed",
            number=created["number"],
            due_date=texts.date_text(lang, created["due_date"]),
            tracking_url=created["tracking_url"],
        )
        handoff = {key: created[key] for key in ("number", "due_date", "tracking_url")}
        return [*events, SlotSet("handoff_case", handoff)]
