"""Reads for site-wide content."""

import hashlib
from datetime import datetime

from django.conf import settings

from apps.common.periods import next_period_edge
from content.models import SiteAlert


def site_alerts_showing(*, language_code: str) -> list[SiteAlert]:
    """Alerts to show now, in the reader's language where a translation exists.

    An alert not yet translated is shown in Korean rather than not at all: a flood warning
    matters more than its language.
    """
    alerts = list(SiteAlert.objects.showing().select_related("locale"))
    translated = {alert.translation_key for alert in alerts if alert.locale.language_code == language_code}
    return [
        alert
        for alert in alerts
        if alert.locale.language_code == language_code
        or (alert.locale.language_code == settings.LANGUAGE_CODE and alert.translation_key not in translated)
    ]


def site_alerts_version(alerts: list[SiteAlert]) -> str:
    """A short name for the alerts a page shows (each alert and its published revision): the alerts
    socket compares it with the current one, so a page opened from a cached copy catches up."""
    shown = ",".join(f"{alert.translation_key}:{alert.live_revision_id}:{alert.locale_id}" for alert in alerts)
    return hashlib.sha256(shown.encode()).hexdigest()[:16]


def site_alerts_next_change(*, at: datetime) -> datetime | None:
    """When the next published alert's display window opens or closes after `at`, if any will."""
    return next_period_edge(SiteAlert.objects.filter(live=True), starts="starts_at", ends="ends_at", at=at)


def site_alerts_turned(*, since: datetime, at: datetime) -> bool:
    """Whether a published alert's display window opened or closed in (since, at]: the pages open
    then were told nothing, since no one published anything."""
    live = SiteAlert.objects.filter(live=True)
    return (
        live.filter(starts_at__gt=since, starts_at__lte=at).exists()
        or live.filter(ends_at__gt=since, ends_at__lte=at).exists()
    )
