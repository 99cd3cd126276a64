"""Writes for the chat transcript: what residents and the bot said, what the portal says itself
(a case the bot filed but could not announce), and its deletion when it expires."""

import logging
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.chat import selectors, tracker_store
from apps.chat.bot import BotReply
from apps.chat.models import Conversation, FiledCase, Message
from apps.chat.protocol import LANGUAGES
from apps.complaints.models import ApiClient, Complaint
from apps.municipalities.models import Municipality

logger = logging.getLogger(__name__)


def conversation_group(conversation_uuid: uuid.UUID) -> str:
    """The channel layer group of the widgets open on a conversation."""
    return f"chat.{conversation_uuid.hex}"


def conversation_start(*, municipality: Municipality, language: str) -> Conversation:
    return Conversation.objects.create(municipality=municipality, language=language)


def _touch(conversation: Conversation, now) -> None:
    conversation.last_activity_at = now
    Conversation.objects.filter(pk=conversation.pk).update(last_activity_at=now)


@transaction.atomic
def message_record_from_resident(
    *, conversation: Conversation, text: str, payload: str = "", metadata: dict[str, Any] | None = None
) -> Message:
    """Stores what the resident sent, before it goes to the bot: if the bot fails, it is still here."""
    now = timezone.now()
    stored = {key: value for key, value in (("payload", payload), ("metadata", metadata)) if value}
    message = Message.objects.create(
        conversation=conversation, sender=Message.Sender.RESIDENT, text=text, payload=stored, created_at=now
    )
    # A new turn: whether the bot answers it is not known yet.
    conversation.last_activity_at, conversation.bot_failed_at = now, None
    Conversation.objects.filter(pk=conversation.pk).update(last_activity_at=now, bot_failed_at=None)
    return message


@transaction.atomic
def message_record_from_bot(*, conversation: Conversation, replies: Sequence[BotReply]) -> list[Message]:
    """Stores the bot's replies to one message, together or not at all. When the resident asked the
    bot for the other language, the conversation takes it: the portal's own messages (errors, a case
    told after the bot failed) follow the bot's language. Returns the messages stored: those the widget shows."""
    now = timezone.now()
    messages = Message.objects.bulk_create(
        Message(
            conversation=conversation,
            sender=Message.Sender.BOT,
            text=reply.text,
            payload={key: value for key, value in reply.as_json().items() if key != "text" and value},
            created_at=now,
        )
        for reply in replies
        if reply.shows_anything
    )
    if language := next((reply.language for reply in replies if reply.language), None):
        conversation.language = language
        Conversation.objects.filter(pk=conversation.pk).update(language=language)
    _touch(conversation, now)
    # The bot answered the turn in which it filed: its answer gave the number and the link.
    FiledCase.objects.filter(conversation=conversation, told_at__isnull=True).update(told_at=now)
    return messages


def _case_filed_text(filed: FiledCase) -> str:
    language = filed.complaint.language if filed.complaint.language in LANGUAGES else filed.conversation.language
    with translation.override(language):
        return _("Your report has been filed as case %(number)s. You can follow it with this private link: %(url)s") % {
            "number": filed.complaint.number,
            "url": filed.tracking_url,
        }


def _tell(conversation: Conversation, filed_cases: Sequence[FiledCase], now: datetime) -> list[Message]:
    """Says in the conversation, as the assistant, the number and link of each case."""
    messages = Message.objects.bulk_create(
        Message(conversation=conversation, sender=Message.Sender.BOT, text=_case_filed_text(filed), created_at=now)
        for filed in filed_cases
    )
    FiledCase.objects.filter(pk__in=[filed.pk for filed in filed_cases]).update(told_at=now)
    _touch(conversation, now)
    return messages


def _push(conversation: Conversation, messages: Sequence[Message]) -> None:
    """Sends messages to the widgets open on the conversation. Without a channel layer (Redis down)
    they are in the transcript all the same, shown when the page is next loaded."""
    replies = [BotReply(text=message.text).as_json() for message in messages]
    try:
        async_to_sync(get_channel_layer().group_send)(
            conversation_group(conversation.uuid), {"type": "chat.bot", "messages": replies}
        )
    except Exception as error:  # noqa: BLE001 - the message is stored; only the live push failed
        logger.warning("chat: could not push to conversation %s: %s", conversation.uuid, error)


@transaction.atomic
def conversation_bot_failed(*, conversation: Conversation) -> list[Message]:
    """Notes that the bot did not answer the resident's latest message, and tells the conversation
    of every case the bot filed in it but did not announce (Rasa died after filing). Returns those
    messages, already stored. A case filed later in the same turn is told when it arrives
    (conversation_case_filed); the row lock orders the two."""
    now = timezone.now()
    locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
    locked.bot_failed_at = now
    locked.save(update_fields=["bot_failed_at"])
    untold = list(locked.filed_cases.filter(told_at__isnull=True).select_related("complaint", "conversation"))
    return _tell(locked, untold, now) if untold else []


@transaction.atomic
def conversation_case_filed(
    *, conversation_uuid: uuid.UUID, complaint: Complaint, tracking_url: str, client: ApiClient
) -> Message | None:
    """Links a case the chatbot filed to the conversation it was reported in. If the bot has already
    failed to answer that turn, the portal tells the resident the number and link itself, stored and
    pushed to the open widget; otherwise the bot's answer will (message_record_from_bot). Only the
    chatbot's own API client may name a conversation, and only one of its city; anything else is
    ignored (the case is filed all the same). Returns the message told, if any."""
    if client != selectors.chatbot_api_client(municipality=complaint.municipality):
        logger.warning("chat: API client %s named a conversation; only the chatbot may", client.pk)
        return None
    conversation = (
        Conversation.objects.select_for_update()
        .filter(uuid=conversation_uuid, municipality=complaint.municipality)
        .first()
    )
    if conversation is None:
        return None
    filed, _created = FiledCase.objects.select_related("complaint", "conversation").get_or_create(
        conversation=conversation, complaint=complaint, defaults={"tracking_url": tracking_url}
    )
    if conversation.bot_failed_at is None or filed.told_at is not None:
        return None
    [message] = _tell(conversation, [filed], timezone.now())
    transaction.on_commit(lambda: _push(conversation, [message]))
    return message


@transaction.atomic
def conversations_delete_expired(*, retention: timedelta) -> int:
    """Deletes every message older than the retention period, and the conversations left idle that
    long; returns how many conversations went. A conversation still going on keeps only its recent
    messages: each one is kept for the period from when it was said, not longer. Rasa's copy (the
    events of its tracker store) goes by the same rule."""
    cutoff = timezone.now() - retention
    tracker_store.events_delete_before(cutoff)
    Message.objects.filter(created_at__lt=cutoff).delete()
    FiledCase.objects.filter(created_at__lt=cutoff).delete()
    _, deleted = Conversation.objects.filter(last_activity_at__lt=cutoff).delete()
    return deleted.get(Conversation._meta.label, 0)
