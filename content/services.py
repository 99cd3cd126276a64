"""Writes for site-wide content."""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

SITE_ALERTS_GROUP = "site-alerts"


def site_alerts_broadcast() -> None:
    """Tell every open page to fetch the current alerts; callable from any process."""
    async_to_sync(get_channel_layer().group_send)(SITE_ALERTS_GROUP, {"type": "alerts.changed"})
