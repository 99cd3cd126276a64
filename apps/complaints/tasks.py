from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from apps.complaints.models import Notification
from apps.complaints.notifications import notification_send

MAX_ATTEMPTS = 5


@shared_task
def send_notification(notification_id: int) -> bool:
    return notification_send(notification_id)


@shared_task
def send_pending_notifications() -> int:
    """Sends what was never queued (the broker was down) or failed, a minute on; returns how many went.

    A notification left "sending" by a worker that died mid-send is not retried: it may have gone out.
    """
    due = Notification.objects.filter(
        state__in=[Notification.State.PENDING, Notification.State.FAILED],
        attempts__lt=MAX_ATTEMPTS,
        created_at__lte=timezone.now() - timedelta(minutes=1),
    ).values_list("pk", flat=True)
    return sum(notification_send(pk) for pk in list(due[:500]))
