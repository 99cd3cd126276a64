"""River history as an open dataset: a day's water levels, alert changes, gate changes and walkway
closures become one version of the city's river resource through the open data services."""

import csv
import io
from datetime import date, datetime, timedelta

import pytest

from apps.opendata.models import Dataset, Resource
from apps.opendata.river_dataset import RIVER_DATASET_SLUG, river_history_publish
from apps.rivers import services
from apps.rivers.hrfco import SEOUL
from apps.rivers.models import GateChange, WaterLevelReading

DAY = date(2026, 7, 16)


@pytest.fixture
def river_resource(city) -> Resource:
    dataset = Dataset.objects.create(
        municipality=city,
        slug=RIVER_DATASET_SLUG,
        title_ko="하천 수위·경보·진입차단 이력",
        department=city.departments.first(),
        category="safety",
        update_cycle="daily",
    )
    return Resource.objects.create(dataset=dataset, name_ko="하천 이력 (CSV)", format=Resource.Format.CSV)


def test_a_days_history_is_published_once_as_a_version(city, river, singok, river_resource):
    start = datetime(2026, 7, 16, 13, 0, tzinfo=SEOUL)
    for minutes, metres in [(0, 2.0), (10, 2.6), (24 * 60 + 5, 1.0)]:  # the last one is the next day's
        services.water_level_reading_apply(
            singok,
            water_level_m=metres,
            read_at=start + timedelta(minutes=minutes),
            source=WaterLevelReading.Source.HRFCO,
            message_id=f"d{minutes}",
            now=start + timedelta(minutes=minutes),
        )
    entrance = river.entrances.first()
    services.gate_state_set(
        entrance,
        closed=True,
        at=start + timedelta(minutes=15),
        source=GateChange.Source.GATE,
        message_id="g",
        now=start + timedelta(minutes=15),
    )

    version = river_history_publish(city, DAY)

    with version.upload.open("rb") as upload:
        rows = list(csv.DictReader(io.StringIO(upload.read().decode("utf-8-sig"))))
    assert [(row["구분"], row["시각"], row["수위(m)"], row["경보단계"], row["상태"]) for row in rows] == [
        ("reading", "2026-07-16T13:00:00+09:00", "2.0", "normal", ""),
        ("alert", "2026-07-16T13:10:00+09:00", "2.6", "attention", "normal"),
        ("reading", "2026-07-16T13:10:00+09:00", "2.6", "attention", ""),
        ("gate", "2026-07-16T13:15:00+09:00", "", "", "closed"),
    ]
    assert {row["지점코드"] for row in rows} == {"1018665", entrance.place.code}
    assert "2026-07-16" in version.note
    assert river_history_publish(city, DAY) is None  # the same day again


def test_a_city_without_the_dataset_publishes_nothing(city):
    assert river_history_publish(city, DAY) is None
