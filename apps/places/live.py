"""Closures pushed to the open pages of the places they concern: a page showing a place's closures
(a trail marker's) joins the group of its place codes over /ws/places/?codes=<code>,<code> and is
told when one of them changes, so a river's walkway closing reaches the markers near it without a
reload."""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.dispatch import receiver

from apps.places.models import Closure
from apps.places.signals import closure_changed

logger = logging.getLogger(__name__)


def place_group(code: str) -> str:
    """The channel layer group of one place's open pages."""
    return f"places.place.{code}"


@receiver(closure_changed)
def _push_closure_change(sender, closure: Closure, change: str, **kwargs) -> None:
    if not closure.place_id:
        return  # a whole area's closure reaches its pages as the site alert
    code = closure.place.code
    try:
        async_to_sync(get_channel_layer().group_send)(
            place_group(code), {"type": "closures.changed", "code": code, "change": change}
        )
    except Exception:  # the closure stands; open pages show it on their next load
        logger.exception("closure %s not pushed to the pages of place %s", closure.pk, code)
