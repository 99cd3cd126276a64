"""Background work for open data: loading an uploaded file version, publishing the complaints export."""

import logging
from datetime import timedelta

from celery import shared_task
from django.utils import timezone
from django.utils.translation import gettext

from apps.common.restarts import MAX_RESTARTS, restart_count
from apps.complaints.exports import complaints_export_latest
from apps.municipalities.models import Municipality
from apps.opendata import services
from apps.opendata.complaints_dataset import complaints_export_publish
from apps.opendata.models import ResourceVersion
from apps.opendata.parking_dataset import occupancy_dataset_publish
from apps.opendata.river_dataset import river_history_publish

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def version_ingest_task(version_id: int) -> str | None:
    """Loads one version; safe to run again: it restarts that version's load from the beginning."""
    version = ResourceVersion.objects.filter(pk=version_id).first()
    if version is None:  # deleted with its resource before the worker got to it
        return None
    if version.status == ResourceVersion.Status.PROCESSING:
        # A version found "processing" was being loaded by a worker that died: it starts over.
        restarts = restart_count(f"opendata:ingest-restarts:{version_id}")
        logger.warning("Restarting the interrupted ingest of version %s (restart %s)", version_id, restarts)
        if restarts > MAX_RESTARTS:
            return services.version_fail(
                version=version,
                message=gettext(
                    "Loading stopped unexpectedly %(count)s times (the file may be too large for the worker). "
                    "The previous version is still published."
                )
                % {"count": restarts},
            ).status
    return services.version_ingest(version=version).status


@shared_task
def publish_complaints_export() -> list[int]:
    """Each city's newest de-identified complaints file (written by apps.complaints.tasks.export_complaints)
    as the next version of its complaints dataset; the ids of the versions stored. Running again
    without a new file stores nothing (complaints_export_publish skips a file it already holds)."""
    published = []
    for city in Municipality.objects.all():
        if (export := complaints_export_latest(municipality=city)) is None:
            continue
        path, exported_on = export
        if version := complaints_export_publish(municipality=city, path=path, exported_on=exported_on):
            published.append(version.pk)
    return published


@shared_task
def publish_car_park_occupancy() -> list[int]:
    """Yesterday's car park readings (Asia/Seoul) of each city as the next version of its occupancy
    dataset; the ids of the versions stored. Running again the same day stores nothing."""
    yesterday = timezone.localdate() - timedelta(days=1)
    published = []
    for city in Municipality.objects.all():
        if version := occupancy_dataset_publish(city, yesterday):
            published.append(version.pk)
    return published


@shared_task
def publish_river_history() -> list[int]:
    """Yesterday's river history (Asia/Seoul) of each city as the next version of its river
    dataset; the ids of the versions stored. Running again the same day stores nothing."""
    yesterday = timezone.localdate() - timedelta(days=1)
    published = []
    for city in Municipality.objects.all():
        if version := river_history_publish(city, yesterday):
            published.append(version.pk)
    return published
