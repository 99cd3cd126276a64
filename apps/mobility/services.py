"""Writes of the parking area: merging what sources say into car parks, importing the standard file
and the KOTSA answers, sensor devices, and the one function that applies a count of free spaces."""

import asyncio
import hashlib
import json
import logging
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.common.language import user_language
from apps.common.tokens import token_hash, token_new
from apps.mobility import sources
from apps.mobility.models import CarPark, CarParkImport, CarParkSource, OccupancyReading, SensorDevice
from apps.municipalities.models import Municipality
from apps.places import spatial
from apps.places.models import Closure, Place
from apps.places.services import place_create, place_update

logger = logging.getLogger(__name__)

# Which source's value a merged field takes when several give one: the city's own published file
# first, then the KOTSA operation record (fees, hours), then its facility record (name, position).
MERGE_PRECEDENCE = [
    CarParkSource.Source.STANDARD_FILE,
    CarParkSource.Source.KOTSA_OPERATION,
    CarParkSource.Source.KOTSA_FACILITY,
]
KOTSA_SOURCES = [CarParkSource.Source.KOTSA_FACILITY, CarParkSource.Source.KOTSA_OPERATION]
POSITION_FIELDS = ("latitude", "longitude")
# The standard file's 공영/민영 and 노상/노외/부설 only guess the kind (개방, 거주자우선, 제휴 are not
# in it): a source sets it on a new car park, then staff own it.
STAFF_OWNED_AFTER_CREATION = {"kind"}
# A KOTSA facility with no link yet is the car park of the same name this close to its entrance.
MATCH_RADIUS_M = 150.0
# A device clock this far ahead is wrong, not early.
CLOCK_SKEW = timedelta(minutes=2)
# Older readings than this are not history worth keeping: a device replaying its memory.
OLDEST_READING = timedelta(days=2)
# Counts move by a few cars between readings even when nothing unusual happens (sensor jitter).
JUMP_SLACK = 5
# The national file for the whole country is about 20 MB; a city's is far smaller.
MAX_IMPORT_BYTES = 50 * 1024 * 1024
# An import's progress is written at most this often: a row takes a millisecond or two.
PROGRESS_INTERVAL_SECONDS = 0.5


class ReadingRefused(ValueError):
    """A count of free spaces that cannot be right; str() says why, in the reader's language."""


def car_park_group(car_park_id: int) -> str:
    """The channel layer group told each new free-space count of one car park."""
    return f"mobility.car-park.{car_park_id}"


def city_car_parks_group(municipality_id: int) -> str:
    """The channel layer group told each new free-space count of any car park of the city."""
    return f"mobility.city.{municipality_id}"


# --- Merging sources into car parks ---------------------------------------------------------------


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    other_cities: int = 0  # rows of the national file whose address is in another city
    problems: list[sources.Problem] = field(default_factory=list)

    @property
    def loaded(self) -> int:
        return self.created + self.updated + self.unchanged


def _as_stored(values: dict) -> dict:
    return json.loads(json.dumps(values, cls=DjangoJSONEncoder))


def _normalised_name(name: str) -> str:
    return re.sub(r"\s+|공영|주차장|노외|노상", "", name)


def _merged_values(records: list[CarParkSource]) -> tuple[dict, dict]:
    """Each field's value from the first source (by MERGE_PRECEDENCE) that gives one, and that source."""
    ranked = sorted(records, key=lambda record: MERGE_PRECEDENCE.index(record.source))
    values, origins = {}, {}
    for record in ranked:
        for name, value in record.fields.items():
            if name in values or value in (None, ""):
                continue
            if name not in POSITION_FIELDS:
                value = CarPark._meta.get_field(name).to_python(value)
            values[name], origins[name] = value, record.source
    return values, origins


def car_park_merge(car_park: CarPark) -> bool:
    """Sets the car park's fields (and its place's name and position) from its sources; True when
    anything changed. Fields no source gives (discounts, EV bays) keep what staff entered."""
    values, origins = _merged_values(list(car_park.sources.all()))
    if car_park.field_sources:  # merged before: not new
        for name in STAFF_OWNED_AFTER_CREATION:
            values.pop(name, None)
            origins.pop(name, None)
    position = values.pop("latitude", None), values.pop("longitude", None)
    changed = [name for name, value in values.items() if getattr(car_park, name) != value]
    for name in changed:
        setattr(car_park, name, values[name])
    if car_park.field_sources != origins:
        car_park.field_sources = origins
        changed.append("field_sources")
    if changed:
        car_park.save()
    place = car_park.place
    latitude, longitude = (position[0] or place.latitude), (position[1] or place.longitude)
    if (place.name_ko, place.latitude, place.longitude) != (car_park.name_ko, latitude, longitude):
        place_update(place, name_ko=car_park.name_ko, name_en=place.name_en, latitude=latitude, longitude=longitude)
        changed.append("place")
    return bool(changed)


def _car_park_new(municipality: Municipality, stable_id: str, record: sources.SourceRecord) -> CarPark:
    place = place_create(
        municipality=municipality,
        kind=Place.Kind.FACILITY,
        name_ko=record.fields["name_ko"],
        latitude=record.fields["latitude"],
        longitude=record.fields["longitude"],
    )
    car_park = CarPark.objects.create(
        municipality=municipality, stable_id=stable_id, place=place, name_ko=record.fields["name_ko"]
    )
    place.owner = car_park
    place.save(update_fields=["owner_type", "owner_id"])
    return car_park


def _kotsa_linked(municipality: Municipality, source_id: str) -> CarPark | None:
    """The city's car park a KOTSA id was joined to before."""
    return CarPark.objects.filter(
        municipality=municipality, sources__source__in=KOTSA_SOURCES, sources__source_id=source_id
    ).first()


def _kotsa_match(municipality: Municipality, record: sources.SourceRecord) -> CarPark | None:
    """The car park a KOTSA record is about: the one already linked to its id, else the car park of
    the same name near its entrance (the standard file and KOTSA use different ids)."""
    linked = _kotsa_linked(municipality, record.source_id)
    if linked is not None:
        return linked
    if "latitude" not in record.fields or "name_ko" not in record.fields:
        return None
    places = Place.objects.filter(municipality=municipality, car_park__isnull=False)
    name = _normalised_name(record.fields["name_ko"])
    for place, _distance in spatial.within(
        places, record.fields["latitude"], record.fields["longitude"], MATCH_RADIUS_M
    ):
        if _normalised_name(place.name_ko) == name:
            return place.car_park
    return None


def car_park_source_record(
    municipality: Municipality, source: str, record: sources.SourceRecord, *, fetched_at: datetime
) -> tuple[CarPark, str]:
    """Stores what one source said about one car park and merges it in: ("created" | "updated" |
    "unchanged", the car park). The car park is found by its stable id (the 주차장관리번호), else, for
    KOTSA records, by their id's link or by name and position; a record matching none makes a new
    car park (only one that names it and says where it is: ValueError otherwise)."""
    with transaction.atomic():
        if record.stable_id:
            car_park = CarPark.objects.filter(municipality=municipality, stable_id=record.stable_id).first()
        else:
            car_park = _kotsa_match(municipality, record)
        outcome = "unchanged"
        if car_park is None:
            if not {"name_ko", "latitude", "longitude"} <= record.fields.keys():
                raise ValueError(_("no car park is known by %(id)s") % {"id": record.source_id})
            car_park = _car_park_new(municipality, record.stable_id or f"{source}:{record.source_id}", record)
            outcome = "created"
        stored = CarParkSource.objects.filter(car_park=car_park, source=source).first()
        # As the JSON columns hold them (times and dates as text), to compare with what is stored.
        fields, raw = _as_stored(record.fields), _as_stored(record.raw)
        if stored is None:
            stored = CarParkSource(car_park=car_park, source=source)
        elif (stored.source_id, stored.fields, stored.raw) == (record.source_id, fields, raw):
            return car_park, outcome  # the same answer again: nothing changes, not even the time
        stored.source_id, stored.fields, stored.raw, stored.fetched_at = record.source_id, fields, raw, fetched_at
        stored.save()
        changed = car_park_merge(car_park)
        return car_park, ("created" if outcome == "created" else "updated" if changed else "unchanged")


def _records_import(
    municipality: Municipality,
    source: str,
    records: list[tuple[int, sources.SourceRecord]],
    report: ImportReport,
    progress: Callable[[int, int], None] | None,
) -> ImportReport:
    fetched_at = timezone.now()
    for done, (line, record) in enumerate(records, start=1):
        try:
            _car_park, outcome = car_park_source_record(municipality, source, record, fetched_at=fetched_at)
        except ValueError as error:
            report.problems.append(sources.Problem(line, str(error)))
        else:
            setattr(report, outcome, getattr(report, outcome) + 1)
        if progress is not None:
            progress(done, len(records))
    return report


def _in_city(municipality: Municipality, record: sources.SourceRecord) -> bool:
    """The national file lists every city's car parks: a row is the city's when an address names
    it (a row without any address is taken: nothing says it is elsewhere)."""
    addresses = record.fields.get("address_road", "") + record.fields.get("address_lot", "")
    return not addresses or municipality.name_ko in addresses


def car_parks_import(
    municipality: Municipality, data: bytes, *, progress: Callable[[int, int], None] | None = None
) -> ImportReport:
    """Loads a 전국주차장정보표준데이터 file (CP949 or UTF-8): the rows of the city that can be read are
    merged into its car parks (rows of other cities are counted and left), each row that cannot be
    read is reported by its line with the reason. Importing the same
    file again changes nothing. `progress(done, total)` is called after each row."""
    read = sources.read_standard_file(data)
    report = ImportReport(problems=list(read.problems))
    ours = [(line, record) for line, record in read.records if _in_city(municipality, record)]
    report.other_cities = len(read.records) - len(ours)
    _records_import(municipality, CarParkSource.Source.STANDARD_FILE, ours, report, progress)
    report.problems.sort(key=lambda problem: problem.line)
    return report


def kotsa_import(municipality: Municipality, payload: dict, *, source: str) -> ImportReport:
    """Merges a KOTSA PrkSttusInfo (source kotsa-facility) or PrkOprInfo (kotsa-operation) answer
    (facilities first: an operation record joins the facility of its id); other cities' records are
    counted and left. Records are numbered by their position in the answer (1 = the first)."""
    read = {
        CarParkSource.Source.KOTSA_FACILITY: sources.kotsa_facility,
        CarParkSource.Source.KOTSA_OPERATION: sources.kotsa_operation,
    }[source]
    report, records = ImportReport(), []
    for number, item in enumerate(sources.kotsa_items(payload), start=1):
        try:
            record = read(item)
        except sources.BadValue as error:
            report.problems.append(sources.Problem(number, str(error)))
            continue
        # KOTSA answers for the whole country: a facility is ours by its address, an operation
        # record by the facility it belongs to.
        if source == CarParkSource.Source.KOTSA_FACILITY:
            ours = _in_city(municipality, record)
        else:
            ours = _kotsa_linked(municipality, record.source_id) is not None
        if ours:
            records.append((number, record))
        else:
            report.other_cities += 1
    return _records_import(municipality, source, records, report, None)


# --- Standard file uploads, imported by a Celery task ---------------------------------------------


class ImportRefused(ValueError):
    """An uploaded file that cannot be imported at all; str() says why, in the uploader's language.
    Nothing is stored for it."""


def car_park_import_upload(municipality: Municipality, upload: File, *, uploaded_by=None) -> CarParkImport:
    """Checks an uploaded standard file (a CSV, at most MAX_IMPORT_BYTES, UTF-8 or CP949, with the
    columns the import needs), stores it, and queues its import once the transaction commits. The
    same file sent again while its import waits or runs (a double click) is that import."""
    name = os.path.basename(upload.name or "")
    if not name.lower().endswith(".csv"):
        raise ImportRefused(
            _("“%(name)s” is not a CSV file. Export the 전국주차장정보표준데이터 as CSV.") % {"name": name}
        )
    if not upload.size:
        raise ImportRefused(_("The file is empty."))
    if upload.size > MAX_IMPORT_BYTES:
        raise ImportRefused(
            _("The file is %(size)s; at most %(limit)s can be imported.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_IMPORT_BYTES)}
        )
    data = b"".join(upload.chunks())
    try:
        sources.standard_file_check(data)
    except sources.BadValue as error:
        raise ImportRefused(str(error)) from None
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        # Locked so that two identical uploads at once make one import, not two.
        Municipality.objects.select_for_update().get(pk=municipality.pk)
        running = CarParkImport.objects.filter(
            municipality=municipality,
            sha256=digest,
            status__in=[CarParkImport.Status.QUEUED, CarParkImport.Status.PROCESSING],
        ).first()
        if running is not None:
            return running
        job = CarParkImport(
            municipality=municipality, original_name=name[:255], size=len(data), sha256=digest, uploaded_by=uploaded_by
        )
        job.file.save(name, ContentFile(data), save=False)
        job.save()
        transaction.on_commit(partial(_import_queue, job.pk))
    return job


def import_restarts_key(job_id: int) -> str:
    """The name apps.common.restarts counts an import's restarts after a worker died by."""
    return f"mobility:import-restarts:{job_id}"


def car_park_import_rerun(job: CarParkImport) -> CarParkImport:
    """Queues a finished or failed import again from its stored file (an import changes nothing the
    second time, so this is safe), with its count of restarts back at zero; one that waits or runs
    already is left as it is."""
    with transaction.atomic():
        updated = CarParkImport.objects.filter(
            pk=job.pk, status__in=[CarParkImport.Status.DONE, CarParkImport.Status.FAILED]
        ).update(status=CarParkImport.Status.QUEUED, error="", finished_at=None)
        if updated:
            cache.delete(import_restarts_key(job.pk))
            transaction.on_commit(partial(_import_queue, job.pk))
    job.refresh_from_db()
    return job


def _import_queue(job_id: int) -> None:
    from apps.mobility.tasks import car_park_import_task

    try:
        car_park_import_task.delay(job_id)
    except Exception:  # noqa: BLE001 - a broker that is down must not leave the import waiting forever
        logger.exception("Could not queue car park import %s", job_id)
        job = CarParkImport.objects.get(pk=job_id)
        if job.status == CarParkImport.Status.QUEUED:
            with user_language(job.uploaded_by):
                car_park_import_fail(
                    job, _("The file was stored but its import could not be queued. Run it again in a few minutes.")
                )


def car_park_import_fail(job: CarParkImport, message: str) -> CarParkImport:
    """Marks an import failed with the reason; its file stays, to run it again."""
    job.status, job.error, job.finished_at = CarParkImport.Status.FAILED, message, timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])
    return job


def _import_progress_writer(job_id: int) -> Callable[[int, int], None]:
    """A progress callback writing rows done / total at most twice a second (and the last row)."""
    last_write = 0.0

    def write(done: int, total: int) -> None:
        nonlocal last_write
        now = time.monotonic()
        if done == total or now - last_write >= PROGRESS_INTERVAL_SECONDS:
            CarParkImport.objects.filter(pk=job_id).update(rows_done=done, rows_total=total)
            last_write = now

    return write


def car_park_import_run(job: CarParkImport) -> CarParkImport:
    """Imports a stored upload into its city's car parks, writing its progress as it goes, then its
    result: counts and every refused row by line, with the reason in Korean and in English. Run
    again (a worker that died, staff asking), it starts over from the file: rows already merged
    are unchanged."""
    job = CarParkImport.objects.select_related("municipality", "uploaded_by__wagtail_userprofile").get(pk=job.pk)
    if job.status == CarParkImport.Status.DONE:
        return job
    job.status, job.error, job.finished_at = CarParkImport.Status.PROCESSING, "", None
    job.rows_done = job.rows_total = job.added = job.updated = job.unchanged = job.other_cities = 0
    job.problem_count, job.problems = 0, []
    job.save()
    try:
        with job.file.open("rb") as stored:
            data = stored.read()
        with translation.override("ko"):
            report = car_parks_import(job.municipality, data, progress=_import_progress_writer(job.pk))
        with translation.override("en"):
            english = {problem.line: problem.reason for problem in sources.read_standard_file(data).problems}
    except Exception:  # noqa: BLE001 - whatever happens, staff get a failed import with a reason, not a spinner
        logger.exception("Car park import %s failed", job.pk)
        with user_language(job.uploaded_by):
            return car_park_import_fail(
                job,
                _(
                    "The import stopped because of an unexpected error. The car parks imported before it "
                    "stay; run it again, or ask the site administrator to check the worker's log."
                ),
            )
    job.refresh_from_db(fields=["rows_done", "rows_total"])
    job.added, job.updated, job.unchanged, job.other_cities = (
        report.created,
        report.updated,
        report.unchanged,
        report.other_cities,
    )
    job.problem_count = len(report.problems)
    job.problems = [
        {"line": problem.line, "ko": problem.reason, "en": english.get(problem.line, problem.reason)}
        for problem in report.problems[: CarParkImport.MAX_STORED_PROBLEMS]
    ]
    job.status, job.finished_at = CarParkImport.Status.DONE, timezone.now()
    job.save()
    return job


# --- Sensors and free spaces ---------------------------------------------------------------------


def sensor_device_create(car_park: CarPark, *, name: str) -> tuple[SensorDevice, str]:
    """A device allowed to report the car park's free spaces, and its token (shown once, never stored)."""
    token = token_new()
    device = SensorDevice.objects.create(car_park=car_park, name=name, token_hash=token_hash(token))
    return device, token


@dataclass(frozen=True)
class ReadingResult:
    outcome: str  # "applied": now the current count; "older": kept as history only; "duplicate"
    reading: OccupancyReading | None


def _broadcast(car_park: CarPark, free_spaces: int, read_at: datetime) -> None:
    message = {
        "type": "free_spaces.changed",
        "car_park": car_park.place.code,
        "free_spaces": free_spaces,
        "read_at": read_at.isoformat(),
    }
    layer = get_channel_layer()
    groups = (car_park_group(car_park.pk), city_car_parks_group(car_park.municipality_id))

    async def send_to_both() -> None:  # one hop to the event loop, both sends at once
        await asyncio.gather(*(layer.group_send(group, message) for group in groups))

    try:
        async_to_sync(send_to_both)()
    except Exception:  # the reading is stored; open pages catch up on their next load
        logger.exception("free spaces of car park %s not pushed to open pages", car_park.pk)


def _check_plausible(car_park: CarPark, free_spaces: int, read_at: datetime, now: datetime) -> None:
    if read_at > now + CLOCK_SKEW:
        raise ReadingRefused(_("The reading time is in the future: check the device's clock."))
    if read_at < now - OLDEST_READING:
        raise ReadingRefused(_("The reading is more than two days old."))
    if free_spaces < 0:
        raise ReadingRefused(_("Free spaces cannot be negative."))
    if car_park.spaces_total and free_spaces > car_park.spaces_total:
        raise ReadingRefused(
            _("%(free)s free spaces is more than the car park's %(total)s spaces.")
            % {"free": free_spaces, "total": car_park.spaces_total}
        )
    if car_park.free_spaces is None or car_park.free_spaces_read_at is None or read_at <= car_park.free_spaces_read_at:
        return
    minutes = (read_at - car_park.free_spaces_read_at).total_seconds() / 60
    possible = settings.MOBILITY_MAX_CARS_PER_MINUTE * minutes + JUMP_SLACK
    if abs(free_spaces - car_park.free_spaces) > possible:
        raise ReadingRefused(
            _("From %(before)s to %(after)s free spaces in %(minutes).1f minutes is more cars than the gates pass.")
            % {"before": car_park.free_spaces, "after": free_spaces, "minutes": minutes}
        )


def occupancy_reading_apply(
    car_park: CarPark,
    *,
    free_spaces: int,
    read_at: datetime,
    source: str,
    message_id: str,
    device: SensorDevice | None = None,
    now: datetime | None = None,
) -> ReadingResult:
    """Applies one count of free spaces (from a sensor push or a pull adapter), under the car park's
    row lock: a message seen before is a "duplicate"; one read before the current count is kept as
    history but never overwrites it ("older"); else it becomes the current count ("applied") and
    open pages are told. An implausible count is refused (ReadingRefused, with the reason)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = CarPark.objects.select_for_update().select_related("place").get(pk=car_park.pk)
        if OccupancyReading.objects.filter(car_park=locked, source=source, message_id=message_id).exists():
            return ReadingResult("duplicate", None)
        _check_plausible(locked, free_spaces, read_at, now)
        try:
            with transaction.atomic():
                reading = OccupancyReading.objects.create(
                    car_park=locked,
                    free_spaces=free_spaces,
                    read_at=read_at,
                    source=source,
                    device=device,
                    message_id=message_id,
                )
        except IntegrityError:  # the same message, sent twice at once, stored by the other
            return ReadingResult("duplicate", None)
        if locked.free_spaces_read_at is not None and read_at <= locked.free_spaces_read_at:
            return ReadingResult("older", reading)
        # An update, not save(): a live number is no reason to empty the page cache.
        CarPark.objects.filter(pk=locked.pk).update(free_spaces=free_spaces, free_spaces_read_at=read_at)
        transaction.on_commit(lambda: _broadcast(locked, free_spaces, read_at))
    car_park.free_spaces, car_park.free_spaces_read_at = free_spaces, read_at
    return ReadingResult("applied", reading)


def car_park_closed_set(car_park: CarPark, *, closed: bool, reason: str = "") -> CarPark:
    """Shows the car park as closed (a 둔치 car park under a flood closure) or open again."""
    car_park.closed_by_event, car_park.closed_reason = closed, reason[:300] if closed else ""
    car_park.save(update_fields=["closed_by_event", "closed_reason", "updated_at"])
    return car_park


def car_park_closures_sync(*, place_ids: list[int] | None = None) -> int:
    """Sets closed_by_event of car parks (those at `place_ids`, else all) from the closures of
    severity "closed" in force on their places now; the number of car parks changed."""
    car_parks = CarPark.objects.select_related("place")
    if place_ids is not None:
        car_parks = car_parks.filter(place_id__in=place_ids)
    closing = {}
    for closure in (
        Closure.objects.active()
        .filter(severity=Closure.Severity.CLOSED, place__car_park__in=car_parks)
        .order_by("starts_at")
    ):
        closing[closure.place_id] = closure.reason_ko  # the latest begun wins
    changed = 0
    for car_park in car_parks.filter(Q(closed_by_event=True) | Q(place_id__in=closing.keys())):
        reason = closing.get(car_park.place_id)
        if (car_park.closed_by_event, car_park.closed_reason) != (reason is not None, reason or ""):
            car_park_closed_set(car_park, closed=reason is not None, reason=reason or "")
            changed += 1
    return changed
