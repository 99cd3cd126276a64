import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.municipalities.models import Municipality


class Conversation(models.Model):
    """One resident's chat with the assistant, from the widget on the portal's pages.

    The transcript is personal data (개인정보 보호법): it is kept for CHAT_RETENTION_DAYS and then
    deleted by Celery, and no staff page shows it. What a case needs, the bot files with the case.
    """

    # The public id: Rasa's sender id, and (signed) what the browser keeps to come back to it.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=10, default="ko")
    created_at = models.DateTimeField(auto_now_add=True)
    last_activity_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("chat conversation")
        verbose_name_plural = _("chat conversations")

    def __str__(self) -> str:
        return str(self.uuid)


class Message(models.Model):
    """One message of a conversation, stored before it is relayed so a crash of the bot loses nothing."""

    class Sender(models.TextChoices):
        RESIDENT = "resident", _("Resident")
        BOT = "bot", _("Assistant")

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(max_length=10, choices=Sender.choices)
    text = models.TextField(blank=True)
    # A resident's button payload and metadata (location, photo ids); a bot's buttons, image, custom.
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("chat message")
        verbose_name_plural = _("chat messages")
        ordering = ["created_at", "pk"]
        # The transcript a returning browser is sent: a conversation's latest messages.
        indexes = [models.Index(fields=["conversation", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.conversation} {self.sender} {self.created_at:%Y-%m-%d %H:%M}"
