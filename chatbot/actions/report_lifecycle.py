"""Starting and stopping a report, and what the resident sends before one (photos, a location, words
NLU could not place)."""

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import SUGGESTION_FLOOR, category_of_intent, language, latest, likeliest_categories
from actions.portal import Portal
from actions.report_common import category_buttons, merged_photos, report_reset_events, shared_photos, shared_point


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
