import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.complaints.models import Complaint
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
    # Set when the bot did not answer the resident's latest message; cleared by their next one.
    bot_failed_at = models.DateTimeField(null=True, blank=True)

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


class FiledCase(models.Model):
    """A case the bot filed in a conversation, as the portal saw it filed (the chatbot's API call
    names the conversation), so that the portal itself tells the resident its number and tracking
    link when the bot could not (Rasa died between filing and answering)."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="filed_cases")
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="+")
    # The reporter's private link: its token is stored nowhere else in the clear. Deleted with the
    # conversation's transcript (CHAT_RETENTION_DAYS), like the bot's message that carries it.
    tracking_url = models.URLField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # When the resident was told the number, by the bot's answer or by the portal; null until then.
    told_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("case filed in a chat")
        verbose_name_plural = _("cases filed in chats")
        constraints = [models.UniqueConstraint(fields=["conversation", "complaint"], name="chat_filed_case_once")]

    def __str__(self) -> str:
        return f"{self.conversation} {self.complaint_id}"
