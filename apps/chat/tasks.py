from datetime import timedelta

from celery import shared_task
from django.conf import settings

from apps.chat import services


@shared_task
def delete_expired_chats() -> int:
    """The transcript is personal data: kept CHAT_RETENTION_DAYS, then deleted (daily, from beat)."""
    return services.conversations_delete_expired(retention=timedelta(days=settings.CHAT_RETENTION_DAYS))
