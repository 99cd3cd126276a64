"""Reads for site-wide content."""

from django.conf import settings

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
