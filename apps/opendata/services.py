"""Writes for the data catalogue that every entry point shares: keeping a dataset's search text
and quality score true after its metadata or its files change, and taking in new file versions
(upload, then ingest in a Celery task) without ever unpublishing what residents already use."""

import gc
import hashlib
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from itertools import count, repeat
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import connection, transaction
from django.db.models import F, Max, Sum
from django.db.models.fields.files import FieldFile
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from psycopg.copy import QueuedLibpqWriter

from apps.common.language import user_language
from apps.opendata import ingest
from apps.opendata.models import CYCLE_DAYS, Dataset, DatastoreRow, Resource, ResourceVersion

logger = logging.getLogger(__name__)

MACHINE_READABLE = {Resource.Format.CSV, Resource.Format.JSON, Resource.Format.GEOJSON, Resource.Format.API}

# Each check: (key, points, label). Points add up to 100.
QUALITY_CHECKS = (
    ("description", 20, _("A description of at least 50 characters, in Korean and English")),
    ("metadata", 15, _("Keywords, coverage and a contact")),
    ("licence", 15, _("An open licence")),
    ("machine_readable", 20, _("A machine-readable format (CSV, JSON, GeoJSON or an API)")),
    ("schema_valid", 15, _("Every row matches the column schema")),
    ("on_time", 15, _("Updated on schedule")),
)


def dataset_search_text(dataset: Dataset) -> str:
    parts = [
        dataset.slug,
        dataset.title_ko,
        dataset.title_en,
        dataset.description_ko,
        dataset.description_en,
        dataset.department.name_ko,
        dataset.department.name_en,
        dataset.spatial_coverage,
        *(keyword.name for keyword in dataset.keywords.all()),
        *(f"{resource.name_ko} {resource.name_en} {resource.format}" for resource in dataset.resources.all()),
    ]
    return " ".join(part for part in parts if part).lower()


def dataset_quality(dataset: Dataset) -> dict[str, bool]:
    resources = list(dataset.resources.select_related("current_version"))
    versions = [resource.current_version for resource in resources if resource.current_version]
    tabular = [version for version in versions if version.table_fields]
    due = CYCLE_DAYS.get(dataset.update_cycle)
    return {
        "description": len(dataset.description_ko) >= 50 and bool(dataset.description_en),
        "metadata": dataset.keywords.exists()
        and bool(dataset.spatial_coverage)
        and bool(dataset.contact_phone or dataset.contact_email),
        "licence": bool(dataset.licence),
        "machine_readable": any(resource.format in MACHINE_READABLE for resource in resources),
        "schema_valid": bool(tabular) and all(version.schema_valid for version in tabular),
        # Data that changes irregularly is on time once it has any data at all.
        "on_time": dataset.data_updated_at is not None
        and (due is None or (timezone.now() - dataset.data_updated_at).days <= due),
    }


def dataset_refresh(dataset: Dataset) -> Dataset:
    """Recompute what is derived from a dataset's metadata and files: search text, download total
    and quality score. Called after the admin saves it and after every ingest."""
    checks = dataset_quality(dataset)
    points = {key: weight for key, weight, _label in QUALITY_CHECKS}
    dataset.quality_checks = checks
    dataset.quality_score = sum(points[key] for key, passed in checks.items() if passed)
    dataset.search_text = dataset_search_text(dataset)
    dataset.download_count = dataset.resources.aggregate(total=Sum("download_count"))["total"] or 0
    Dataset.objects.filter(pk=dataset.pk).update(
        quality_checks=dataset.quality_checks,
        quality_score=dataset.quality_score,
        search_text=dataset.search_text,
        download_count=dataset.download_count,
    )
    return dataset


def quality_report(dataset: Dataset) -> list[dict]:
    """The checks as the public page lists them: label, points, passed."""
    return [
        {"key": key, "label": label, "points": weight, "passed": bool(dataset.quality_checks.get(key))}
        for key, weight, label in QUALITY_CHECKS
    ]


def resource_download_count(resource: Resource) -> None:
    """Count a download of any of the resource's files."""
    Resource.objects.filter(pk=resource.pk).update(download_count=F("download_count") + 1)
    Dataset.objects.filter(pk=resource.dataset_id).update(download_count=F("download_count") + 1)


# --- File versions ----------------------------------------------------------------------------


class OpenDataError(ValidationError):
    """An upload that cannot be taken, with the reason for the editor."""


EXTENSIONS = {
    Resource.Format.CSV: (".csv", ".txt"),
    Resource.Format.XLSX: (".xlsx",),
    Resource.Format.JSON: (".json",),
    Resource.Format.GEOJSON: (".geojson", ".json"),
    Resource.Format.ZIP: (".zip",),
}
READERS = {
    Resource.Format.CSV: ingest.read_csv,
    Resource.Format.XLSX: ingest.read_xlsx,
    Resource.Format.JSON: ingest.read_json,
    Resource.Format.GEOJSON: ingest.read_geojson,
}
ROWS_PER_BATCH = 50_000  # rows per transaction and progress report
# JSON is parsed whole (the standard library has no streaming parser), so it gets a smaller limit.
JSON_MAX_BYTES = 50 * 1024 * 1024
Status = ResourceVersion.Status


def upload_limit_bytes(resource: Resource | None = None) -> int:
    """The largest file a resource takes (any resource's, without one)."""
    limit = settings.OPENDATA_MAX_UPLOAD_MB * 1024 * 1024
    if resource is not None and resource.format in (Resource.Format.JSON, Resource.Format.GEOJSON):
        return min(limit, JSON_MAX_BYTES)
    return limit


def upload_too_large_message(size: int) -> str:
    return gettext("The file is %(size)s; a data file can be at most %(limit)s.") % {
        "size": filesizeformat(size),
        "limit": filesizeformat(upload_limit_bytes()),
    }


def resource_version_upload(
    *, resource: Resource, upload: File, uploaded_by=None, note: str = "", schema: dict | None = None
) -> ResourceVersion:
    """Stores a file as the resource's next version and queues its ingest once the transaction
    commits. The published version stays published until the new one has loaded cleanly."""
    extensions = EXTENSIONS.get(resource.format)
    if resource.kind != Resource.Kind.FILE or extensions is None:
        raise OpenDataError(gettext("This resource is a link to an API; it has no files to upload."))
    name = os.path.basename(upload.name or "")
    if not name.lower().endswith(extensions):
        raise OpenDataError(
            gettext("A %(format)s resource takes %(extensions)s files; “%(name)s” is not one.")
            % {"format": resource.format, "extensions": ", ".join(extensions), "name": name}
        )
    size = upload.size or 0
    if size == 0:
        raise OpenDataError(gettext("The file is empty."))
    if size > upload_limit_bytes():
        raise OpenDataError(upload_too_large_message(size))
    if size > upload_limit_bytes(resource):
        raise OpenDataError(
            gettext("A JSON file can be at most %(limit)s (it is read whole); publish a larger table as CSV.")
            % {"limit": filesizeformat(JSON_MAX_BYTES)}
        )
    if len(note) > ResourceVersion._meta.get_field("note").max_length:
        raise OpenDataError(gettext("The note can be at most 300 characters."))
    if schema is not None:
        if resource.format == Resource.Format.ZIP:
            raise OpenDataError(gettext("A ZIP file has no rows, so it takes no table schema."))
        try:
            ingest.schema_fields(schema)
        except ingest.IngestError as error:
            raise OpenDataError(error.message) from None

    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    with transaction.atomic():
        # Locked so two uploads at once get numbers one after the other.
        locked = Resource.objects.select_for_update().get(pk=resource.pk)
        number = (locked.versions.aggregate(last=Max("number"))["last"] or 0) + 1
        version = ResourceVersion(
            resource=locked,
            number=number,
            original_name=name[:255],
            size=size,
            sha256=digest.hexdigest(),
            note=note,
            uploaded_by=uploaded_by,
            schema=schema or {},
            status=Status.QUEUED,
        )
        version.upload.save(name, upload, save=False)
        version.save()
        transaction.on_commit(partial(_ingest_queue, version.pk))
    return version


def _ingest_queue(version_id: int) -> None:
    from apps.opendata.tasks import version_ingest_task

    try:
        version_ingest_task.delay(version_id)
    except Exception:  # noqa: BLE001 - a broker that is down must not lose the upload silently
        logger.exception("Could not queue the ingest of version %s", version_id)
        version = ResourceVersion.objects.get(pk=version_id)
        if version.status != Status.QUEUED:  # already loaded in place (management commands ingest at once)
            return
        version_fail(
            version=version,
            message=gettext(
                "The file was stored but could not be queued for loading. Upload it again in a few minutes."
            ),
        )


def _rows_delete(version: ResourceVersion) -> None:
    """A version's rows, in one statement. (QuerySet.delete() would fetch every row first, a million
    of them, whenever any receiver listens to post_delete for all models.)"""
    table = connection.ops.quote_name(DatastoreRow._meta.db_table)
    column = connection.ops.quote_name(DatastoreRow._meta.get_field("version").column)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {column} = %s", [version.pk])  # noqa: S608 - names from the model


def _version_loaded_data_delete(version: ResourceVersion) -> None:
    """The rows and the UTF-8 copy a load made; the uploaded file stays (the caller saves utf8_csv)."""
    _rows_delete(version)
    if version.utf8_csv:
        version.utf8_csv.delete(save=False)


def version_fail(*, version: ResourceVersion, message: str, row_errors: list[dict] | None = None) -> ResourceVersion:
    """Marks a version failed with the editor's explanation; its rows and UTF-8 copy go, its file stays."""
    _version_loaded_data_delete(version)
    version.status = Status.FAILED
    version.error = message
    version.row_errors = (row_errors or [])[: ingest.MAX_ROW_ERRORS]
    version.schema_valid = False
    version.save(update_fields=["status", "error", "row_errors", "schema_valid", "utf8_csv"])
    return version


@contextmanager
def _local_file(stored: FieldFile) -> Iterator[BinaryIO]:
    """The stored file as a local binary file: read in place on disk, else copied to a temporary one."""
    try:
        path = stored.path
    except NotImplementedError:
        with tempfile.TemporaryFile() as copy:
            with stored.open("rb") as remote:
                shutil.copyfileobj(remote, copy)
            copy.seek(0)
            yield copy
        return
    with open(path, "rb") as file:
        yield file


def _version_restart(version: ResourceVersion) -> None:
    """Clears what an earlier, interrupted run left, so a re-delivered task starts over cleanly."""
    _version_loaded_data_delete(version)
    version.status = Status.PROCESSING
    version.bytes_read = version.row_count = 0
    version.error = version.encoding = ""
    version.row_errors, version.changes = [], {}
    version.schema_valid = False
    version.published_at = None
    version.save(
        update_fields=[
            "status",
            "bytes_read",
            "row_count",
            "error",
            "encoding",
            "row_errors",
            "changes",
            "schema_valid",
            "published_at",
            "utf8_csv",
        ]
    )


def _progress(version: ResourceVersion, bytes_read: int, rows: int) -> None:
    ResourceVersion.objects.filter(pk=version.pk).update(bytes_read=bytes_read, row_count=rows)


def version_ingest(*, version: ResourceVersion) -> ResourceVersion:
    """Loads a version and, if every check passes, publishes it in place of the current one.

    Tabular files are read twice: once to check every row, infer the column types and write the
    UTF-8 copy (progress in bytes of the upload), then from that copy into the datastore in
    batches (progress in bytes of the copy and rows loaded). A failure at any point leaves the
    version failed with the reason, no rows, and the published version as it was.
    """
    version = ResourceVersion.objects.select_related("resource__dataset", "uploaded_by__wagtail_userprofile").get(
        pk=version.pk
    )
    if version.status == Status.READY:
        return version
    # The error messages stored on a version are in the language of the editor who uploaded it.
    with user_language(version.uploaded_by):
        editor_schema = version.schema or None  # until publication, schema holds only what the editor gave
        _version_restart(version)
        try:
            if version.resource.format == Resource.Format.ZIP:
                with _local_file(version.upload) as file:
                    ingest.check_zip(file)
                fields: list[dict] = []
            else:
                fields = _version_load(version, editor_schema)
        except ingest.IngestError as error:
            return version_fail(version=version, message=error.message, row_errors=error.row_errors)
        except Exception:  # noqa: BLE001 - whatever happens, the editor gets a failed version, not a spinner
            logger.exception("Ingest of version %s failed", version.pk)
            return version_fail(
                version=version,
                message=gettext(
                    "The file could not be loaded because of an unexpected error. The previous version is still "
                    "published. Try again, or ask the site administrator to check the worker's log."
                ),
            )
        return _version_publish(version, fields, schema=editor_schema)


@contextmanager
def _garbage_collector_paused() -> Iterator[None]:
    """A load makes and drops lists by the million, none in a reference cycle; the collector would
    walk each batch of them over and over (and all of Django at every full pass) for nothing."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _version_load(version: ResourceVersion, editor_schema: dict | None) -> list[dict]:
    reader = READERS[version.resource.format]
    with tempfile.TemporaryFile() as copy, tempfile.TemporaryFile() as spooled, _garbage_collector_paused():
        spool = ingest.RowSpool(spooled)
        with _local_file(version.upload) as file:
            source = reader(file)
            out = ingest.text_writer(copy)
            checked = ingest.table_to_csv(
                source, out, schema=editor_schema, progress=lambda done, rows: _progress(version, done, 0), spool=spool
            )
            out.flush()
            out.detach()
        version.encoding = checked.encoding
        version.bytes_read = 0  # from here on: the share of the UTF-8 copy's rows loaded, in its bytes
        copy_size = copy.seek(0, os.SEEK_END)
        copy.seek(0)
        version.utf8_csv.save(f"{os.path.splitext(version.original_name)[0]}.csv", File(copy), save=False)
        version.save(update_fields=["encoding", "bytes_read", "utf8_csv"])
        rows = _split(spool.batches(), ROWS_PER_BATCH)
        _rows_insert(version, rows, checked.fields, lambda: copy_size * spool.bytes_read // max(spool.size, 1))
    version.row_count = checked.row_count
    return checked.fields


def _split(batches: Iterator[list], size: int) -> Iterator[list]:
    """The batches, those longer than `size` cut into pieces of that size."""
    for batch in batches:
        if len(batch) <= size:
            yield batch
        else:
            yield from (batch[start : start + size] for start in range(0, len(batch), size))


def _rows_insert(
    version: ResourceVersion, batches: Iterator[list[list[str]]], fields: list[dict], bytes_read: Callable[[], int]
) -> None:
    """Writes the checked rows ROWS_PER_BATCH at a time, each time in a transaction of its own so
    that the progress written in between can be seen."""
    number = 0
    while written := _batch_write(version.pk, number + 1, batches, fields):
        number += written
        _progress(version, bytes_read(), number)


def _batch_write(version_id: int, first_number: int, batches: Iterator[list[list[str]]], fields: list[dict]) -> int:
    """Takes batches until ROWS_PER_BATCH rows are written, as JSON, numbered from first_number on;
    returns how many. On PostgreSQL they stream through one COPY, sent by psycopg's writer thread
    while the next batch is made; elsewhere each batch is one executemany. (Django model instances
    would cost more than the insert itself at a million rows.)"""
    table = connection.ops.quote_name(DatastoreRow._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(DatastoreRow._meta.get_field(name).column) for name in ("version", "number", "data")
    )
    number = first_number
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN", writer=QueuedLibpqWriter(cursor.cursor)) as copy:
                for rows in _batches_up_to(batches, ROWS_PER_BATCH):
                    copy.write(_copy_text(version_id, number, rows, fields))
                    number += len(rows)
        else:
            sql = f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s)"  # noqa: S608 - names from the model only
            for rows in _batches_up_to(batches, ROWS_PER_BATCH):
                cursor.executemany(sql, list(zip(repeat(version_id), count(number), ingest.json_rows(rows, fields))))
                number += len(rows)
    return number - first_number


def _batches_up_to(batches: Iterator[list], limit: int) -> Iterator[list]:
    """Batches from the iterator until they add up to `limit` rows or more."""
    taken = 0
    while taken < limit and (rows := next(batches, None)):
        taken += len(rows)
        yield rows


def _copy_text(version_id: int, first_number: int, rows: list[list[str]], fields: list[dict]) -> str:
    """Rows in COPY's text format: a line each, tab-separated. JSON text has no raw tab or line
    break in it (it escapes them), so its backslashes are all that needs escaping."""
    lines = ingest.json_rows(rows, fields, numbered=(f"{version_id}\t%d\t", first_number))
    return "".join(lines).replace("\\", "\\\\")


def _version_publish(version: ResourceVersion, fields: list[dict], *, schema: dict | None) -> ResourceVersion:
    now = timezone.now()
    with transaction.atomic():
        resource = (
            Resource.objects.select_for_update(of=("self",))
            .select_related("current_version")
            .get(pk=version.resource_id)
        )
        previous = resource.current_version
        overtaken = previous is not None and previous.number > version.number
        if not overtaken:
            previous_fields = previous.table_fields if previous else None
            version.changes = ingest.column_changes(previous_fields, fields) if previous_fields and fields else {}
            version.schema = schema or ({"fields": fields} if fields else {})
            version.schema_valid = bool(fields)
            version.status = Status.READY
            version.bytes_read = version.size
            version.published_at = now
            version.save(
                update_fields=["changes", "schema", "schema_valid", "status", "row_count", "bytes_read", "published_at"]
            )
            if previous:
                # Only the published version is queried; older files stay downloadable.
                _rows_delete(previous)
            resource.current_version = version
            resource.save(update_fields=["current_version"])
            Dataset.objects.filter(pk=resource.dataset_id).update(data_updated_at=now)
    if overtaken:
        return version_fail(
            version=version,
            message=gettext("A newer version (%(number)s) was published while this one was loading.")
            % {"number": previous.number},
        )
    dataset_refresh(Dataset.objects.select_related("department").get(pk=resource.dataset_id))
    return version
