"""Car park occupancy as an open dataset: each day's readings (apps.mobility.exports) published
through the open data services as the next version of the city's occupancy resource, by a nightly
task for the day before.

A city opts in by having a dataset with the slug OCCUPANCY_DATASET_SLUG and a CSV file resource in
it; without it, nothing is published."""

from datetime import date

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from apps.mobility.exports import occupancy_day_csv
from apps.municipalities.models import Municipality
from apps.opendata.models import Resource, ResourceVersion
from apps.opendata.selectors import published_file_resource
from apps.opendata.services import resource_version_upload

OCCUPANCY_DATASET_SLUG = "car-park-occupancy"


@transaction.atomic
def occupancy_dataset_publish(municipality: Municipality, day: date) -> ResourceVersion | None:
    """The day's readings as the next version of the city's occupancy resource; None, and nothing
    stored, without such a resource, or when that day's file is already its latest version (the
    task ran twice)."""
    resource = published_file_resource(
        municipality=municipality, slug=OCCUPANCY_DATASET_SLUG, file_format=Resource.Format.CSV
    )
    if resource is None:
        return None
    # Locked first, so two runs at the same moment cannot both find the day new.
    Resource.objects.select_for_update().filter(pk=resource.pk).first()
    with translation.override(settings.LANGUAGE_CODE):
        note = gettext("Car park occupancy readings of %(date)s") % {"date": day.isoformat()}
    if resource.versions.filter(note=note).exists():
        return None
    document = occupancy_day_csv(municipality, day)
    upload = ContentFile(document, name=f"car-park-occupancy-{day.isoformat()}.csv")
    return resource_version_upload(resource=resource, upload=upload, note=note)
