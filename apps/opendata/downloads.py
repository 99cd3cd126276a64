"""Resource downloads: the original file of the published version or of any earlier published
version, and the published rows as UTF-8 CSV (with a BOM, for Excel) or as XLSX."""

import codecs
import json
import tempfile
from collections.abc import Iterator
from pathlib import PurePath

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from apps.municipalities.selectors import municipality_for_request
from apps.opendata import selectors, services
from apps.opendata.models import DatastoreRow, Resource, ResourceVersion

CONTENT_TYPES = {
    Resource.Format.CSV: "text/csv",
    Resource.Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    Resource.Format.JSON: "application/json",
    Resource.Format.GEOJSON: "application/geo+json",
    Resource.Format.ZIP: "application/zip",
}
XLSX_MAX_ROWS = 1_048_576 - 1  # Excel's sheet limit, less the header row
XLSX_MAX_CELL = 32_767  # characters Excel keeps in one cell
CHUNK_BYTES = 64 * 1024


def _missing(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "opendata/file_missing.html", {"message": message}, status=404)


def _resource(request: HttpRequest, resource_id) -> Resource | None:
    municipality = municipality_for_request(request)
    if municipality is None:
        return None
    resource = selectors.resource_get_public(municipality=municipality, resource_id=resource_id)
    return resource if resource is not None and resource.kind == Resource.Kind.FILE else None


def _download_name(version: ResourceVersion, suffix: str) -> str:
    stem = PurePath(version.original_name).stem or str(version.resource_id)
    return f"{stem}{suffix}"


def _open(file: FieldFile):
    try:
        return file.open("rb")
    except (FileNotFoundError, ValueError):  # ValueError: no file stored at all
        return None


@require_GET
def original(request: HttpRequest, resource_id, number: int | None = None) -> HttpResponse:
    """The file as the department uploaded it: the published version, or version `number` if it
    was ever published. Versions that failed to load were never public and stay so."""
    resource = _resource(request, resource_id)
    if resource is None:
        return _missing(request, _("There is no such file among the published datasets."))
    if number is None:
        version = resource.current_version
    else:
        version = resource.versions.filter(number=number, published_at__isnull=False).first()
    if version is None:
        return _missing(request, _("This version of the file was never published."))
    handle = _open(version.upload)
    if handle is None:
        return _missing(request, _("The file is missing from the server. Please tell the department in charge."))
    content_type = CONTENT_TYPES.get(resource.format, "application/octet-stream")
    if resource.format == Resource.Format.CSV and version.encoding:
        content_type += f"; charset={version.encoding}"
    services.resource_download_count(resource)
    return FileResponse(handle, as_attachment=True, filename=version.original_name, content_type=content_type)


def _published_table(request: HttpRequest, resource_id) -> tuple[Resource | None, ResourceVersion | None, str]:
    """The resource and its published version when it has rows; else a message saying why not."""
    resource = _resource(request, resource_id)
    if resource is None:
        return None, None, _("There is no such file among the published datasets.")
    version = resource.current_version
    if version is None or not version.utf8_csv or not version.table_fields:
        return resource, None, _("This file has no table of rows, so it cannot be converted to CSV or Excel.")
    return resource, version, ""


def _with_bom(handle) -> Iterator[bytes]:
    """The UTF-8 BOM, then the file without a BOM of its own: Excel reads Korean right only with it."""
    with handle:
        first = handle.read(CHUNK_BYTES)
        yield codecs.BOM_UTF8
        yield first.removeprefix(codecs.BOM_UTF8)
        while chunk := handle.read(CHUNK_BYTES):
            yield chunk


@require_GET
def as_csv(request: HttpRequest, resource_id) -> HttpResponse:
    resource, version, problem = _published_table(request, resource_id)
    if version is None:
        return _missing(request, problem)
    handle = _open(version.utf8_csv)
    if handle is None:
        return _missing(request, _("The file is missing from the server. Please tell the department in charge."))
    services.resource_download_count(resource)
    response = StreamingHttpResponse(_with_bom(handle), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, _download_name(version, ".csv"))
    return response


def _cell(sheet, value: object) -> object:
    """A value as Excel should show it: text stays text (never a formula), nested values as JSON."""
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, ILLEGAL_CHARACTERS_RE.sub("", value)[:XLSX_MAX_CELL])
    cell.data_type = "s"  # "=..." from a data file must not run as a formula in the reader's Excel
    return cell


def _write_xlsx(version: ResourceVersion, file) -> None:
    columns = [field["name"] for field in version.table_fields]
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title="data")
    sheet.append([_cell(sheet, name) for name in columns])
    rows = DatastoreRow.objects.filter(version=version).order_by("number").values_list("data", flat=True)
    written = 0
    for data in rows[:XLSX_MAX_ROWS].iterator(chunk_size=2000):
        sheet.append([_cell(sheet, data.get(name)) for name in columns])
        written += 1
    if written < version.row_count:
        note = book.create_sheet(title="note")
        note.append(
            [
                _(
                    "Excel holds at most %(limit)s rows in a sheet: this file has the first %(written)s of "
                    "%(total)s rows. Download the CSV file or use the API for all of them."
                )
                % {"limit": f"{XLSX_MAX_ROWS:,}", "written": f"{written:,}", "total": f"{version.row_count:,}"}
            ]
        )
    book.save(file)


@require_GET
def as_xlsx(request: HttpRequest, resource_id) -> HttpResponse:
    """The published rows as an Excel workbook, built in a temporary file that goes away once sent."""
    resource, version, problem = _published_table(request, resource_id)
    if version is None:
        return _missing(request, problem)
    file = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it, which deletes it
    _write_xlsx(version, file)
    file.seek(0)
    services.resource_download_count(resource)
    return FileResponse(
        file,
        as_attachment=True,
        filename=_download_name(version, ".xlsx"),
        content_type=CONTENT_TYPES[Resource.Format.XLSX],
    )
