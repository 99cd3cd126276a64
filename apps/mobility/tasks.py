"""Background work of the parking area: the standard file's import, and the pull adapter for the
KOTSA realtime API that beat runs every minute."""

import json
import logging
import urllib.request
from datetime import datetime

from celery import shared_task
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext

from apps.common.language import user_language
from apps.common.restarts import MAX_RESTARTS, restart_count
from apps.mobility import services, sharing_services, sources
from apps.mobility.models import CarParkImport, CarParkSource, OccupancyReading

logger = logging.getLogger(__name__)
# The provider's answer for the whole country fits in this; anything larger is not its answer.
MAX_ANSWER_BYTES = 20 * 1024 * 1024
TIMEOUT_SECONDS = 20


@shared_task(acks_late=True)
def car_park_import_task(import_id: int) -> str | None:
    """Imports one stored upload; safe to run again: it starts that import over from its file."""
    job = CarParkImport.objects.filter(pk=import_id).select_related("uploaded_by__wagtail_userprofile").first()
    if job is None:  # deleted before the worker got to it
        return None
    if job.status == CarParkImport.Status.PROCESSING:
        # Found half done: the worker that ran it died. It starts over, a few times at most.
        restarts = restart_count(services.import_restarts_key(import_id))
        logger.warning("Restarting the interrupted car park import %s (restart %s)", import_id, restarts)
        if restarts > MAX_RESTARTS:
            with user_language(job.uploaded_by):
                message = gettext(
                    "The import stopped unexpectedly %(count)s times (the file may be too large for the worker). "
                    "The car parks imported before it stay."
                ) % {"count": restarts}
            return services.car_park_import_fail(job, message).status
    return services.car_park_import_run(job).status


def realtime_apply(payload: dict, *, received_at: datetime | None = None) -> dict[str, int]:
    """Applies a PrkRealtimeInfo answer to the car parks linked to its ids (the rest of the country's
    car parks are not ours: skipped). The answer carries no reading time: the time it was received
    is the reading time, and the message id is the id with that minute, so a repeat pull within
    the minute is a duplicate."""
    received_at = received_at or timezone.now()
    counts = {"applied": 0, "older": 0, "duplicate": 0, "refused": 0, "unknown": 0, "bad": 0}
    for item in sources.kotsa_items(payload):
        try:
            count = sources.kotsa_realtime(item)
        except sources.BadValue:
            counts["bad"] += 1
            continue
        linked = (
            CarParkSource.objects.filter(source__in=services.KOTSA_SOURCES, source_id=count.source_id)
            .select_related("car_park")
            .first()
        )
        if linked is None:
            counts["unknown"] += 1
            continue
        try:
            result = services.occupancy_reading_apply(
                linked.car_park,
                free_spaces=count.free,
                read_at=received_at,
                source=OccupancyReading.Source.KOTSA_REALTIME,
                message_id=f"{count.source_id}@{received_at:%Y%m%dT%H%M}",
            )
        except services.ReadingRefused as refusal:
            logger.warning("KOTSA realtime %s refused: %s", count.source_id, refusal)
            counts["refused"] += 1
        else:
            counts[result.outcome] += 1
    return counts


@shared_task
def pull_kotsa_realtime() -> str:
    """Fetches MOBILITY_KOTSA_REALTIME_URL and applies it; without that setting, does nothing."""
    url = settings.MOBILITY_KOTSA_REALTIME_URL
    if not url:
        return "MOBILITY_KOTSA_REALTIME_URL is not set: nothing pulled"
    with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310 (the operator's URL)
        payload = json.loads(answer.read(MAX_ANSWER_BYTES + 1)[:MAX_ANSWER_BYTES])
    counts = realtime_apply(payload)
    return ", ".join(f"{name} {number}" for name, number in counts.items())


@shared_task
def sync_car_park_closures() -> int:
    """Car parks closed or reopened by a closure whose window opened or ended since the last run."""
    return services.car_park_closures_sync()


@shared_task
def purge_sharing_personal_data() -> int:
    """Drivers' name, phone and plate blanked 30 days after the booked time (the consent's promise)."""
    return sharing_services.bookings_personal_data_purge()
