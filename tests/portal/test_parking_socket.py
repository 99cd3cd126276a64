"""Free spaces reach open parking pages over /ws/parking/ as each count is applied, whichever
process applies it (the socket reads committed rows: a test of its own, outside tests/mobility,
whose package-wide data is never committed)."""

from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.core.management import call_command
from django.utils import timezone

from apps.mobility.models import CarPark, OccupancyReading
from apps.mobility.services import occupancy_reading_apply
from portal.asgi import application

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "channels"])
HEADERS = [(b"origin", b"http://localhost"), (b"host", b"localhost")]


def car_park_code() -> str:
    call_command("load_reference_data", verbosity=0)
    call_command("load_demo_car_parks", verbosity=0)
    return CarPark.objects.select_related("place").get(stable_id="366-001-1").place.code


def count(code: str, free: int) -> None:
    occupancy_reading_apply(
        CarPark.objects.get(place__code=code),
        free_spaces=free,
        read_at=timezone.now() - timedelta(seconds=5),
        source=OccupancyReading.Source.SENSOR,
        message_id=f"socket-{free}",
    )


async def test_a_count_reaches_the_car_parks_page_and_the_citys_pages():
    code = await sync_to_async(car_park_code)()
    page = WebsocketCommunicator(application, f"/ws/parking/?car_park={code}", headers=HEADERS)
    board = WebsocketCommunicator(application, "/ws/parking/?city=uijeongbu", headers=HEADERS)
    assert (await page.connect())[0] and (await board.connect())[0]
    try:
        await sync_to_async(count)(code, 13)
        for socket in (page, board):
            message = await socket.receive_json_from(timeout=10)
            assert message["type"] == "free_spaces" and message["free_spaces"] == 13 and message["car_park"] == code
    finally:
        await page.disconnect()
        await board.disconnect()


@pytest.mark.parametrize("query", ["car_park=NOPE", "city=seoul", "", "car_park=" + "x" * 5000, "city=%00%ff"])
async def test_an_unknown_car_park_or_city_is_refused(query):
    socket = WebsocketCommunicator(application, f"/ws/parking/?{query}", headers=HEADERS)
    connected, close_code = await socket.connect()
    assert not connected and close_code == 4404
