"""The nightly de-identified complaints file (apps.complaints.exports) as a dataset of the portal:
each export becomes the next version of the city's "complaints" resource.

A city opts in by having a dataset with the slug "complaints" (the demo catalogue creates one);
the export itself is written whether or not the city publishes it.
"""

import hashlib
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.utils import translation
from django.utils.translation import gettext

from apps.municipalities.models import Municipality
from apps.opendata.models import Resource, ResourceVersion
from apps.opendata.selectors import published_file_resource
from apps.opendata.services import resource_version_upload

COMPLAINTS_DATASET_SLUG = "complaints"


def complaints_resource(municipality: Municipality) -> Resource | None:
    """The file resource the export is published to."""
    return published_file_resource(
        municipality=municipality, slug=COMPLAINTS_DATASET_SLUG, file_format=Resource.Format.CSV
    )


def _has_cases(path: Path) -> bool:
    """Whether the export holds a case below its header (a city with no complaints yet has none)."""
    with path.open("rb") as file:
        file.readline()
        return bool(file.readline().strip())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def complaints_export_publish(*, municipality: Municipality, path: Path, exported_on: date) -> ResourceVersion | None:
    """Stores a written export as the next version of the city's complaints resource; its ingest is
    queued when the transaction commits, like any upload.

    Returns None, and stores nothing, when the city has no complaints dataset, when the export has
    no cases (a header-only file would only fail to load), or when it is byte for byte the latest
    version (nothing changed since the last night).
    """
    resource = complaints_resource(municipality)
    if resource is None or not _has_cases(path):
        return None
    latest = resource.versions.order_by("-number").first()
    if latest is not None and latest.sha256 == _sha256(path):
        return None
    # The note is kept with the version, so it is written in the city's own language.
    with translation.override(settings.LANGUAGE_CODE):
        note = gettext("Nightly export of %(date)s") % {"date": exported_on.isoformat()}
    with path.open("rb") as file:
        return resource_version_upload(resource=resource, upload=File(file, name=path.name), note=note)
