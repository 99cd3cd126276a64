"""Reading AirKorea's open API (에어코리아, 한국환경공단): fine dust now at a measuring station.

`getMsrstnAcctoRltmMesureDnsty` (ArpltnInforInqireSvc: real-time levels by station) answers
`{"response": {"header": {"resultCode": "00", "resultMsg": "NORMAL_CODE"}, "body": {"items": [...]}}}`,
newest hour first, every value a string: `stationName` (given only when the request asks for
ver 1.3 or later, so the request's station is what names the answer), `dataTime` ("2026-12-05 10:00",
Seoul time, with "24:00" for midnight of the next day), `pm10Value` and `pm25Value` (µg/m³),
`pm10Grade` and `pm25Grade` (1 good, 2 moderate, 3 unhealthy, 4 very unhealthy), and "-" (or
nothing) where the station measured nothing: a sensor in calibration (`pm10Flag` "점검및교정"), a
communication fault ("통신장애"). `getMsrstnList` (MsrstnInfoInqireSvc) lists the stations with
`stationName`, `addr`, `dmX` (latitude) and `dmY` (longitude). Only this module knows those names.

A missing value is None, never 0: a station in calibration is not clean air."""

import logging
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.utils.translation import pgettext_lazy

from apps.places import spatial
from apps.rivers.hrfco import SEOUL

logger = logging.getLogger(__name__)

MEASUREMENTS_PATH = "/B552584/ArpltnInforInqireSvc/getMsrstnAcctoRltmMesureDnsty"
# What AirKorea writes where a station measured nothing.
NOTHING = {"", "-"}
GRADES = {
    1: pgettext_lazy("air quality", "Good"),
    2: pgettext_lazy("air quality", "Moderate"),
    3: pgettext_lazy("air quality", "Unhealthy"),
    4: pgettext_lazy("air quality", "Very unhealthy"),
}
# Beyond this a concentration is a broken sensor, not air (the worst yellow-dust hours read ~1,500).
HIGHEST_UG_M3 = 5000


class BadAnswer(ValueError):
    """The whole answer is not a measurement list (an error code, a quota message, HTML)."""


@dataclass(frozen=True)
class AirStation:
    name: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class FineDust:
    """The newest hour a station measured: PM10 and PM2.5 (µg/m³) with their grades (1-4); None
    where the station gave nothing readable for that hour."""

    station: str
    measured_at: datetime
    pm10: int | None
    pm25: int | None
    pm10_grade: int | None
    pm25_grade: int | None
    illustrative: bool = False

    def as_dict(self) -> dict:
        """For the cache and the socket: plain values only."""
        return {**asdict(self), "measured_at": self.measured_at.isoformat()}

    @classmethod
    def from_dict(cls, data: dict) -> "FineDust":
        return cls(**{**data, "measured_at": datetime.fromisoformat(data["measured_at"])})


def grade_label(grade: int | None) -> str:
    """좋음, 보통, 나쁨, 매우나쁨 in the reader's language; empty for no grade."""
    return str(GRADES[grade]) if grade in GRADES else ""


def measurements_url(base: str, key: str, station: str) -> str:
    """The station's measurements of the day, newest first (key as data.go.kr issues it, decoded)."""
    query = {
        "serviceKey": key,
        "returnType": "json",
        "numOfRows": 24,
        "pageNo": 1,
        "stationName": station,
        "dataTerm": "DAILY",
        "ver": "1.0",
    }
    return f"{base.rstrip('/')}{MEASUREMENTS_PATH}?{urlencode(query)}"


def _body_items(payload: object) -> list[dict]:
    response = payload.get("response") if isinstance(payload, dict) else None
    header = response.get("header") if isinstance(response, dict) else None
    if not isinstance(header, dict):
        raise BadAnswer("no response header: not an AirKorea answer")
    if header.get("resultCode") != "00":
        raise BadAnswer(f"AirKorea refused: {header.get('resultCode')} {header.get('resultMsg')}")
    body = response.get("body")
    found = body.get("items") if isinstance(body, dict) else None
    if not isinstance(found, list):
        raise BadAnswer("the answer has no items list")
    return [item for item in found if isinstance(item, dict)]


def _measured_at(text: object) -> datetime | None:
    """ "2026-12-05 10:00" in Seoul time; AirKorea's "24:00" is midnight of the next day."""
    if not isinstance(text, str):
        return None
    day, _space, clock = text.strip().partition(" ")
    try:
        if clock == "24:00":
            return datetime.strptime(day, "%Y-%m-%d").replace(tzinfo=SEOUL) + timedelta(days=1)
        return datetime.strptime(f"{day} {clock}", "%Y-%m-%d %H:%M").replace(tzinfo=SEOUL)
    except ValueError:
        return None


def _whole_number(item: dict, name: str, lowest: int, highest: int) -> int | None:
    value = item.get(name)
    text = value.strip() if isinstance(value, str) else value
    if text is None or text in NOTHING:
        return None
    try:
        number = int(str(text))
    except ValueError:
        logger.warning("AirKorea %s %r of %s is not a number: ignored", name, text, item.get("dataTime"))
        return None
    if not lowest <= number <= highest:
        logger.warning("AirKorea %s %s of %s is out of range: ignored", name, number, item.get("dataTime"))
        return None
    return number


def fine_dust_latest(payload: object, station: str) -> FineDust | None:
    """The newest hour of the answer with anything measured (an hour the station sent only "-"
    for is skipped: the hour before still says something); None when no hour has. A value that
    cannot be read is left out, never guessed. BadAnswer when the answer is not a measurement list."""
    readings = []
    for item in _body_items(payload):
        measured_at = _measured_at(item.get("dataTime"))
        if measured_at is None:
            logger.warning("AirKorea item of %s without a readable dataTime: skipped", station)
            continue
        reading = FineDust(
            station=station,
            measured_at=measured_at,
            pm10=_whole_number(item, "pm10Value", 0, HIGHEST_UG_M3),
            pm25=_whole_number(item, "pm25Value", 0, HIGHEST_UG_M3),
            pm10_grade=_whole_number(item, "pm10Grade", 1, 4),
            pm25_grade=_whole_number(item, "pm25Grade", 1, 4),
        )
        if reading.pm10 is not None or reading.pm25 is not None:
            readings.append(reading)
    return max(readings, key=lambda reading: reading.measured_at, default=None)


def stations(payload: object) -> list[AirStation]:
    """The stations of a getMsrstnList answer that have a readable position (dmX latitude, dmY
    longitude)."""
    found = []
    for item in _body_items(payload):
        try:
            latitude, longitude = float(item["dmX"]), float(item["dmY"])
        except (KeyError, TypeError, ValueError):
            continue
        name = item.get("stationName")
        if isinstance(name, str) and name.strip() and -90 <= latitude <= 90 and -180 <= longitude <= 180:
            found.append(AirStation(name.strip(), latitude, longitude))
    return found


def nearest_station(candidates: list[AirStation], latitude: float, longitude: float) -> AirStation | None:
    return min(
        candidates,
        key=lambda station: spatial.distance_m(latitude, longitude, station.latitude, station.longitude),
        default=None,
    )
