"""Reading the files editors upload: CSV in any Korean encoding, XLSX, JSON and GeoJSON become rows
of text cells with a checked header; a Table Schema is inferred or checked against them; the rows
are written out as UTF-8 CSV and spooled, and read back from the spool as the JSON text of their
typed values.

No database here: services.version_ingest drives these and does the writing. Everything streams,
a few thousand rows at a time, so a 100 MB file is never held in memory (JSON and GeoJSON excepted:
they are parsed whole, as a JSON document cannot be read row by row with the standard library).
The work on a batch is done a column at a time with C-level map(), join() and regular expressions
rather than a Python call per cell: a million rows go through in seconds.
"""

import codecs
import collections
import csv
import io
import itertools
import json
import marshal
import operator
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import partial
from json.encoder import encode_basestring
from typing import AnyStr, BinaryIO, TextIO

import charset_normalizer
from django.template.defaultfilters import truncatechars
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SAMPLE_BYTES = 64 * 1024
MAX_ROW_ERRORS = 100
BATCH_ROWS = 5000  # rows checked, typed and written at a time
PROGRESS_EVERY_ROWS = 50_000
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
    encodings: that is refused with its line number, and so is a NUL character anywhere (a table
    cannot hold one).

    Lines are decoded a block at a time at C speed (the counts move a block at a time too); only a
    block that does not decode is gone through line by line, to switch encoding or name the line.
    Once copy_to is set, the lines from copy_from on are also written there, as they are.
    """

    BLOCK_BYTES = 256 * 1024

    def __init__(self, file: BinaryIO, encoding: str, *, undecided: bool = False):
        self.file = file
        self.encoding = encoding
        self.undecided = undecided  # only ASCII seen so far: CP949 is still possible
        self.line_number = 0
        self.bytes_read = 0
        self.copy_to: TextIO | None = None
        self.copy_from = 0

    def __iter__(self) -> Iterator[str]:
        # Chained in C: the reader takes line after line without a Python call for each.
        return itertools.chain.from_iterable(self._blocks())

    def _blocks(self) -> Iterator[list[str]]:
        if self.encoding == "utf-8-sig":
            if self.file.read(3) == codecs.BOM_UTF8:
                self.bytes_read = 3
            else:
                self.file.seek(0)
        rest = b""
        while True:
            chunk = self.file.read(self.BLOCK_BYTES)
            data = rest + chunk
            end = data.rfind(b"\n") + 1 if chunk else len(data)  # whole lines only, until the last
            if not data:
                return
            if end == 0:  # a line longer than a block
                rest = data
                continue
            data, rest = data[:end], data[end:]
            first = self.line_number + 1
            if b"\x00" in data:
                line = first + data[: data.index(b"\x00")].count(b"\n")
                raise IngestError(nul_message(line), [row_error(line, "", nul_message(line))])
            try:
                decoded = _split_lines(data.decode(self._codec()), "\n")
            except UnicodeDecodeError:
                decoded = []
                for line in self._decode_line_by_line(_split_lines(data, b"\n")):
                    decoded.append(line)
                    yield [line]
            else:
                if self.undecided and not data.isascii():
                    self.undecided = False
                self.line_number += len(decoded)
                self.bytes_read += len(data)
                yield decoded
            # The reader has taken the whole block by now: the copy_to set while it read counts.
            if self.copy_to is not None:
                self.copy_to.write("".join(decoded[max(0, self.copy_from - first) :]))

    def _codec(self) -> str:
        return "utf-8" if self.encoding == "utf-8-sig" else self.encoding

    def _decode_line_by_line(self, block: list[bytes]) -> Iterator[str]:
        for raw in block:
            self.line_number += 1
            self.bytes_read += len(raw)
            try:
                line = raw.decode(self._codec())
            except UnicodeDecodeError:
                if not self.undecided:
                    raise IngestError(self._mixed_message()) from None
                self.encoding = "cp949"
                self.undecided = False
                try:
                    line = raw.decode(self.encoding)
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


def _split_lines(text: AnyStr, newline: AnyStr) -> list[AnyStr]:
    """Lines that end with a line feed (the last one perhaps not), as a binary file is read; unlike
    splitlines(), which also splits at carriage returns and other separators."""
    parts = text.split(newline)
    last = parts.pop()
    lines = list(map(operator.add, parts, itertools.repeat(newline)))
    if last:
        lines.append(last)
    return lines


def nul_message(line: int) -> str:
    # PostgreSQL cannot store the character at all, in text or in JSON.
    return _(
        "Line %(line)s contains a NUL character, which a table cannot hold: the file may not be a text "
        "file. Check that you chose the right file, or remove the character and upload it again."
    ) % {"line": line}


# --- Sources: a header and rows of text cells -------------------------------------------------


@dataclass
class RowBatch:
    """Rows read together: the cells of each row that is not blank, and where the editor finds
    each of them (worked out only when a row is at fault)."""

    rows: list[list[str]]
    lines: Callable[[], list[int]]


@dataclass
class TableSource:
    header: list[str]
    # Sheets and JSON: the rows one by one. CSV: whole batches read at C speed instead.
    rows: Iterator[Row] = field(default_factory=lambda: iter(()))
    batches: Callable[[int], Iterator[RowBatch]] | None = None
    # CSV only: the decoder, which knows the bytes read so far and the encoding (it may change
    # from UTF-8 to CP949 while reading).
    lines: DecodedLines | None = None
    detected_encoding: str = ""
    # Sheets and JSON have no fixed row length: short rows are padded and empty extra cells dropped.
    strict_width: bool = True
    # Comma-separated CSV: the lines after the header are already a CSV of the rows, to copy as they are.
    rows_are_csv_lines: bool = False

    def bytes_read(self) -> int:
        return self.lines.bytes_read if self.lines else 0

    @property
    def encoding(self) -> str:
        return self.lines.encoding if self.lines else self.detected_encoding

    def row_batches(self, size: int) -> Iterator[RowBatch]:
        if self.batches:
            return self.batches(size)
        return (
            RowBatch([cells for _line, cells in batch], lambda batch=batch: [line for line, _cells in batch])
            for batch in batches(self.rows, size)
        )


def _is_blank(cells: list[str]) -> bool:
    return not "".join(cells).strip()


def _line_count(cells: list[str]) -> int:
    # Lines are split at line feeds only, so a row spans one line more than the line feeds in its cells.
    return 1 + "".join(cells).count("\n")


def _csv_batches(
    reader: Iterator[list[str]], line_num: Callable[[], int], offset: int, size: int
) -> Iterator[RowBatch]:
    """The rows of a csv.reader a batch at a time, blank ones left out, the lines they start on
    counted back from the line feeds in them when needed."""
    while True:
        start = line_num() + offset + 1
        read: list[list[str]] = []
        try:
            read.extend(itertools.islice(reader, size))  # keeps the rows read before an error
        except csv.Error as error:
            # The row that could not be read starts on the line after the last good one.
            raise IngestError(_csv_message(start + sum(map(_line_count, read)), error)) from None
        if not read:
            return
        rows = list(filter(None, read))  # an empty line reads as []
        if not all(map(str.strip, map(operator.itemgetter(0), rows))):  # a row with a first cell is not blank
            rows = [cells for cells in rows if not _is_blank(cells)]

        def lines(read: list[list[str]] = read, start: int = start) -> list[int]:
            starts = itertools.accumulate(map(_line_count, read), initial=start)
            return [line for line, cells in zip(starts, read, strict=False) if cells and not _is_blank(cells)]

        yield RowBatch(rows, lines)


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
    first, header_line = "", 0
    for first in line_iter:
        header_line += 1
        if first.strip():
            break
    delimiter = max(",\t;", key=first.count) if first.count(",") == 0 else ","
    # Strict: a stray or unclosed quote is an error to report, not a row silently glued together.
    reader = csv.reader(itertools.chain([first], line_iter), delimiter=delimiter, strict=True)
    try:
        header = next(reader, [])
    except csv.Error as error:
        raise IngestError(_csv_message(header_line, error)) from None
    offset = header_line - 1  # blank lines before the header were consumed above
    lines.copy_from = offset + reader.line_num + 1  # the line the rows start on
    return TableSource(
        header=header,
        batches=partial(_csv_batches, reader, lambda: reader.line_num, offset),
        lines=lines,
        rows_are_csv_lines=delimiter == ",",
    )


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


# Whole batches of a column at once: each value (trimmed, non-empty) checked by a regular expression
# or a parser mapped over the list, without a Python call per value.
def _all_dates(pattern: re.Pattern, parse: Callable[[str], object]) -> Callable[[list[str]], bool]:
    def fit(values: list[str]) -> bool:
        values = set(values)  # dates repeat: each is checked once
        if not all(map(pattern.fullmatch, values)):
            return False
        try:
            collections.deque(map(parse, values), maxlen=0)
        except ValueError:
            return False
        return True

    return fit


ALL_FIT: dict[str, Callable[[list[str]], bool]] = {
    "integer": lambda values: all(map(INTEGER.fullmatch, values)),
    "number": lambda values: all(map(NUMBER.fullmatch, values)),
    "boolean": lambda values: BOOLEAN.keys() >= set(values),
    "date": _all_dates(DATE, date.fromisoformat),
    "datetime": _all_dates(DATETIME, datetime.fromisoformat),
    "string": lambda values: True,
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


def column_type(current: str | None, values: list[str]) -> str | None:
    """The type a column has after a batch of its (trimmed, non-empty) values."""
    if current == "string" or (current is not None and ALL_FIT[current](values)):
        return current
    for value in values:
        if current is None or not FITS[current](value):
            current = widen(current, value_type(value))
            if current == "string":
                break
    return current


TYPE_LABELS = {
    "integer": gettext_lazy("a whole number"),
    "number": gettext_lazy("a number"),
    "boolean": gettext_lazy("true or false"),
    "date": gettext_lazy("a date (YYYY-MM-DD)"),
    "datetime": gettext_lazy("a date and time (YYYY-MM-DD HH:MM:SS)"),
    "string": gettext_lazy("text"),
}


def batches(items: Iterable, size: int = BATCH_ROWS) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _trimmed(cells: Iterable[str]) -> list[str]:
    """The non-empty cells of a column, trimmed."""
    return list(filter(None, map(str.strip, cells)))


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
    spool: "RowSpool | None" = None,
) -> Checked:
    """Reads every row once: checks its width (and, with an editor's schema, its values), infers
    each column's type, and writes the row to `out` as UTF-8 CSV (and its cells to `spool`, for pass
    two). Raises IngestError with the rows at fault; calls progress(bytes_read, rows) every
    PROGRESS_EVERY_ROWS rows and at the end.

    Rows go a batch at a time. A batch whose rows all have the header's width and fit the schema is
    checked and typed a column at a time; a batch with anything wrong in it is gone through row by
    row, so that the errors are listed in file order. A comma-separated CSV's rows are copied as
    the lines they were read from; other sources' rows are written out as CSV."""
    fields = header_fields(source.header)
    given = schema_fields(schema) if schema else None
    if given:
        _check_header_against_schema(fields, given)
    width = len(fields)
    names = [item["name"] for item in fields]
    batch_text = io.StringIO()
    # CRLF as in RFC 4180: the csv module quotes a cell holding a carriage return only when the line
    # ending has one, and an unquoted carriage return would split the row when the copy is read.
    writer = csv.writer(batch_text, lineterminator="\r\n")
    writer.writerow(names)
    out.write(batch_text.getvalue())
    batch_text.seek(0)
    batch_text.truncate()
    if source.rows_are_csv_lines:
        source.lines.copy_to = out

    types: list[str | None] = [None] * width
    checks = [(item["type"], bool(item.get("constraints", {}).get("required"))) for item in given or []]
    errors: list[dict] = []
    error_count = 0
    ragged = 0
    rows = 0
    reported = 0
    for batch in source.row_batches(BATCH_ROWS):
        table = batch.rows
        if not source.rows_are_csv_lines and "\x00" in "".join(itertools.chain.from_iterable(table)):
            line = next(line for line, cells in zip(batch.lines(), table, strict=True) if "\x00" in "".join(cells))
            raise IngestError(nul_message(line), [row_error(line, "", nul_message(line))])
        if set(map(len, table)) == {width} and (not given or _columns_fit(checks, table)):
            rows += len(table)
            if not given:
                columns = zip(*table, strict=True)
                types = [
                    kind if kind == "string" else column_type(kind, _trimmed(column))
                    for kind, column in zip(types, columns, strict=True)
                ]
        else:
            fitting = []
            for line, cells in zip(batch.lines(), table, strict=True):
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
                fitting.append(cells)
                if given:
                    for position, ((kind, required), value) in enumerate(zip(checks, cells, strict=True)):
                        value = value.strip()
                        if (value and not FITS[kind](value)) or (required and not value):
                            error_count += 1
                            if len(errors) < MAX_ROW_ERRORS:
                                errors.append(row_error(line, names[position], _cell_message(given[position], value)))
                else:
                    types = [column_type(kind, _trimmed([value])) for kind, value in zip(types, cells, strict=True)]
            table = fitting
        if not errors and not source.rows_are_csv_lines:
            writer.writerows(table)
            out.write(batch_text.getvalue())
            batch_text.seek(0)
            batch_text.truncate()
        if not errors and spool is not None and table:
            spool.write(table)
        if rows - reported >= PROGRESS_EVERY_ROWS:
            progress(source.bytes_read(), rows)
            reported = rows

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


def _columns_fit(checks: list[tuple[str, bool]], table: list[list[str]]) -> bool:
    """Whether every cell of a batch fits the editor's schema."""
    for (kind, required), column in zip(checks, zip(*table, strict=True), strict=True):
        values = _trimmed(column)
        if (required and len(values) < len(column)) or not ALL_FIT[kind](values):
            return False
    return True


def _cell_message(schema_field: dict, value: str) -> str:
    if not value:
        return _("The column %(name)s must not be empty.") % {"name": schema_field["name"]}
    return _('"%(value)s" is not %(expected)s.') % {
        "value": truncatechars(value, 50),
        "expected": TYPE_LABELS[schema_field["type"]],
    }


def text_writer(file: BinaryIO) -> io.TextIOWrapper:
    return io.TextIOWrapper(file, encoding=UTF8_COPY_ENCODING, newline="")


# --- Pass two: rows as JSON from the spool ----------------------------------------------------


class RowSpool:
    """The cells of the rows pass one checked, kept in a temporary file for pass two in marshal's
    format: loading them back costs a third of decoding and parsing the UTF-8 copy again. Each
    batch is stored as its length (8 bytes) and the marshalled list of its rows."""

    def __init__(self, file: BinaryIO):
        self.file = file
        self.size = 0
        self.bytes_read = 0

    def write(self, rows: list[list[str]]) -> None:
        data = marshal.dumps(rows)
        self.file.write(len(data).to_bytes(8, "little"))
        self.file.write(data)
        self.size += 8 + len(data)

    def batches(self) -> Iterator[list[list[str]]]:
        self.file.seek(0)
        while length := self.file.read(8):
            data = self.file.read(int.from_bytes(length, "little"))
            self.bytes_read += len(length) + len(data)
            yield marshal.loads(data)  # noqa: S302 - written by this load, a moment before


BOOLEAN_JSON = {text: "true" if value else "false" for text, value in BOOLEAN.items()}
# What json.dumps writes for a float that overflowed (a cell like 1e999).
INFINITY_JSON = {"inf": "Infinity", "-inf": "-Infinity"}


def _json_integers(values: list[str]) -> list[str]:
    # A checked integer is its own JSON unless it has a plus sign or is a negative zero.
    if "-0" in values or "+" in "".join(values):
        return list(map(str, map(int, values)))
    return values


def _json_numbers(values: list[str]) -> list[str]:
    if (texts := _plain_decimals_as_repr(values)) is not None:
        return texts
    texts = list(map(float.__repr__, map(float, values)))
    if "inf" in texts or "-inf" in texts:
        texts = [INFINITY_JSON.get(text, text) for text in texts]
    return texts


def _plain_decimals_as_repr(values: list[str]) -> list[str] | None:
    """What repr(float(value)) gives for each value, worked out on the text, when every value is a
    plain decimal (a point, no exponent, no plus sign) that a float holds exactly: at most 15
    digits once the trailing zeros are dropped, and no smaller than 0.0001 unless zero. Then repr
    writes the same digits without the trailing zeros (12.50 is 12.5, 3.000 is 3.0); the values
    are NUMBER matches already. None when any value is not such a decimal."""
    joined = "\x00" + "\x00".join(values)
    if (
        joined.count(".") != len(values)
        or "\x00." in joined
        or "\x00-." in joined
        or "e" in joined.lower()
        or "+" in joined
    ):
        return None
    texts = list(map(str.rstrip, values, itertools.repeat("0")))
    if max(map(len, texts), default=0) > 16:  # more than 15 digits, or a minus sign and 15 digits
        return None
    joined = "\x00" + "\x00".join(texts) + "\x00"
    if "\x000.0000" in joined or "\x00-0.0000" in joined:  # below 0.0001, which repr writes with an exponent
        return None
    return joined.replace(".\x00", ".0\x00")[1:-1].split("\x00")


def _json_strings(values: Iterable[str]) -> list[str]:
    return list(map(encode_basestring, values))


# Cells of a column (trimmed, non-empty; text cells as they are) as JSON values.
JSON_VALUES: dict[str, Callable[[list[str]], list[str]]] = {
    "integer": _json_integers,
    "number": _json_numbers,
    "boolean": lambda values: list(map(BOOLEAN_JSON.__getitem__, values)),
    "date": _json_strings,
    "datetime": _json_strings,
    "string": _json_strings,
}


def json_rows(table: list[list[str]], fields: list[dict], *, numbered: tuple[str, int] | None = None) -> list[str]:
    """Checked rows as the JSON text of {column: typed value}, empty cells left out: the text
    json.dumps(row, ensure_ascii=False, separators=(",", ":")) gives, made a column at a time.

    With numbered=(prefix, first), each row is a line instead: the prefix formatted with the row's
    number (counted from first), the JSON, a line feed; such as COPY's text lines, made in the same
    pass over the rows rather than a second one."""
    kinds = [column["type"] for column in fields]
    keys = [encode_basestring(column["name"]) + ":" for column in fields]
    cells_by_column = list(zip(*table, strict=True))
    trimmed_by_column = [list(map(str.strip, cells)) for cells in cells_by_column]
    before, after = (numbered[0], "\n") if numbered else ("", "")
    numbers = [itertools.count(numbered[1])] if numbered else []
    if not any("" in trimmed for trimmed in trimmed_by_column):
        values = [
            JSON_VALUES[kind](list(cells) if kind == "string" else trimmed)
            for kind, cells, trimmed in zip(kinds, cells_by_column, trimmed_by_column, strict=True)
        ]
        row = before + "{" + ",".join(key.replace("%", "%%") + "%s" for key in keys) + "}" + after
        return list(map(row.__mod__, zip(*numbers, *values, strict=False)))  # numbers never run out
    # Some cells are empty: each row's members are joined without them.
    members = []
    for kind, key, cells, trimmed in zip(kinds, keys, cells_by_column, trimmed_by_column, strict=True):
        values = list(cells) if kind == "string" else trimmed
        present = list(itertools.compress(range(len(values)), trimmed))
        texts = [""] * len(values)
        filled = map(key.__add__, JSON_VALUES[kind](list(map(values.__getitem__, present))))
        collections.deque(map(texts.__setitem__, present, filled), maxlen=0)
        members.append(texts)
    rows = map(",".join, map(filter, itertools.repeat(None), zip(*members, strict=True)))
    return list(map((before + "{%s}" + after).__mod__, zip(*numbers, rows, strict=False)))


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
