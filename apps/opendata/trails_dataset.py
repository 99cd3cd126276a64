"""The trails as an open dataset: the GeoJSON of the published trail pages (apps.trails.geojson)
published through the open data services as the next version of the city's trails resource,
whenever publishing or unpublishing a trail page changes it.

A city opts in by having a dataset with the slug TRAILS_DATASET_SLUG and a GeoJSON file resource
in it (the demo catalogue creates one); without it, nothing is published.
"""

import hashlib
from functools import partial

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone, translation
from django.utils.translation import gettext
from wagtail.signals import page_published, page_unpublished

from apps.municipalities.models import Municipality
from apps.opendata.models import Resource, ResourceVersion
from apps.opendata.selectors import published_file_resource
from apps.opendata.services import resource_version_upload
from apps.trails.geojson import trails_geojson
from apps.trails.models import TrailIndexPage, TrailPage

TRAILS_DATASET_SLUG = "sopung-gil-trails"
FILE_NAME = "sopung-gil-trails.geojson"


def trails_resource(municipality: Municipality) -> Resource | None:
    """The GeoJSON resource the trails are published to."""
    return published_file_resource(
        municipality=municipality, slug=TRAILS_DATASET_SLUG, file_format=Resource.Format.GEOJSON
    )


def _index_of(page: TrailPage) -> TrailIndexPage | None:
    """The Korean trails index the trail (in any language) belongs to."""
    parent = page.source.get_parent()
    return TrailIndexPage.objects.filter(pk=parent.pk).first() if parent else None


def _municipality_of(index: TrailIndexPage) -> Municipality | None:
    site = index.get_site()
    return Municipality.objects.filter(site=site).first() if site else None


@transaction.atomic
def trails_dataset_publish(index: TrailIndexPage) -> ResourceVersion | None:
    """Stores the index's trails as the next version of the city's trails resource; its ingest is
    queued when the transaction commits, like any upload.

    Returns None, and stores nothing, when the city has no trails dataset, when no trail is
    published, or when the file is byte for byte the latest version (a publish that changed none
    of what the dataset holds, such as a new intro text)."""
    city = _municipality_of(index)
    resource = trails_resource(city) if city else None
    if resource is None:
        return None
    # Locked first, so two publishes at the same moment cannot both find the file new.
    Resource.objects.select_for_update().filter(pk=resource.pk).first()
    document = trails_geojson(index)
    if b'"features":[]' in document:
        return None
    latest = resource.versions.order_by("-number").first()
    if latest is not None and latest.sha256 == hashlib.sha256(document).hexdigest():
        return None
    # The note is kept with the version, so it is written in the city's own language.
    with translation.override(settings.LANGUAGE_CODE):
        note = gettext("Trail pages as published on %(date)s") % {"date": timezone.localdate().isoformat()}
    return resource_version_upload(resource=resource, upload=ContentFile(document, name=FILE_NAME), note=note)


def trails_dataset_publish_for(page: TrailPage) -> ResourceVersion | None:
    index = _index_of(page)
    return trails_dataset_publish(index) if index else None


def city_trails_dataset_publish(municipality: Municipality) -> ResourceVersion | None:
    """The city's trails published to its trails dataset (the first version, when the dataset is
    created after the trails)."""
    site = municipality.site
    index = (
        TrailIndexPage.objects.filter(locale__language_code=settings.LANGUAGE_CODE)
        .descendant_of(site.root_page)
        .first()
        if site
        else None
    )
    return trails_dataset_publish(index) if index else None


# Connected when the app is ready (apps/opendata/apps.py). Run once the publish has committed, after
# every receiver of trails' own (which gives markers saved by a script their places and codes).
@receiver(page_published, sender=TrailPage)
@receiver(page_unpublished, sender=TrailPage)
def publish_trails_dataset(sender, instance: TrailPage, **kwargs) -> None:
    # robust: a file the catalogue cannot take is logged; the editor's publish stands.
    transaction.on_commit(partial(trails_dataset_publish_for, instance), robust=True)
