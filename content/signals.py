from django.db import transaction
from django.dispatch import receiver
from wagtail.signals import published, unpublished

from apps.places.signals import closure_changed
from apps.rivers.signals import walkway_changed
from content.models import SiteAlert
from content.services import site_alert_for_closure_sync, site_alert_for_walkway_sync, site_alerts_broadcast


@receiver(published, sender=SiteAlert)
@receiver(unpublished, sender=SiteAlert)
def _push_site_alerts(sender, **kwargs) -> None:
    # After commit, so a page that reloads the alerts sees the new state.
    transaction.on_commit(site_alerts_broadcast)


@receiver(closure_changed)
def _closure_alert(sender, closure, change: str, **kwargs) -> None:
    site_alert_for_closure_sync(closure.pk)


@receiver(walkway_changed)
def _walkway_alert(sender, river, closed: bool, **kwargs) -> None:
    site_alert_for_walkway_sync(river)
