"""Writes for site-wide content."""

import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page

from apps.places.models import Closure
from content.models import SiteAlert

SITE_ALERTS_GROUP = "site-alerts"


def site_alerts_broadcast() -> None:
    """Tell every open page to fetch the current alerts; callable from any process."""
    async_to_sync(get_channel_layer().group_send)(SITE_ALERTS_GROUP, {"type": "alerts.changed"})


# The site alert a closure raises shares a translation key derived from the closure's id, in every
# language: the closure finds its alert (or the alert left after the closure was deleted) with no
# link table between places and the site's content.
CLOSURE_ALERT_KEYS = uuid.UUID("5f0c1a4e-6b57-4d7e-9a63-2d1f0e9c7b11")


def _closed_area(closure: Closure | None) -> Page | None:
    """The live page of the area a closure shuts (severity "closed"): its own page (a whole trail),
    or the page that owns its place (a trail, for one of its markers); None for a warning or a detour."""
    if closure is None or closure.severity != Closure.Severity.CLOSED:
        return None
    owner = closure.page if closure.page_id else closure.place.owner
    return owner if isinstance(owner, Page) and owner.live else None


def _closure_alert_fields(closure: Closure, page: Page) -> dict:
    """The alert's words in the language of `page` (the caller has switched to it)."""
    words = closure.reason
    if closure.detour:
        words += " " + _("Detour: %(detour)s") % {"detour": closure.detour}
    link = escape(_("See the trail"))
    return {
        "title": Truncator(_("%(trail)s is closed") % {"trail": page.title}).chars(80),
        "message": f'<p>{escape(Truncator(words).chars(400))} <a linktype="page" id="{page.pk}">{link}</a></p>',
        "level": SiteAlert.Level.DANGER,
        "starts_at": closure.starts_at,
        "ends_at": closure.ends_at,
    }


@transaction.atomic
def site_alert_for_closure_sync(closure_id: int) -> list[SiteAlert]:
    """Keeps the site alert of a closure in step with it: an area closed (a trail, on its page or at
    a marker) raises an alert on every page, in each language the area's page is published in,
    shown from the closure's start until its end; edited, it follows; lifted, it ends when the
    closure does; deleted, or no longer "closed", it goes. Open pages hear of each change through
    the alerts socket (publishing and withdrawing an alert push it). Returns the alerts raised."""
    key = uuid.uuid5(CLOSURE_ALERT_KEYS, str(closure_id))
    existing = {
        alert.locale.language_code: alert
        for alert in SiteAlert.objects.filter(translation_key=key).select_related("locale")
    }
    closure = Closure.objects.select_related("place__owner_type", "page").filter(pk=closure_id).first()
    area = _closed_area(closure)
    pages = (
        {
            page.locale.language_code: page
            for page in Page.objects.live().filter(translation_key=area.translation_key).select_related("locale")
        }
        if area
        else {}
    )
    # The Korean alert first: the others are its translations.
    raised = []
    for language in sorted(pages, key=lambda code: code != settings.LANGUAGE_CODE):
        with translation.override(language):
            fields = _closure_alert_fields(closure, pages[language])
        alert = existing.pop(language, None) or SiteAlert(translation_key=key, locale=pages[language].locale)
        if alert.pk and alert.live and all(getattr(alert, name) == value for name, value in fields.items()):
            raised.append(alert)
            continue
        for name, value in fields.items():
            setattr(alert, name, value)
        alert.save()
        alert.save_revision().publish()
        raised.append(alert)
    for alert in existing.values():
        if alert.live:
            alert.unpublish()  # withdrawn from open pages before it goes
        alert.delete()
    return raised


# The site alert of a river's walkway closure, keyed by the river like a closure's by its id.
WALKWAY_ALERT_KEYS = uuid.UUID("0b6f8d2c-4e1a-4f55-8c1e-7a9d3e2b6c40")


@transaction.atomic
def site_alert_for_walkway_sync(river) -> list[SiteAlert]:
    """Keeps the site alert of a river's walkway in step with it (apps.rivers sends walkway_changed):
    closed, by its water level or by staff, a danger alert on every page in each of the site's
    languages, with the reason and a link to the river; reopened, the alert goes. Open pages hear
    of it through the alerts socket (publishing and withdrawing an alert push it)."""
    key = uuid.uuid5(WALKWAY_ALERT_KEYS, f"river:{river.pk}")
    existing = {
        alert.locale.language_code: alert
        for alert in SiteAlert.objects.filter(translation_key=key).select_related("locale")
    }
    walkway = river.closures.filter(reopened_at__isnull=True).first()
    locales = Locale.objects.filter(language_code__in=[code for code, _name in settings.LANGUAGES]) if walkway else []
    raised = []
    # The Korean alert first: the others are its translations.
    for locale in sorted(locales, key=lambda each: each.language_code != settings.LANGUAGE_CODE):
        with translation.override(locale.language_code):
            link = escape(_("See the river"))
            fields = {
                "title": Truncator(_("%(river)s walkway closed") % {"river": river.name}).chars(80),
                "message": f"<p>{escape(Truncator(walkway.reason).chars(400))} "
                f'<a href="{escape(river.get_url(locale.language_code))}">{link}</a></p>',
                "level": SiteAlert.Level.DANGER,
                "starts_at": walkway.closed_at,
                "ends_at": None,
            }
        alert = existing.pop(locale.language_code, None) or SiteAlert(translation_key=key, locale=locale)
        if alert.pk and alert.live and all(getattr(alert, name) == value for name, value in fields.items()):
            raised.append(alert)
            continue
        for name, value in fields.items():
            setattr(alert, name, value)
        alert.save()
        alert.save_revision().publish()
        raised.append(alert)
    for alert in existing.values():
        if alert.live:
            alert.unpublish()  # withdrawn from open pages before it goes
        alert.delete()
    return raised
