"""Reading and checking a GTFS feed (a .zip or a folder of .txt files) before anything is written:
every problem is reported with its file and line, and a feed with any problem is not imported."""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

REQUIRED_COLUMNS = {
    "agency.txt": ["agency_name", "agency_url", "agency_timezone"],
    "stops.txt": ["stop_id", "stop_name", "stop_lat", "stop_lon"],
    "routes.txt": ["route_id", "route_type"],
    "trips.txt": ["route_id", "service_id", "trip_id"],
    "stop_times.txt": ["trip_id", "departure_time", "stop_id", "stop_sequence"],
}
OPTIONAL_FILES = ["calendar.txt", "calendar_dates.txt", "feed_info.txt"]
TIME = re.compile(r"^(\d{1,2}):([0-5]\d):([0-5]\d)$")
# A feed larger than this is not a city's bus and light-rail timetable.
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_HOURS = 48


@dataclass(frozen=True)
class FeedProblem:
    file: str
    line: int  # 0: the file as a whole
    message: Promise  # lazy: written in the language active when shown
    params: dict = field(default_factory=dict)

    def __str__(self) -> str:
        text = str(self.message) % self.params if self.params else str(self.message)
        return f"{self.file}:{self.line}: {text}" if self.line else f"{self.file}: {text}"


@dataclass
class ParsedFeed:
    tables: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    problems: list[FeedProblem] = field(default_factory=list)


def seconds_of(value: str) -> int | None:
    """GTFS HH:MM:SS (hours may pass 24 for trips after midnight) as seconds; None when not a time."""
    match = TIME.match(value.strip())
    if not match or int(match[1]) >= MAX_HOURS:
        return None
    hours, minutes, seconds = (int(part) for part in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def date_of(value: str) -> date | None:
    try:
        return datetime.strptime(value.strip(), "%Y%m%d").date()
    except ValueError:
        return None


def _open_texts(source: Path) -> dict[str, str]:
    names = [*REQUIRED_COLUMNS, *OPTIONAL_FILES]
    texts = {}
    if source.is_dir():
        for name in names:
            if (source / name).is_file() and (source / name).stat().st_size <= MAX_FILE_BYTES:
                texts[name] = (source / name).read_text(encoding="utf-8-sig")
        return texts
    with zipfile.ZipFile(source) as archive:
        for info in archive.infolist():
            base = info.filename.rsplit("/", 1)[-1]
            if base in names and info.file_size <= MAX_FILE_BYTES:
                texts[base] = archive.read(info).decode("utf-8-sig")
    return texts


def feed_read(source: Path) -> ParsedFeed:
    """The feed's tables as lists of rows, and every problem found in them."""
    feed = ParsedFeed()
    try:
        texts = _open_texts(source)
    except (OSError, zipfile.BadZipFile, UnicodeDecodeError):
        feed.problems.append(FeedProblem(source.name, 0, _("Not a readable GTFS zip or folder (UTF-8).")))
        return feed
    for name in REQUIRED_COLUMNS:
        if name not in texts:
            feed.problems.append(FeedProblem(name, 0, _("Required file is missing.")))
    if "calendar.txt" not in texts and "calendar_dates.txt" not in texts:
        feed.problems.append(FeedProblem("calendar.txt", 0, _("calendar.txt or calendar_dates.txt is required.")))
    for name, text in texts.items():
        reader = csv.DictReader(io.StringIO(text))
        columns = [column.strip() for column in reader.fieldnames or []]
        missing = [column for column in REQUIRED_COLUMNS.get(name, []) if column not in columns]
        if missing:
            feed.problems.append(
                FeedProblem(name, 1, _("Required column missing: %(columns)s"), {"columns": ", ".join(missing)})
            )
            continue
        feed.tables[name] = [
            {key.strip(): (value or "").strip() for key, value in row.items() if key} for row in reader
        ]
    if not feed.problems:
        _check_references(feed)
    return feed


def _unique(feed: ParsedFeed, name: str, column: str) -> set[str]:
    seen: set[str] = set()
    for line, row in enumerate(feed.tables.get(name, []), start=2):
        value = row.get(column, "")
        if not value:
            feed.problems.append(FeedProblem(name, line, _("%(column)s is empty."), {"column": column}))
        elif value in seen:
            feed.problems.append(
                FeedProblem(name, line, _("Duplicate %(column)s %(value)s."), {"column": column, "value": value})
            )
        seen.add(value)
    return seen


def _known(feed: ParsedFeed, name: str, column: str, known: set[str], line: int, row: dict[str, str]) -> None:
    value = row.get(column, "")
    if value and value not in known:
        feed.problems.append(
            FeedProblem(name, line, _("Unknown %(column)s %(value)s."), {"column": column, "value": value[:100]})
        )


def _check_references(feed: ParsedFeed) -> None:
    stop_ids = _unique(feed, "stops.txt", "stop_id")
    route_ids = _unique(feed, "routes.txt", "route_id")
    trip_ids = _unique(feed, "trips.txt", "trip_id")
    agencies = feed.tables["agency.txt"]
    agency_ids = {row.get("agency_id", "") for row in agencies}
    service_ids = _unique(feed, "calendar.txt", "service_id") if "calendar.txt" in feed.tables else set()
    service_ids |= {row.get("service_id", "") for row in feed.tables.get("calendar_dates.txt", [])}
    for line, row in enumerate(feed.tables["stops.txt"], start=2):
        try:
            latitude, longitude = float(row["stop_lat"]), float(row["stop_lon"])
            if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
                raise ValueError
        except ValueError:
            feed.problems.append(FeedProblem("stops.txt", line, _("stop_lat/stop_lon is not a position.")))
    for line, row in enumerate(feed.tables["routes.txt"], start=2):
        if len(agencies) > 1:
            _known(feed, "routes.txt", "agency_id", agency_ids, line, row)
        if not row["route_type"].isdigit():
            feed.problems.append(FeedProblem("routes.txt", line, _("route_type is not a number.")))
    for line, row in enumerate(feed.tables["trips.txt"], start=2):
        _known(feed, "trips.txt", "route_id", route_ids, line, row)
        _known(feed, "trips.txt", "service_id", service_ids, line, row)
    for line, row in enumerate(feed.tables.get("calendar.txt", []), start=2):
        if date_of(row.get("start_date", "")) is None or date_of(row.get("end_date", "")) is None:
            feed.problems.append(FeedProblem("calendar.txt", line, _("start_date/end_date is not YYYYMMDD.")))
    for line, row in enumerate(feed.tables.get("calendar_dates.txt", []), start=2):
        if date_of(row.get("date", "")) is None or row.get("exception_type") not in {"1", "2"}:
            feed.problems.append(FeedProblem("calendar_dates.txt", line, _("date or exception_type is not valid.")))
    for line, row in enumerate(feed.tables["stop_times.txt"], start=2):
        _known(feed, "stop_times.txt", "trip_id", trip_ids, line, row)
        _known(feed, "stop_times.txt", "stop_id", stop_ids, line, row)
        if seconds_of(row["departure_time"]) is None:
            feed.problems.append(
                FeedProblem(
                    "stop_times.txt",
                    line,
                    _("departure_time %(value)s is not a time (HH:MM:SS)."),
                    {"value": row["departure_time"][:20]},
                )
            )
        if not row["stop_sequence"].isdigit():
            feed.problems.append(FeedProblem("stop_times.txt", line, _("stop_sequence is not a number.")))
