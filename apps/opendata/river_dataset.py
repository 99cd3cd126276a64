"""River history as an open dataset: each day's water levels, alert level changes, gate changes and
walkway closures (apps.rivers.exports) published through the open data services as the next
version of the city's river resource, by a nightly task for the day before.

A city opts in by having a dataset with the slug RIVER_DATASET_SLUG and a CSV file resource in it;
without it, nothing is published."""

from datetime import date

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from apps.municipalities.models import Municipality
from apps.opendata.models import Resource, ResourceVersion
from apps.opendata.selectors import published_file_resource
from apps.opendata.services import resource_version_upload
from apps.rivers.exports import history_day_csv

RIVER_DATASET_SLUG = "river-water-levels"


@transaction.atomic
def river_history_publish(municipality: Municipality, day: date) -> ResourceVersion | None:
    """The day's river history as the next version of the city's river resource; None, and nothing
    stored, without such a resource, or when that day's file is already a version of it (the task
    ran twice)."""
    resource = published_file_resource(
        municipality=municipality, slug=RIVER_DATASET_SLUG, file_format=Resource.Format.CSV
    )
    if resource is None:
        return None
    # Locked first, so two runs at the same moment cannot both find the day new.
    Resource.objects.select_for_update().filter(pk=resource.pk).first()
    with translation.override(settings.LANGUAGE_CODE):
        note = gettext("River water levels, alerts and gate changes of %(date)s") % {"date": day.isoformat()}
    if resource.versions.filter(note=note).exists():
        return None
    upload = ContentFile(history_day_csv(municipality, day), name=f"river-history-{day.isoformat()}.csv")
    return resource_version_upload(resource=resource, upload=upload, note=note)
