from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from apps.complaints import services
from apps.complaints.exports import complaints_export_write
from apps.complaints.models import Notification
from apps.complaints.notifications import notification_send, notifications_claimable
from apps.municipalities.models import Municipality

MAX_ATTEMPTS = 5


@shared_task
def send_notification(notification_id: int) -> bool:
    return notification_send(notification_id)


@shared_task
def send_pending_notifications() -> int:
    """Sends what was never queued (the broker was down), failed, or was left "sending" by a worker
    that died mid-send, a minute on; returns how many went."""
    now = timezone.now()
    due = Notification.objects.filter(
        notifications_claimable(now), attempts__lt=MAX_ATTEMPTS, created_at__lte=now - timedelta(minutes=1)
    ).values_list("pk", flat=True)
    return sum(notification_send(pk) for pk in list(due[:500]))


@shared_task
def send_deadline_reminders() -> int:
    return services.deadline_reminders_send(today=timezone.localdate())


@shared_task
def export_complaints() -> list[str]:
    """The de-identified complaints file of every city (open data publishes it:
    apps.opendata.tasks.publish_complaints_export)."""
    today = timezone.localdate()
    return [str(complaints_export_write(municipality=city, today=today)) for city in Municipality.objects.all()]


@shared_task
def delete_unattached_photos() -> int:
    return services.photos_delete_unattached()
