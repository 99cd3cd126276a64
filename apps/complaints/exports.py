"""The daily de-identified export of complaints for the open-data portal.

No description, address, attribute, photo or contact leaves in it: only what a case is about,
who handles it, where to within about 100 m, and when. Cases of categories the city does not
publish carry their dong only, never coordinates.
"""

import csv
import os
import tempfile
from datetime import date
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from apps.complaints.models import Complaint
from apps.municipalities.models import Municipality

COLUMNS = [
    "number",
    "category",
    "category_name",
    "department",
    "department_name",
    "status",
    "dong",
    "latitude",
    "longitude",
    "received_date",
    "due_date",
    "answered_date",
]
ROUNDING_DIGITS = 3  # about 110 m north-south, 90 m east-west here
KEEP_DAILY_FILES = 30
DATED_FILES = "complaints-????-??-??.csv"


def export_directory(municipality: Municipality) -> Path:
    return Path(settings.MEDIA_ROOT) / "opendata" / municipality.code


def complaints_export_latest(*, municipality: Municipality) -> tuple[Path, date] | None:
    """The city's newest dated export and its date; None before the first one is written."""
    dated = sorted(export_directory(municipality).glob(DATED_FILES))
    return (dated[-1], date.fromisoformat(dated[-1].stem.removeprefix("complaints-"))) if dated else None


def _row(case: Complaint) -> list[str]:
    public = case.category.public_by_default and case.latitude is not None
    return [
        case.number,
        case.category.code,
        case.category.name_ko,
        case.department.code,
        case.department.name_ko,
        case.status,
        case.dong,
        f"{round(case.latitude, ROUNDING_DIGITS):.3f}" if public else "",
        f"{round(case.longitude, ROUNDING_DIGITS):.3f}" if public else "",
        timezone.localdate(case.received_at).isoformat(),
        case.due_date.isoformat(),
        timezone.localdate(case.answered_at).isoformat() if case.answered_at else "",
    ]


def complaints_export_write(*, municipality: Municipality, today: date) -> Path:
    """Write complaints-<date>.csv and point complaints-latest.csv at it; returns the dated file.

    Written to a temporary name and renamed, so a reader never sees half a file. UTF-8 with a BOM
    so that Excel, which most readers of this file use, shows the Korean.
    """
    directory = export_directory(municipality)
    directory.mkdir(parents=True, exist_ok=True)
    cases = (
        Complaint.objects.filter(municipality=municipality)
        .select_related("category", "department")
        .order_by("received_at", "pk")
    )
    descriptor, temporary = tempfile.mkstemp(dir=directory, suffix=".part")
    with os.fdopen(descriptor, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for case in cases.iterator(chunk_size=2000):
            writer.writerow(_row(case))
    os.chmod(temporary, 0o644)
    dated = directory / f"complaints-{today.isoformat()}.csv"
    os.replace(temporary, dated)
    latest = directory / "complaints-latest.csv"
    link = directory / "complaints-latest.csv.part"
    link.unlink(missing_ok=True)
    os.link(dated, link)
    os.replace(link, latest)
    for old in sorted(directory.glob(DATED_FILES))[:-KEEP_DAILY_FILES]:
        old.unlink()
    return dated
