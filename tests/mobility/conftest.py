"""The city's own car park file (data/opendata/public-parking-lots.csv, CP949), imported once for
the whole package the way set-up imports it, in a transaction rolled back after the package; each
test runs in a savepoint of it, so none sees another's changes."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from tests.package_data import loaded_for_the_package

RECORDED = Path(__file__).parent / "recorded"


def recorded(name: str) -> dict:
    """A KOTSA answer as the API sends it (format=2), kept in recorded/."""
    return json.loads((RECORDED / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="package")
def shared_city_id(django_db_setup, django_db_blocker) -> Iterator[int]:
    from apps.municipalities.models import Municipality

    def load() -> int:
        call_command("load_reference_data", verbosity=0)
        call_command("load_demo_car_parks", verbosity=0)
        return Municipality.objects.get(code="uijeongbu").pk

    yield from loaded_for_the_package(django_db_blocker, load)


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared in English; the Korean ones are the catalogue's (locale/ko)."""
    with translation.override("en"):
        yield


@pytest.fixture
def city(shared_city_id, db):
    from apps.municipalities.models import Municipality

    return Municipality.objects.get(pk=shared_city_id)


@pytest.fixture
def station_east(city):
    """의정부역 동부 공영주차장: 160 spaces, 30 min ₩600, then ₩200 per 10 min, day pass ₩12,000."""
    from apps.mobility.models import CarPark

    return CarPark.objects.get(municipality=city, stable_id="366-001-1")
