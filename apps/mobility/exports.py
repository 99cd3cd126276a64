"""The occupancy history of a day as a CSV file, for the open-data portal to publish (apps.opendata
.parking_dataset): one row per reading kept, with the car park's stable id so rows join the
national standard file."""

import csv
import io
from datetime import date, datetime, time, timedelta

from apps.mobility.fees import SEOUL
from apps.mobility.models import OccupancyReading
from apps.municipalities.models import Municipality

OCCUPANCY_COLUMNS = ["주차장관리번호", "주차장명", "주차구획수", "측정시각", "주차가능면수", "출처"]


def occupancy_day_csv(municipality: Municipality, day: date) -> bytes:
    """The readings of the city's car parks read on `day` (Asia/Seoul), oldest first, as UTF-8 CSV
    with a BOM (what Korean spreadsheet users open without garbling); only the header when none."""
    start = datetime.combine(day, time(0), SEOUL)
    readings = (
        OccupancyReading.objects.filter(
            car_park__municipality=municipality, read_at__gte=start, read_at__lt=start + timedelta(days=1)
        )
        .select_related("car_park")
        .order_by("read_at", "car_park__stable_id", "pk")
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(OCCUPANCY_COLUMNS)
    for reading in readings.iterator(chunk_size=2000):
        writer.writerow(
            [
                reading.car_park.stable_id,
                reading.car_park.name_ko,
                reading.car_park.spaces_total,
                reading.read_at.astimezone(SEOUL).isoformat(timespec="seconds"),
                reading.free_spaces,
                reading.source,
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
