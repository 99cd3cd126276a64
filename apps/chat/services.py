"""Writes for the chat transcript: what residents and the bot said, and its deletion when it expires."""

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from apps.chat.bot import BotReply
from apps.chat.models import Conversation, Message
from apps.municipalities.models import Municipality


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
    _touch(conversation, now)
    return message


@transaction.atomic
def message_record_from_bot(*, conversation: Conversation, replies: Sequence[BotReply]) -> list[Message]:
    """Stores the bot's replies to one message, together or not at all."""
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
    )
    _touch(conversation, now)
    return messages


@transaction.atomic
def conversations_delete_expired(*, retention: timedelta) -> int:
    """Deletes every message older than the retention period, and the conversations left idle that
    long; returns how many conversations went. A conversation still going on keeps only its recent
    messages: each one is kept for the period from when it was said, not longer."""
    cutoff = timezone.now() - retention
    Message.objects.filter(created_at__lt=cutoff).delete()
    _, deleted = Conversation.objects.filter(last_activity_at__lt=cutoff).delete()
    return deleted.get(Conversation._meta.label, 0)
