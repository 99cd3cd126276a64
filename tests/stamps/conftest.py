"""The trails tests' small course (tests/trails/conftest.py) with two stamp points, markers 1 and 3,
and a client of its own address per test, so that the per-client limits of one test do not reach
another."""

import ipaddress
import random

import pytest
from django.test import Client

from apps.trails.models import TrailMarker, TrailPage
from tests.trails.conftest import trail, trails_index  # noqa: F401 - fixtures used here


@pytest.fixture
def stamp_trail(trail) -> TrailPage:  # noqa: F811 - the fixture imported above
    trail.markers.filter(number=3).update(is_stamp_point=True)
    return trail


def marker(page: TrailPage, number: int) -> TrailMarker:
    return page.markers.select_related("place").get(number=number)


@pytest.fixture
def phone() -> Client:
    return Client(REMOTE_ADDR=str(ipaddress.IPv4Address(random.getrandbits(24) | 0x0A000000)))
