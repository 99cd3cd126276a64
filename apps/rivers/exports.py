"""A day of river history as a CSV file, for the open-data portal to publish (apps.opendata
.river_dataset): every water level received, every change of alert level, every gate change and
every walkway closure and reopening, one row each, in time order."""

import csv
import io
from datetime import date, datetime, time, timedelta

from apps.municipalities.models import Municipality
from apps.rivers.hrfco import SEOUL
from apps.rivers.models import GateChange, LevelChange, WalkwayClosure, WaterLevelReading

HISTORY_COLUMNS = ["구분", "하천", "지점코드", "지점명", "시각", "수위(m)", "유량(m3/s)", "경보단계", "상태", "출처"]


def _local(moment: datetime) -> str:
    return moment.astimezone(SEOUL).isoformat(timespec="seconds")


def history_day_csv(municipality: Municipality, day: date) -> bytes:
    """The city's river history of `day` (Asia/Seoul) as UTF-8 CSV with a BOM (what Korean
    spreadsheet users open without garbling); only the header when nothing happened. Who in the
    staff changed a gate is not published: only that staff did."""
    start = datetime.combine(day, time(0), SEOUL)
    window = {"gte": start, "lt": start + timedelta(days=1)}
    rows = []
    for reading in WaterLevelReading.objects.filter(
        station__river__municipality=municipality, read_at__gte=window["gte"], read_at__lt=window["lt"]
    ).select_related("station__river"):
        station = reading.station
        rows.append(
            (
                reading.read_at,
                "reading",
                station.river.name_ko,
                station.code,
                station.name_ko,
                reading.water_level_m,
                reading.flow_m3s,
                reading.alert_level,
                "",
                reading.source,
            )
        )
    for change in LevelChange.objects.filter(
        station__river__municipality=municipality, at__gte=window["gte"], at__lt=window["lt"]
    ).select_related("station__river"):
        station = change.station
        rows.append(
            (
                change.at,
                "alert",
                station.river.name_ko,
                station.code,
                station.name_ko,
                change.water_level_m,
                None,
                change.level_to,
                change.level_from,
                "",
            )
        )
    for change in GateChange.objects.filter(
        entrance__river__municipality=municipality, at__gte=window["gte"], at__lt=window["lt"]
    ).select_related("entrance__river", "entrance__place"):
        entrance = change.entrance
        rows.append(
            (
                change.at,
                "gate",
                entrance.river.name_ko,
                entrance.place.code,
                entrance.name_ko,
                None,
                None,
                "",
                "closed" if change.closed else "open",
                change.source,
            )
        )
    walkways = WalkwayClosure.objects.filter(river__municipality=municipality).select_related("river")
    for walkway in walkways.filter(closed_at__gte=window["gte"], closed_at__lt=window["lt"]):
        rows.append(
            (walkway.closed_at, "walkway", walkway.river.name_ko, "", "", None, None, "", "closed", walkway.cause)
        )
    for walkway in walkways.filter(reopened_at__gte=window["gte"], reopened_at__lt=window["lt"]):
        rows.append((walkway.reopened_at, "walkway", walkway.river.name_ko, "", "", None, None, "", "open", "staff"))
    rows.sort(key=lambda row: (row[0], row[1], row[3]))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HISTORY_COLUMNS)
    for at, kind, river, code, name, level, flow, alert, state, source in rows:
        writer.writerow(
            [
                kind,
                river,
                code,
                name,
                _local(at),
                "" if level is None else level,
                "" if flow is None else flow,
                alert,
                state,
                source,
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
