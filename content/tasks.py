from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from content.selectors import site_alerts_turned
from content.services import site_alerts_broadcast

# Beat's period for the task below: an alert scheduled ahead (or a trail's closure) appears on open
# pages at most this long after its window opens or closes.
ALERT_WINDOW_CHECK_SECONDS = 30


@shared_task
def push_alert_windows() -> bool:
    """Tell open pages to fetch the alerts when a scheduled window opened or closed since the last
    check (a little overlap: a window is pushed twice rather than missed)."""
    now = timezone.now()
    if site_alerts_turned(since=now - timedelta(seconds=ALERT_WINDOW_CHECK_SECONDS + 5), at=now):
        site_alerts_broadcast()
        return True
    return False
