"""Reads for the chat: a conversation from the id the browser keeps, and its transcript."""

from typing import Any

from django.conf import settings

from apps.chat.ids import conversation_id_unsign
from apps.chat.models import Conversation, Message
from apps.complaints.models import ApiClient
from apps.municipalities.models import Municipality

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
