"""Reading the 한강홍수통제소 (HRFCO) open API: station data and 10-minute water levels.

The API answers `{base}/{key}/waterlevel/info.json` (every station, with its four alert levels) and
`{base}/{key}/waterlevel/list/10M/{wlobscd}.json` (a station's recent 10-minute readings) with
`{"content": [...]}`, every value a string: `wlobscd`, `obsnm`, `lat`/`lon` as degree-minute-second
text ("37-44-07"), `attwl`/`wrnwl`/`almwl`/`srswl` (관심/주의보/경보/심각), `gdt`, `pfh`; readings
`wlobscd`, `ymdhm` (yyyyMMddHHmm, Seoul time), `wl` (m), `fw` (m³/s). A value not measured is
blank (often a single space). Only this module knows those names."""

import math
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

SEOUL = ZoneInfo("Asia/Seoul")


class BadAnswer(ValueError):
    """The whole answer is not HRFCO's (an error page, a quota message, no `content` list)."""


class BadValue(ValueError):
    """One item cannot be read; str() says which field and why."""


class Missing(BadValue):
    """A value the item must have is blank: the gauge sent nothing for that time."""


@dataclass(frozen=True)
class StationInfo:
    code: str
    name: str
    latitude: float | None
    longitude: float | None
    # 관심, 주의, 경계, 심각 in metres; None where HRFCO gives none for the station.
    attention_m: float | None
    caution_m: float | None
    warning_m: float | None
    serious_m: float | None


@dataclass(frozen=True)
class Observation:
    code: str
    read_at: datetime
    water_level_m: float
    flow_m3s: float | None

    @property
    def message_id(self) -> str:
        """The same observation in two overlapping lists is one reading."""
        return f"{self.code}@{self.read_at.astimezone(SEOUL):%Y%m%d%H%M}"


def info_url(base: str, key: str) -> str:
    return f"{base.rstrip('/')}/{quote(key, safe='')}/waterlevel/info.json"


def levels_url(base: str, key: str, code: str) -> str:
    return f"{base.rstrip('/')}/{quote(key, safe='')}/waterlevel/list/10M/{quote(code, safe='')}.json"


def items(payload: object) -> list[dict]:
    """The records of an answer; BadAnswer when it has none to give (an error answer)."""
    content = payload.get("content") if isinstance(payload, dict) else None
    if not isinstance(content, list):
        raise BadAnswer(_("The answer has no content list: not a HRFCO answer."))
    return [item for item in content if isinstance(item, dict)]


def _text(item: dict, name: str) -> str:
    value = item.get(name)
    if value is None:
        return ""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise BadValue(_("%(field)s is not a value.") % {"field": name})
    return str(value).strip()


def _number(item: dict, name: str, *, required: bool) -> float | None:
    text = _text(item, name)
    if not text:
        if required:
            raise Missing(_("%(field)s is missing.") % {"field": name})
        return None
    try:
        value = float(text)
    except ValueError:
        raise BadValue(_("%(field)s is not a number: %(value)s") % {"field": name, "value": text[:20]}) from None
    if not math.isfinite(value):
        raise BadValue(_("%(field)s is not a number: %(value)s") % {"field": name, "value": text[:20]})
    return value


def _degrees(item: dict, name: str, limit: float) -> float | None:
    """ "37-44-07" (or "37-44-07.5", or already decimal "37.735") as decimal degrees."""
    text = _text(item, name)
    if not text:
        return None
    parts = text.split("-")
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        raise BadValue(_("%(field)s is not a position: %(value)s") % {"field": name, "value": text[:20]}) from None
    if len(numbers) == 1:
        value = numbers[0]
    elif len(numbers) == 3 and 0 <= numbers[1] < 60 and 0 <= numbers[2] < 60:
        value = numbers[0] + numbers[1] / 60 + numbers[2] / 3600
    else:
        raise BadValue(_("%(field)s is not a position: %(value)s") % {"field": name, "value": text[:20]})
    if not (math.isfinite(value) and 0 <= value <= limit):
        raise BadValue(_("%(field)s is not a position: %(value)s") % {"field": name, "value": text[:20]})
    return value


def _code(item: dict) -> str:
    code = _text(item, "wlobscd")
    if not code or len(code) > 20 or not code.isalnum():
        raise BadValue(_("wlobscd is missing or not a station code."))
    return code


def station_info(item: dict) -> StationInfo:
    """One record of waterlevel/info."""
    return StationInfo(
        code=_code(item),
        name=_text(item, "obsnm")[:50],
        latitude=_degrees(item, "lat", 90),
        longitude=_degrees(item, "lon", 180),
        attention_m=_number(item, "attwl", required=False),
        caution_m=_number(item, "wrnwl", required=False),
        warning_m=_number(item, "almwl", required=False),
        serious_m=_number(item, "srswl", required=False),
    )


def observation(item: dict) -> Observation:
    """One record of waterlevel/list; a record without a water level (the gauge sent none for that
    ten minutes) is a BadValue, counted as missing, never read as zero."""
    code = _code(item)
    stamp = _text(item, "ymdhm")
    try:
        read_at = datetime.strptime(stamp, "%Y%m%d%H%M").replace(tzinfo=SEOUL)
    except ValueError:
        raise BadValue(_("ymdhm is not a time: %(value)s") % {"value": stamp[:20]}) from None
    return Observation(
        code=code,
        read_at=read_at,
        water_level_m=_number(item, "wl", required=True),
        flow_m3s=_number(item, "fw", required=False),
    )
