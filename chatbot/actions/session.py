"""A new session (after an hour of silence) keeps the language and the cases filed in the
conversation, and drops anything half-asked: a report started yesterday must not be filed today
with yesterday's answers."""

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

CARRIED_OVER_SLOTS = ("language", "last_case", "handoff_case")


class ActionSessionStart(Action):
    def name(self) -> str:
        return "action_session_start"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        carried = [SlotSet(slot, tracker.get_slot(slot)) for slot in CARRIED_OVER_SLOTS if tracker.get_slot(slot)]
        return [SessionStarted(), *carried, ActionExecuted("action_listen")]
