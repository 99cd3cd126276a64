"""One river with its stations (alert levels read from a recorded HRFCO answer), two entrances and
a car park on its bank, made per test through the services (the socket and lock tests commit, so
no package-wide data is shared)."""

import json
from datetime import datetime
from pathlib import Path

import pytest
from django.utils import translation

RECORDED = Path(__file__).parent / "recorded"


def recorded(name: str) -> dict:
    """An HRFCO answer as the API sends it, kept in recorded/."""
    return json.loads((RECORDED / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared in English; the Korean ones are the catalogue's (locale/ko)."""
    with translation.override("en"):
        yield


@pytest.fixture
def river(city):
    """중랑천 (closing at 주의) with 신곡교 (관심 2.5, 주의 3.6, 경계 4.4, 심각 5.0 m), 금신교, two
    entrances and the 둔치 car park on its bank."""
    from apps.mobility.models import CarPark
    from apps.places.models import Place
    from apps.places.services import place_create
    from apps.rivers import services
    from apps.rivers.models import River, RiverEntrance, WaterLevelStation

    river = River.objects.create(municipality=city, slug="jungnangcheon", name_ko="중랑천", name_en="Jungnangcheon")
    for code, name in (("1018665", "신곡교"), ("1018666", "금신교")):
        WaterLevelStation.objects.create(river=river, code=code, name_ko=name)
    services.station_info_apply(recorded("waterlevel-info"))
    for name, latitude in (("중랑천 신곡교 진입로", 37.7342), ("중랑천 회룡교 진입로", 37.7240)):
        place = place_create(
            municipality=city, kind=Place.Kind.POINT, name_ko=name, latitude=latitude, longitude=127.045
        )
        entrance = RiverEntrance.objects.create(river=river, place=place, name_ko=name)
        place.owner = entrance
        place.save(update_fields=["owner_type", "owner_id"])
    bank = place_create(
        municipality=city,
        kind=Place.Kind.FACILITY,
        name_ko="중랑천 둔치 공영주차장",
        latitude=37.7441,
        longitude=127.0422,
    )
    CarPark.objects.create(municipality=city, stable_id="366-009-1", place=bank, name_ko=bank.name_ko)
    river.also_closes.add(bank)
    return river


@pytest.fixture
def singok(river):
    return river.stations.get(code="1018665")


def at_seoul(stamp: str) -> datetime:
    from apps.rivers.hrfco import SEOUL

    return datetime.strptime(stamp, "%Y%m%d%H%M").replace(tzinfo=SEOUL)
