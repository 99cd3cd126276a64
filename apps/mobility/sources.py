"""Readers of the parking sources, each turning what a source sends into the CarPark fields it
gives (the ParkAPI pattern: one converter per source, one model). Nothing here writes; the
services merge what these return.

- 전국주차장정보표준데이터 (the national standard file, data.go.kr 15012896): a CSV in CP949 or
  UTF-8 (with or without BOM) whose every value is text; a row that cannot be read is reported by
  its line with the reason, the others are loaded.
- 한국교통안전공단 주차정보 API (data.go.kr 15099883, apis.data.go.kr/B553881/Parking, format=2 JSON):
  PrkSttusInfo (facility), PrkOprInfo (operation) and PrkRealtimeInfo (free spaces now).
"""

import csv
import io
import math
import re
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from django.utils.translation import gettext as _

from apps.mobility.models import CarPark

# A car park of a Korean city lies inside this box; anything else is a typo (swapped columns, 0).
KOREA_LATITUDES = (33.0, 38.7)
KOREA_LONGITUDES = (124.5, 131.9)
STANDARD_COLUMNS = [
    "주차장관리번호",
    "주차장명",
    "주차장구분",
    "주차장유형",
    "소재지도로명주소",
    "소재지지번주소",
    "주차구획수",
    "급지구분",
    "부제시행구분",
    "운영요일",
    "평일운영시작시각",
    "평일운영종료시각",
    "토요일운영시작시각",
    "토요일운영종료시각",
    "공휴일운영시작시각",
    "공휴일운영종료시각",
    "요금정보",
    "주차기본시간",
    "주차기본요금",
    "추가단위시간",
    "추가단위요금",
    "1일주차권요금적용시간",
    "1일주차권요금",
    "월정기권요금",
    "결제방법",
    "특기사항",
    "관리기관명",
    "전화번호",
    "위도",
    "경도",
    "장애인전용주차구역보유여부",
    "데이터기준일자",
]
REQUIRED_COLUMNS = ["주차장관리번호", "주차장명", "주차구획수", "위도", "경도"]
MAX_COUNT = 100_000  # more spaces, minutes or won than any car park has: a typo
# "09:00" in the standard file, "090000" (HHMMSS) in the KOTSA API.
TIME_PATTERN = re.compile(r"^(\d{1,2}):?(\d{2})(?::?\d{2})?$")


class BadValue(ValueError):
    """A value a row cannot be read with; its message says which and why, for the import report."""


@dataclass
class SourceRecord:
    """What one source said about one car park: its id there, the raw values and the fields read."""

    source_id: str
    raw: dict[str, Any]
    fields: dict[str, Any]
    stable_id: str | None = None  # the 주차장관리번호, when the source knows it


@dataclass
class Problem:
    line: int
    reason: str


@dataclass
class ReadResult:
    records: list[tuple[int, SourceRecord]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


# --- Defensive parsing of text values -----------------------------------------------------------


def _text(value: Any) -> str:
    # Control characters never belong in a name or an address.
    return re.sub(r"[\x00-\x1f\x7f]", " ", str(value or "")).strip()


def _count(value: Any, column: str, *, required: bool = False) -> int | None:
    text = _text(value).replace(",", "").replace("원", "").replace("분", "").strip()
    if not text:
        if required:
            raise BadValue(_("%(column)s is empty") % {"column": column})
        return None
    try:
        number = float(text)
    except ValueError:
        raise BadValue(_("%(column)s is not a number: %(value)s") % {"column": column, "value": text[:30]}) from None
    if not math.isfinite(number) or number < 0 or number > MAX_COUNT or number != int(number):
        raise BadValue(_("%(column)s is not a plausible count: %(value)s") % {"column": column, "value": text[:30]})
    return int(number)


def _time(value: Any, column: str) -> time | None:
    text = _text(value)
    if not text:
        return None
    match = TIME_PATTERN.match(text)
    hours, minutes = (int(match[1]), int(match[2])) if match else (-1, -1)
    if hours == 24 and minutes == 0:
        return time(23, 59)  # "24:00": until midnight
    if not (0 <= hours < 24 and 0 <= minutes < 60):
        raise BadValue(_("%(column)s is not a time of day: %(value)s") % {"column": column, "value": text[:30]})
    return time(hours, minutes)


def _coordinate(value: Any, column: str, bounds: tuple[float, float]) -> float:
    text = _text(value)
    try:
        number = float(text)
    except ValueError:
        raise BadValue(_("%(column)s is not a number: %(value)s") % {"column": column, "value": text[:30]}) from None
    if not (math.isfinite(number) and bounds[0] <= number <= bounds[1]):
        raise BadValue(_("%(column)s is outside Korea: %(value)s") % {"column": column, "value": text[:30]})
    return number


def _date(value: Any) -> date | None:
    text = _text(value)
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None  # the data's date is a note, not worth refusing a car park for


def _kind(division: str, lot_type: str, notes: str) -> str:
    """주차장구분 (공영/민영) and 주차장유형 (노상/노외/부설) as one of CarPark.Kind."""
    if "거주자" in division or "거주자" in lot_type:
        return CarPark.Kind.RESIDENT
    if "개방" in notes or "개방" in division:
        return CarPark.Kind.OPENED
    if "공영" in division:
        return CarPark.Kind.PUBLIC
    return CarPark.Kind.ATTACHED if "부설" in lot_type else CarPark.Kind.PRIVATE


# --- 전국주차장정보표준데이터 ------------------------------------------------------------------------


def decode_file(data: bytes) -> str:
    """UTF-8 (with or without BOM) when it decodes as such, else CP949 (what data.go.kr serves)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp949")
    except UnicodeDecodeError as error:
        raise BadValue(_("The file is neither UTF-8 nor CP949 (byte %(at)s).") % {"at": error.start}) from None


def standard_row(row: dict[str, str]) -> SourceRecord:
    """One row of the standard file as a source record; BadValue says why it cannot be."""
    stable_id, name = _text(row.get("주차장관리번호"))[:60], _text(row.get("주차장명"))[:100]
    if not stable_id:
        raise BadValue(_("주차장관리번호 is empty"))
    if not name:
        raise BadValue(_("주차장명 is empty"))
    division, lot_type, notes = _text(row.get("주차장구분")), _text(row.get("주차장유형")), _text(row.get("특기사항"))
    fields = {
        "name_ko": name,
        "kind": _kind(division, lot_type, notes),
        "lot_type": lot_type[:20],
        "address_road": _text(row.get("소재지도로명주소"))[:200],
        "address_lot": _text(row.get("소재지지번주소"))[:200],
        "spaces_total": _count(row.get("주차구획수"), "주차구획수", required=True),
        "weekday_opens": _time(row.get("평일운영시작시각"), "평일운영시작시각"),
        "weekday_closes": _time(row.get("평일운영종료시각"), "평일운영종료시각"),
        "saturday_opens": _time(row.get("토요일운영시작시각"), "토요일운영시작시각"),
        "saturday_closes": _time(row.get("토요일운영종료시각"), "토요일운영종료시각"),
        "holiday_opens": _time(row.get("공휴일운영시작시각"), "공휴일운영시작시각"),
        "holiday_closes": _time(row.get("공휴일운영종료시각"), "공휴일운영종료시각"),
        "is_free": _text(row.get("요금정보")) == "무료",
        "base_minutes": _count(row.get("주차기본시간"), "주차기본시간"),
        "base_fee": _count(row.get("주차기본요금"), "주차기본요금"),
        "extra_unit_minutes": _count(row.get("추가단위시간"), "추가단위시간"),
        "extra_unit_fee": _count(row.get("추가단위요금"), "추가단위요금"),
        "daily_pass_hours": _text(row.get("1일주차권요금적용시간"))[:40],
        "daily_max_fee": _count(row.get("1일주차권요금"), "1일주차권요금"),
        "monthly_pass_fee": _count(row.get("월정기권요금"), "월정기권요금"),
        "payment_methods": _text(row.get("결제방법"))[:200],
        "notes": notes,
        "operator": _text(row.get("관리기관명"))[:100],
        "phone": _text(row.get("전화번호"))[:30],
        "latitude": _coordinate(row.get("위도"), "위도", KOREA_LATITUDES),
        "longitude": _coordinate(row.get("경도"), "경도", KOREA_LONGITUDES),
        "has_accessible_bays": _text(row.get("장애인전용주차구역보유여부")).upper() == "Y",
        "data_date": _date(row.get("데이터기준일자")),
    }
    raw = {column: row.get(column) for column in STANDARD_COLUMNS if row.get(column) is not None}
    return SourceRecord(source_id=stable_id, raw=raw, fields=fields, stable_id=stable_id)


def _missing_columns(header: list[str]) -> list[str]:
    return [column for column in REQUIRED_COLUMNS if column not in header]


def standard_file_check(data: bytes) -> None:
    """Refuses, with BadValue saying why, what cannot be a standard file at all: a binary file (a
    spreadsheet saved as is), text in neither UTF-8 nor CP949, a header without the columns the
    import needs. A file that passes may still have bad rows: those are reported by line."""
    if b"\x00" in data[:65536]:
        raise BadValue(
            _("This is not a CSV file (it looks like a spreadsheet or another binary file). Save it as CSV.")
        )
    text = decode_file(data)
    try:
        header = [name.strip() for name in next(csv.reader(io.StringIO(text, newline="")), [])]
    except csv.Error as error:
        raise BadValue(_("unreadable CSV: %(error)s") % {"error": error}) from None
    if missing := _missing_columns(header):
        if len(missing) == len(REQUIRED_COLUMNS):
            raise BadValue(
                _("None of the 전국주차장정보표준데이터 columns was found (%(columns)s): is this the right file?")
                % {"columns": ", ".join(REQUIRED_COLUMNS)}
            )
        raise BadValue(_("Columns missing: %(columns)s") % {"columns": ", ".join(missing)})


def read_standard_file(data: bytes) -> ReadResult:
    """Every row of the file that can be read, and a problem for each one that cannot (line 1 is
    the header; a missing required column is one problem for the whole file)."""
    result = ReadResult()
    try:
        text = decode_file(data)
    except BadValue as error:
        result.problems.append(Problem(0, str(error)))
        return result
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in reader.fieldnames or []]
    reader.fieldnames = header
    if missing := _missing_columns(header):
        result.problems.append(Problem(1, _("Columns missing: %(columns)s") % {"columns": ", ".join(missing)}))
        return result
    seen: dict[str, int] = {}
    try:
        for row in reader:
            line = reader.line_num
            if None in row:
                result.problems.append(Problem(line, _("more values than columns")))
                continue
            try:
                record = standard_row(row)
            except BadValue as error:
                result.problems.append(Problem(line, str(error)))
                continue
            if record.source_id in seen:
                result.problems.append(
                    Problem(
                        line,
                        _("주차장관리번호 %(id)s repeats line %(line)s")
                        % {"id": record.source_id, "line": seen[record.source_id]},
                    )
                )
                continue
            seen[record.source_id] = line
            result.records.append((line, record))
    except csv.Error as error:
        result.problems.append(Problem(reader.line_num, _("unreadable CSV: %(error)s") % {"error": error}))
    return result


# --- 한국교통안전공단 주차정보 API (recorded JSON, format=2) --------------------------------------------


def kotsa_items(payload: dict) -> list[dict]:
    """The records of a KOTSA answer: {"PrkSttusInfo": [...]} or the like, after the header element."""
    if not isinstance(payload, dict):
        return []
    for key in ("PrkSttusInfo", "PrkOprInfo", "PrkRealtimeInfo"):
        items = payload.get(key)
        if isinstance(items, list):
            return [item for item in items if isinstance(item, dict)]
    return []


def kotsa_facility(item: dict) -> SourceRecord:
    """A PrkSttusInfo record: name, address, entrance position, number of spaces."""
    source_id = _text(item.get("prk_center_id"))[:60]
    if not source_id:
        raise BadValue(_("prk_center_id is empty"))
    fields = {
        "name_ko": _text(item.get("prk_plce_nm"))[:100],
        "address_road": _text(item.get("prk_plce_adres"))[:200],
        "latitude": _coordinate(item.get("prk_plce_entrc_la"), "prk_plce_entrc_la", KOREA_LATITUDES),
        "longitude": _coordinate(item.get("prk_plce_entrc_lo"), "prk_plce_entrc_lo", KOREA_LONGITUDES),
        "spaces_total": _count(item.get("prk_cmprt_co"), "prk_cmprt_co"),
    }
    return SourceRecord(source_id=source_id, raw=item, fields={k: v for k, v in fields.items() if v not in ("", None)})


def _kotsa_hours(item: dict, day: str) -> tuple[time | None, time | None]:
    hours = item.get(day) if isinstance(item.get(day), dict) else {}
    return (
        _time(hours.get("opertn_start_time"), f"{day}.opertn_start_time"),
        _time(hours.get("opertn_end_time"), f"{day}.opertn_end_time"),
    )


def kotsa_operation(item: dict) -> SourceRecord:
    """A PrkOprInfo record: hours per day ({"Monday": {"opertn_start_time": "090000", ...}}; Monday
    stands for weekdays) and the fee rule."""
    source_id = _text(item.get("prk_center_id"))[:60]
    if not source_id:
        raise BadValue(_("prk_center_id is empty"))
    weekday, saturday, holiday = (_kotsa_hours(item, day) for day in ("Monday", "Saturday", "Holiday"))
    # The fee rule comes nested: basic_info (base and extra unit), fxamt_info (day and month passes).
    basic = item.get("basic_info") if isinstance(item.get("basic_info"), dict) else {}
    fixed = item.get("fxamt_info") if isinstance(item.get("fxamt_info"), dict) else {}
    fields = {
        "weekday_opens": weekday[0],
        "weekday_closes": weekday[1],
        "saturday_opens": saturday[0],
        "saturday_closes": saturday[1],
        "holiday_opens": holiday[0],
        "holiday_closes": holiday[1],
        "base_minutes": _count(basic.get("parking_chrge_bs_time"), "parking_chrge_bs_time"),
        "base_fee": _count(basic.get("parking_chrge_bs_chrge"), "parking_chrge_bs_chrge"),
        "extra_unit_minutes": _count(basic.get("parking_chrge_adit_unit_time"), "parking_chrge_adit_unit_time"),
        "extra_unit_fee": _count(basic.get("parking_chrge_adit_unit_chrge"), "parking_chrge_adit_unit_chrge"),
        "daily_max_fee": _count(fixed.get("parking_chrge_one_day_chrge"), "parking_chrge_one_day_chrge"),
        "monthly_pass_fee": _count(fixed.get("parking_chrge_mon_unit_chrge"), "parking_chrge_mon_unit_chrge"),
    }
    return SourceRecord(source_id=source_id, raw=item, fields={k: v for k, v in fields.items() if v not in ("", None)})


@dataclass(frozen=True)
class RealtimeCount:
    source_id: str
    total: int | None
    free: int  # the answer carries no reading time: the pull's time is used


def kotsa_realtime(item: dict) -> RealtimeCount:
    """A PrkRealtimeInfo record: total spaces and free ones now."""
    source_id = _text(item.get("prk_center_id"))[:60]
    if not source_id:
        raise BadValue(_("prk_center_id is empty"))
    free = _count(item.get("pkfc_Available_ParkingLots_total"), "pkfc_Available_ParkingLots_total", required=True)
    total = _count(item.get("pkfc_ParkingLots_total"), "pkfc_ParkingLots_total")
    return RealtimeCount(source_id=source_id, total=total, free=free)
