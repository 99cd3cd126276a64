"""Reads for the chat: a conversation from the id the browser keeps, its transcript, and the report
the resident was telling the bot."""

import logging
import sqlite3
from typing import Any

from django.conf import settings
from django.db import DatabaseError

from apps.chat import tracker_store
from apps.chat.ids import conversation_id_unsign
from apps.chat.models import Conversation, Message
from apps.complaints.models import ApiClient
from apps.municipalities.models import Municipality

logger = logging.getLogger(__name__)

# Enough to pick a conversation up again after a page load; older lines stay in the database.
TRANSCRIPT_LENGTH = 100


def conversation_for_signed_id(signed: object) -> Conversation | None:
    """The conversation a browser holds the signed id of; None for a forged, garbled or expired id."""
    conversation_uuid = conversation_id_unsign(signed)
    if conversation_uuid is None:
        return None
    return Conversation.objects.filter(uuid=conversation_uuid).select_related("municipality").first()


def message_as_json(message: Message) -> dict[str, Any]:
    """A line of the transcript as the widget draws it; a resident's location and photo ids stay out."""
    line: dict[str, Any] = {"sender": message.sender, "text": message.text, "created": message.created_at.isoformat()}
    if message.sender == Message.Sender.BOT:
        line.update(
            buttons=message.payload.get("buttons", []),
            image=message.payload.get("image"),
            custom=message.payload.get("custom"),
        )
    return line


def conversation_transcript(*, conversation: Conversation, limit: int = TRANSCRIPT_LENGTH) -> list[dict[str, Any]]:
    """The latest messages of the conversation, oldest first."""
    latest = list(conversation.messages.order_by("-created_at", "-pk")[:limit])
    return [message_as_json(message) for message in reversed(latest)]


def chatbot_api_client(*, municipality: Municipality) -> ApiClient | None:
    """The API client the chatbot files cases as: photos sent in the chat must belong to it."""
    return ApiClient.objects.filter(
        municipality=municipality, name=settings.CHATBOT_API_CLIENT_NAME, is_active=True
    ).first()


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def conversation_report_so_far(*, conversation: Conversation, unanswered: str) -> dict[str, str]:
    """The report form's fields (description, category, address, latitude, longitude) filled with
    what the resident has told the bot so far, read from Rasa's tracker store while Rasa is down.
    `unanswered` is the message the bot did not answer: the answer to the question the bot had
    asked (a description, a place), or, with no report under way, the description itself. Never a
    "네" or a phone number taken for the description."""
    try:
        slots = tracker_store.conversation_slots(str(conversation.uuid))
    except (DatabaseError, sqlite3.Error) as error:
        logger.warning("chat: Rasa's tracker store could not be read: %s", error)
        slots = {}
    category, description = slots.get("complaint_category"), slots.get("complaint_description")
    asked = slots.get("requested_slot")
    if not (category or description or asked == "complaint_description"):
        return {"description": unanswered}
    fields = {"category": category} if isinstance(category, str) and category else {}
    if isinstance(description, str) and description.strip():
        fields["description"] = description
    elif asked == "complaint_description":
        fields["description"] = unanswered
    location = slots.get("complaint_location")
    location = location if isinstance(location, dict) else {}
    if isinstance(location.get("address"), str) and location["address"]:
        fields["address"] = location["address"]
    elif asked == "complaint_location":
        fields["address"] = unanswered
    if _number(location.get("latitude")) and _number(location.get("longitude")):
        fields.update(latitude=str(location["latitude"]), longitude=str(location["longitude"]))
    return fields
