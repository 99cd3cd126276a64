"""Writes for municipalities and departments."""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from apps.municipalities.models import Department, Dong, Municipality


class ReferenceDataError(ValueError):
    """A reference table that cannot be loaded as it is; nothing was written."""


@dataclass(frozen=True)
class SyncResult:
    created: int
    kept: int


def read_reference_csv(path: Path, required_columns: set[str], key: str = "code") -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = required_columns - set(reader.fieldnames or [])
            if missing:
                raise ReferenceDataError(f"{path.name}: missing columns {', '.join(sorted(missing))}")
            rows = [{key: (value or "").strip() for key, value in row.items()} for row in reader]
    except UnicodeDecodeError as error:
        raise ReferenceDataError(f"{path.name}: not UTF-8 text ({error.reason})") from error
    except OSError as error:
        raise ReferenceDataError(f"{path}: {error.strerror}") from error
    for line, row in enumerate(rows, start=2):
        if not row.get(key):
            raise ReferenceDataError(f"{path.name} line {line}: empty {key}")
    return rows


TOURIST_NAME_COLUMNS = ("name_ja", "name_zh_hans")


def tourist_names_fill(existing: dict[str, object], rows: list[dict[str, str]]) -> None:
    """Give rows already loaded the Japanese and Chinese names a newer table brings, where theirs are
    blank: a name typed in the admin stays, a missing translation is filled on the next load."""
    changed = []
    for row in rows:
        record = existing.get(row["code"])
        if record is None:
            continue
        filled = [column for column in TOURIST_NAME_COLUMNS if row.get(column) and not getattr(record, column)]
        for column in filled:
            setattr(record, column, row[column])
        if filled:
            changed.append(record)
    if changed:
        type(changed[0]).objects.bulk_update(changed, TOURIST_NAME_COLUMNS)


def municipality_ensure(*, code: str, name_ko: str, name_en: str, **details: object) -> Municipality:
    municipality, _ = Municipality.objects.get_or_create(
        code=code, defaults={"name_ko": name_ko, "name_en": name_en, **details}
    )
    return municipality


@transaction.atomic
def departments_sync(*, municipality: Municipality, path: Path) -> SyncResult:
    """Create the departments in the table that the city does not have yet.

    Existing rows are left alone: names edited in the admin must survive a reload.
    """
    rows = read_reference_csv(path, {"code", "name_ko", "name_en", "parent_ko", "handles"})
    existing = {department.code: department for department in municipality.departments.all()}
    tourist_names_fill(existing, rows)
    new = [
        Department(
            municipality=municipality,
            code=row["code"],
            name_ko=row["name_ko"],
            name_en=row["name_en"],
            name_ja=row.get("name_ja", ""),
            name_zh_hans=row.get("name_zh_hans", ""),
            parent_ko=row["parent_ko"],
            handles=row["handles"],
        )
        for row in rows
        if row["code"] not in existing
    ]
    Department.objects.bulk_create(new)
    return SyncResult(created=len(new), kept=len(rows) - len(new))


@transaction.atomic
def dongs_sync(*, municipality: Municipality, path: Path) -> SyncResult:
    """Create the administrative dongs in the table that the city does not have yet."""
    rows = read_reference_csv(path, {"name_ko", "name_en"}, key="name_ko")
    existing = set(municipality.dongs.values_list("name_ko", flat=True))
    new = [
        Dong(municipality=municipality, name_ko=row["name_ko"], name_en=row["name_en"], aliases=row.get("aliases", ""))
        for row in rows
        if row["name_ko"] not in existing
    ]
    Dong.objects.bulk_create(new)
    return SyncResult(created=len(new), kept=len(rows) - len(new))
