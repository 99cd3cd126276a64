"""Reading the files editors upload: CSV in any Korean encoding, XLSX, JSON and GeoJSON become rows
of text cells with a checked header; a Table Schema is inferred or checked against them; the rows
are written out as UTF-8 CSV and read back with typed values.

No database here: services.version_ingest drives these and does the writing. Everything streams,
line by line, so a 100 MB file is never held in memory (JSON and GeoJSON excepted: they are parsed
whole, as a JSON document cannot be read row by row with the standard library).
"""

import codecs
import csv
import io
import itertools
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import BinaryIO, TextIO

import charset_normalizer
from django.template.defaultfilters import truncatechars
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SAMPLE_BYTES = 64 * 1024
MAX_ROW_ERRORS = 100
PROGRESS_EVERY_ROWS = 5000
# The UTF-8 copy keeps a BOM so Excel opens the Korean in it correctly.
UTF8_COPY_ENCODING = "utf-8-sig"

TYPES = ("integer", "number", "boolean", "date", "datetime", "string")
Row = tuple[int, list[str]]  # (where the editor finds it: line, sheet row or item number; cells)


class IngestError(Exception):
    """Why a file cannot be published, for the editor; row_errors lists the rows at fault."""

    def __init__(self, message: str, row_errors: list[dict] | None = None):
        super().__init__(message)
        self.message = message
        self.row_errors = (row_errors or [])[:MAX_ROW_ERRORS]


def row_error(row: int, field_name: str, message: str) -> dict:
    return {"row": row, "field": field_name, "message": message}


# --- Encodings --------------------------------------------------------------------------------


def detect_encoding(sample: bytes) -> str:
    """The codec of a text file from its first bytes: "utf-8-sig" (a BOM), "utf-8" or "cp949"
    (CP949 is Windows' superset of EUC-KR, so it reads both). Anything else is refused."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IngestError(_("The file is in UTF-16. Save it as CSV UTF-8 (or CP949) and upload it again."))
    if b"\x00" in sample:
        raise IngestError(_("This is not a text file (it contains binary data). Check that you chose the right file."))
    # A sample may end inside a character: only whole lines are looked at.
    whole_lines = sample[: sample.rfind(b"\n") + 1 or len(sample)]
    try:
        whole_lines.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(whole_lines, cp_isolation=["cp949", "euc_kr"]).best()
    if best is None:
        raise IngestError(
            _("The text encoding could not be recognised. Save the file as CSV UTF-8 (or CP949) and upload it again.")
        )
    return "cp949"


ENCODING_LABELS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 (BOM)", "cp949": "CP949 (EUC-KR)"}


class DecodedLines:
    """The lines of a binary file decoded strictly, counting lines and bytes as they go.

    A file whose first part is plain ASCII is read as UTF-8 until its first non-ASCII line; if that
    line is not UTF-8, the whole file is taken to be CP949 (the lines before read the same in
    both). A line that does not decode in the encoding the file has shown means the file mixes
    encodings: that is refused with its line number.
    """

    def __init__(self, file: BinaryIO, encoding: str, *, undecided: bool = False):
        self.file = file
        self.encoding = encoding
        self.undecided = undecided  # only ASCII seen so far: CP949 is still possible
        self.line_number = 0
        self.bytes_read = 0

    def __iter__(self) -> Iterator[str]:
        codec = "utf-8" if self.encoding == "utf-8-sig" else self.encoding
        if self.encoding == "utf-8-sig":
            if self.file.read(3) == codecs.BOM_UTF8:
                self.bytes_read = 3
            else:
                self.file.seek(0)
        for raw in self.file:
            self.line_number += 1
            self.bytes_read += len(raw)
            try:
                line = raw.decode(codec)
            except UnicodeDecodeError:
                if not self.undecided:
                    raise IngestError(self._mixed_message()) from None
                codec = self.encoding = "cp949"
                self.undecided = False
                try:
                    line = raw.decode(codec)
                except UnicodeDecodeError:
                    raise IngestError(self._mixed_message()) from None
            else:
                if self.undecided and not raw.isascii():
                    self.undecided = False
            yield line

    def _mixed_message(self) -> str:
        return _(
            "Line %(line)s is not %(encoding)s text like the lines before it: the file mixes text encodings. "
            "Save the whole file as CSV UTF-8 and upload it again."
        ) % {"line": self.line_number, "encoding": ENCODING_LABELS.get(self.encoding, self.encoding)}


# --- Sources: a header and rows of text cells -------------------------------------------------


@dataclass
class TableSource:
    header: list[str]
    rows: Iterator[Row]
    # CSV only: the decoder, which knows the bytes read so far and the encoding (it may change
    # from UTF-8 to CP949 while reading).
    lines: DecodedLines | None = None
    detected_encoding: str = ""
    # Sheets and JSON have no fixed row length: short rows are padded and empty extra cells dropped.
    strict_width: bool = True

    def bytes_read(self) -> int:
        return self.lines.bytes_read if self.lines else 0

    @property
    def encoding(self) -> str:
        return self.lines.encoding if self.lines else self.detected_encoding


def _is_blank(cells: list[str]) -> bool:
    return not "".join(cells).strip()


def read_csv(file: BinaryIO, *, encoding: str | None = None) -> TableSource:
    """A CSV file in UTF-8 (with or without BOM) or CP949/EUC-KR; comma, tab or semicolon separated."""
    sample = file.read(SAMPLE_BYTES)
    file.seek(0)
    if not sample.strip():
        raise IngestError(_("The file is empty."))
    undecided = False
    if encoding is None:
        encoding = detect_encoding(sample)
        undecided = encoding == "utf-8" and sample.isascii()
    lines = DecodedLines(file, encoding, undecided=undecided)
    line_iter = iter(lines)
    first = ""
    for first in line_iter:
        if first.strip():
            break
    delimiter = max(",\t;", key=first.count) if first.count(",") == 0 else ","
    # Strict: a stray or unclosed quote is an error to report, not a row silently glued together.
    reader = csv.reader(itertools.chain([first], line_iter), delimiter=delimiter, strict=True)
    header_line = lines.line_number
    try:
        header = next(reader, [])
    except csv.Error as error:
        raise IngestError(_csv_message(header_line, error)) from None
    offset = header_line - 1  # blank lines before the header were consumed above

    def rows() -> Iterator[Row]:
        previous = reader.line_num
        try:
            for cells in reader:
                start, previous = previous + 1, reader.line_num
                if cells and not _is_blank(cells):
                    yield start + offset, cells
        except csv.Error as error:
            # The row that could not be read starts on the line after the last good one.
            raise IngestError(_csv_message(previous + 1 + offset, error)) from None

    return TableSource(header=header, rows=rows(), lines=lines)


def _csv_message(line: int, error: csv.Error) -> str:
    return _("Line %(line)s could not be read as CSV (%(problem)s). Check the quotes on that line.") % {
        "line": line,
        "problem": error,
    }


def cell_text(value: object) -> str:
    """A spreadsheet or JSON value as the text a CSV would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def read_xlsx(file: BinaryIO) -> TableSource:
    """The first sheet of a workbook; the first non-empty row is the header."""
    import openpyxl  # only workers that load spreadsheets pay for importing it

    try:
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        sheet_rows = sheet.iter_rows(values_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds for a file that is not a workbook
        raise IngestError(
            _("The file could not be opened as an Excel workbook (.xlsx). Save it again from Excel and upload it.")
        ) from error
    numbered = ((number, [cell_text(value) for value in values]) for number, values in enumerate(sheet_rows, 1))
    header: list[str] = []
    for _number, cells in numbered:
        if not _is_blank(cells):
            header = cells
            break
    while header and not header[-1].strip():
        header.pop()
    rows = ((number, cells) for number, cells in numbered if not _is_blank(cells))
    return TableSource(header=header, rows=rows, strict_width=False)


def _read_json_document(file: BinaryIO) -> tuple[object, str]:
    data = file.read()
    if not data.strip():
        raise IngestError(_("The file is empty."))
    encoding = detect_encoding(data[:SAMPLE_BYTES])
    try:
        return json.loads(data.decode(encoding)), encoding
    except UnicodeDecodeError:
        raise IngestError(_("The file mixes text encodings. Save it as UTF-8 and upload it again.")) from None
    except json.JSONDecodeError as error:
        raise IngestError(
            _("The file is not valid JSON: %(problem)s (line %(line)s, column %(column)s).")
            % {"problem": error.msg, "line": error.lineno, "column": error.colno}
        ) from None


def _records_source(records: Iterable[dict], encoding: str) -> TableSource:
    records = list(records)
    header: dict[str, None] = {}  # every key, in the order first seen
    for record in records:
        header.update(dict.fromkeys(record))
    names = list(header)
    rows = ((number, [cell_text(record.get(name)) for name in names]) for number, record in enumerate(records, 1))
    return TableSource(header=names, rows=rows, detected_encoding=encoding, strict_width=False)


def read_json(file: BinaryIO) -> TableSource:
    """An array of flat objects, or an object holding one under "records" or "data"."""
    document, encoding = _read_json_document(file)
    if isinstance(document, dict):
        document = document.get("records", document.get("data"))
    if not isinstance(document, list):
        raise IngestError(
            _('The JSON must be an array of objects, or an object with the array under "records" or "data".')
        )
    for number, item in enumerate(document, 1):
        if not isinstance(item, dict):
            raise IngestError(
                _("Item %(number)s of the JSON array is not an object with named values.") % {"number": number}
            )
    return _records_source(document, encoding)


def read_geojson(file: BinaryIO) -> TableSource:
    """A FeatureCollection: a row per feature's properties; points add latitude and longitude."""
    document, encoding = _read_json_document(file)
    if isinstance(document, dict) and document.get("type") == "Feature":
        document = {"type": "FeatureCollection", "features": [document]}
    if not isinstance(document, dict) or not isinstance(document.get("features"), list):
        raise IngestError(_("The GeoJSON must be a FeatureCollection with a list of features."))
    records = []
    has_points = False
    for number, feature in enumerate(document["features"], 1):
        if not isinstance(feature, dict):
            raise IngestError(_("Feature %(number)s of the GeoJSON is not an object.") % {"number": number})
        record = dict(feature.get("properties") or {})
        geometry = feature.get("geometry") if isinstance(feature.get("geometry"), dict) else {}
        coordinates = geometry.get("coordinates")
        if geometry.get("type") == "Point" and isinstance(coordinates, list) and len(coordinates) >= 2:
            has_points = True
            record.setdefault("longitude", coordinates[0])
            record.setdefault("latitude", coordinates[1])
        records.append(record)
    source = _records_source(records, encoding)
    if has_points:
        # Coordinates last, after the properties, whatever order the features listed them in.
        ordered = [name for name in source.header if name not in ("latitude", "longitude")] + ["latitude", "longitude"]
        source = _records_source([{name: record.get(name) for name in ordered} for record in records], encoding)
    return source


def check_zip(file: BinaryIO) -> None:
    """A ZIP is published as it is; it must at least be a readable archive."""
    try:
        with zipfile.ZipFile(file) as archive:
            broken = archive.testzip()
    except (zipfile.BadZipFile, OSError, EOFError):
        raise IngestError(_("The file is not a ZIP archive, or it is damaged.")) from None
    if broken:
        raise IngestError(_("The ZIP archive is damaged: %(name)s cannot be read.") % {"name": broken})


# --- Header and schema ------------------------------------------------------------------------


def header_fields(header: list[str]) -> list[dict]:
    """Table Schema fields named by the header; the name is trimmed and the original kept as title."""
    if not header or _is_blank(header):
        raise IngestError(_("The file has no header row: the first row must name the columns."))
    fields: list[dict] = []
    seen: dict[str, int] = {}
    for position, title in enumerate(header, 1):
        name = title.replace("\ufeff", "").strip()
        if not name:
            raise IngestError(
                _("Column %(position)s has no name. Every column needs a name in the first row.")
                % {"position": position}
            )
        if name in seen:
            raise IngestError(
                _('The column name "%(name)s" is used twice (columns %(first)s and %(second)s). Names must differ.')
                % {"name": name, "first": seen[name], "second": position}
            )
        seen[name] = position
        fields.append({"name": name, "title": title} if title != name else {"name": name})
    return fields


def schema_fields(schema: dict) -> list[dict]:
    """The fields of an editor's Table Schema, checked: each needs a unique name and a type we load."""
    fields = schema.get("fields") if isinstance(schema, dict) else None
    if not isinstance(fields, list) or not fields:
        raise IngestError(
            _('The table schema needs a "fields" list, e.g. {"fields": [{"name": "주소", "type": "string"}]}.')
        )
    names = set()
    for position, item in enumerate(fields, 1):
        name = item.get("name") if isinstance(item, dict) else None
        if not isinstance(name, str) or not name.strip():
            raise IngestError(_("Field %(position)s of the table schema has no name.") % {"position": position})
        if name in names:
            raise IngestError(_('The table schema names the field "%(name)s" twice.') % {"name": name})
        names.add(name)
        kind = item.get("type", "string")
        if kind not in TYPES:
            raise IngestError(
                _('The field "%(name)s" has the type "%(type)s"; the types that can be loaded are %(types)s.')
                % {"name": name, "type": kind, "types": ", ".join(TYPES)}
            )
    return [{**item, "type": item.get("type", "string")} for item in fields]


def _check_header_against_schema(header: list[dict], fields: list[dict]) -> None:
    found = [item["name"] for item in header]
    expected = [item["name"] for item in fields]
    if found != expected:
        raise IngestError(
            _("The file's columns (%(found)s) are not the schema's (%(expected)s), in the same order.")
            % {"found": ", ".join(found), "expected": ", ".join(expected)}
        )


# --- Types ------------------------------------------------------------------------------------

# At most 15 digits, no leading zero: longer numbers and zero-led codes (postcodes, phone numbers,
# 행정동 codes written with a 0) are identifiers to keep as text, not quantities.
INTEGER = re.compile(r"[+-]?(?:0|[1-9][0-9]{0,14})")
NUMBER = re.compile(r"[+-]?(?:(?:0|[1-9][0-9]{0,14})(?:\.[0-9]+)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?"
)
BOOLEAN = {"true": True, "false": False, "TRUE": True, "FALSE": False, "True": True, "False": False}


def _is_date(value: str) -> bool:
    if not DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_datetime(value: str) -> bool:
    if not DATETIME.fullmatch(value):
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


FITS: dict[str, Callable[[str], bool]] = {
    "integer": lambda value: INTEGER.fullmatch(value) is not None,
    "number": lambda value: NUMBER.fullmatch(value) is not None,
    "boolean": BOOLEAN.__contains__,
    "date": _is_date,
    "datetime": _is_datetime,
    "string": lambda value: True,
}


def value_type(value: str) -> str:
    """The narrowest type a (trimmed, non-empty) cell fits."""
    for kind in ("integer", "number", "boolean", "date", "datetime"):
        if FITS[kind](value):
            return kind
    return "string"


def widen(current: str | None, found: str) -> str:
    """The type a column has after one more value: integers widen to numbers, anything else mixed is text."""
    if current is None or current == found:
        return found
    if {current, found} == {"integer", "number"}:
        return "number"
    return "string"


CONVERT: dict[str, Callable[[str], object]] = {
    "integer": int,
    "number": float,
    "boolean": BOOLEAN.__getitem__,
    "date": str,
    "datetime": str,
    "string": str,
}

TYPE_LABELS = {
    "integer": gettext_lazy("a whole number"),
    "number": gettext_lazy("a number"),
    "boolean": gettext_lazy("true or false"),
    "date": gettext_lazy("a date (YYYY-MM-DD)"),
    "datetime": gettext_lazy("a date and time (YYYY-MM-DD HH:MM:SS)"),
    "string": gettext_lazy("text"),
}


# --- Pass one: check, infer, write the UTF-8 copy ---------------------------------------------


@dataclass
class Checked:
    fields: list[dict]  # Table Schema fields, typed
    row_count: int
    encoding: str


def table_to_csv(
    source: TableSource,
    out: TextIO,
    *,
    schema: dict | None = None,
    progress: Callable[[int, int], None] = lambda bytes_read, rows: None,
) -> Checked:
    """Reads every row once: checks its width (and, with an editor's schema, its values), infers
    each column's type, and writes the row to `out` as UTF-8 CSV. Raises IngestError with the rows
    at fault; calls progress(bytes_read, rows) every few thousand rows."""
    fields = header_fields(source.header)
    given = schema_fields(schema) if schema else None
    if given:
        _check_header_against_schema(fields, given)
    width = len(fields)
    names = [item["name"] for item in fields]
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)

    types: list[str | None] = [None] * width
    checks = [(FITS[item["type"]], bool(item.get("constraints", {}).get("required"))) for item in given or []]
    errors: list[dict] = []
    error_count = 0
    ragged = 0
    rows = 0
    for line, cells in source.rows:
        if len(cells) != width:
            if not source.strict_width and len(cells) < width:
                cells = cells + [""] * (width - len(cells))
            elif not source.strict_width and _is_blank(cells[width:]):
                cells = cells[:width]
            else:
                ragged += 1
                error_count += 1
                if len(errors) < MAX_ROW_ERRORS:
                    errors.append(
                        row_error(
                            line,
                            "",
                            _("Line %(line)s has %(cells)s cells; the header has %(width)s.")
                            % {"line": line, "cells": len(cells), "width": width},
                        )
                    )
                continue
        rows += 1
        if given:
            for position, ((fits, required), value) in enumerate(zip(checks, cells, strict=True)):
                value = value.strip()
                if (value and not fits(value)) or (required and not value):
                    error_count += 1
                    if len(errors) < MAX_ROW_ERRORS:
                        errors.append(row_error(line, names[position], _cell_message(given[position], value)))
        else:
            for position, value in enumerate(cells):
                current = types[position]
                if current == "string" or not value:
                    continue
                value = value.strip()
                if value and (current is None or not FITS[current](value)):
                    types[position] = widen(current, value_type(value))
        if not errors:
            writer.writerow(cells)
        if rows % PROGRESS_EVERY_ROWS == 0:
            progress(source.bytes_read(), rows)

    if ragged:
        first = errors[0]
        raise IngestError(
            _("%(count)s rows do not have one cell per column. %(first)s Fix the rows listed below.")
            % {"count": ragged, "first": first["message"]},
            errors,
        )
    if errors:
        raise IngestError(
            _("%(count)s cells do not match the table schema. Fix the rows listed below or change the schema.")
            % {"count": error_count},
            errors,
        )
    if rows == 0:
        raise IngestError(_("The file has column names but no rows of data."))
    progress(source.bytes_read(), rows)
    typed = given or [{**item, "type": kind or "string"} for item, kind in zip(fields, types, strict=True)]
    return Checked(fields=typed, row_count=rows, encoding=source.encoding)


def _cell_message(schema_field: dict, value: str) -> str:
    if not value:
        return _("The column %(name)s must not be empty.") % {"name": schema_field["name"]}
    return _('"%(value)s" is not %(expected)s.') % {
        "value": truncatechars(value, 50),
        "expected": TYPE_LABELS[schema_field["type"]],
    }


# --- Pass two: typed rows from the UTF-8 copy -------------------------------------------------


def typed_rows(source: TableSource, fields: list[dict]) -> Iterator[dict]:
    """Each row of a checked UTF-8 copy as {column: typed value}, empty cells left out."""
    columns = [(item["name"], CONVERT[item["type"]], item["type"] == "string") for item in fields]
    for _line, cells in source.rows:
        row = {}
        for (name, convert, is_text), value in zip(columns, cells, strict=True):
            if not value or value.isspace():
                continue
            row[name] = value if is_text else convert(value.strip())
        yield row


def open_utf8_copy(file: BinaryIO) -> TableSource:
    return read_csv(file, encoding=UTF8_COPY_ENCODING)


def text_writer(file: BinaryIO) -> io.TextIOWrapper:
    return io.TextIOWrapper(file, encoding=UTF8_COPY_ENCODING, newline="")


# --- Changes between versions -----------------------------------------------------------------


def column_changes(old_fields: list[dict], new_fields: list[dict]) -> dict:
    """Columns added, removed and renamed since the previous version. A rename is a column in the
    same position with the same type under a name the other version does not have: a different
    type there is treated as a new column replacing an old one."""
    old_names = [item["name"] for item in old_fields]
    new_names = [item["name"] for item in new_fields]
    renamed = [
        [old["name"], new["name"]]
        for old, new in zip(old_fields, new_fields, strict=False)
        if old["name"] != new["name"]
        and old["name"] not in new_names
        and new["name"] not in old_names
        and old.get("type") == new.get("type")
    ]
    renamed_from = {old for old, _new in renamed}
    renamed_to = {new for _old, new in renamed}
    return {
        "added": [name for name in new_names if name not in old_names and name not in renamed_to],
        "removed": [name for name in old_names if name not in new_names and name not in renamed_from],
        "renamed": renamed,
    }
