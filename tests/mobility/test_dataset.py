"""Occupancy history as an open dataset: a day's readings become a version of the city's occupancy
resource through the open data services, once per day."""

import csv
import io
from datetime import date, datetime, timedelta

import pytest

from apps.mobility import services
from apps.mobility.fees import SEOUL
from apps.mobility.models import OccupancyReading
from apps.opendata.models import Dataset, Resource
from apps.opendata.parking_dataset import OCCUPANCY_DATASET_SLUG, occupancy_dataset_publish

DAY = date(2026, 11, 30)


@pytest.fixture
def occupancy_resource(city) -> Resource:
    dataset = Dataset.objects.create(
        municipality=city,
        slug=OCCUPANCY_DATASET_SLUG,
        title_ko="공영주차장 주차가능면수",
        department=city.departments.first(),
        category="transport",
        update_cycle="daily",
    )
    return Resource.objects.create(dataset=dataset, name_ko="주차가능면수 (CSV)", format=Resource.Format.CSV)


def test_a_days_readings_are_published_once_as_a_version(city, station_east, occupancy_resource):
    start = datetime(2026, 11, 30, 8, 0, tzinfo=SEOUL)
    for minutes, free in [(0, 100), (30, 80), (24 * 60 + 5, 70)]:  # the last one is the next day's
        services.occupancy_reading_apply(
            station_east,
            free_spaces=free,
            read_at=start + timedelta(minutes=minutes),
            source=OccupancyReading.Source.SENSOR,
            message_id=f"d{minutes}",
            now=start + timedelta(minutes=minutes),
        )

    version = occupancy_dataset_publish(city, DAY)

    with version.upload.open("rb") as upload:
        rows = list(csv.DictReader(io.StringIO(upload.read().decode("utf-8-sig"))))
    assert [(row["주차장관리번호"], row["측정시각"], row["주차가능면수"]) for row in rows] == [
        ("366-001-1", "2026-11-30T08:00:00+09:00", "100"),
        ("366-001-1", "2026-11-30T08:30:00+09:00", "80"),
    ]
    assert "2026-11-30" in version.note
    assert occupancy_dataset_publish(city, DAY) is None  # the same day again


def test_a_city_without_the_dataset_publishes_nothing(city):
    assert occupancy_dataset_publish(city, DAY) is None
