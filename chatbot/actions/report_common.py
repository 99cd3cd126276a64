"""What the parts of a report share: its slots, what the widget delivered with a message, and the
portal's categories and their questions."""

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions import texts
from actions.conversation import intent_of_category, language, latest_metadata, latest_text
from actions.portal import Portal, PortalError

NEW_REPORT = "new"
MAX_PHOTOS = 5
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
