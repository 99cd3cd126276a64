"""A river's open pages hear at once when its walkway closes (/ws/rivers/?river=<slug>), and every
page of the site gets the danger alert over /ws/alerts/ (the sockets read committed rows: these
tests commit)."""

from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.utils import timezone

from apps.rivers import services
from apps.rivers.models import WaterLevelReading
from portal.asgi import application

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "channels"])
HEADERS = [(b"origin", b"http://localhost"), (b"host", b"localhost")]


def rise(station, metres: float) -> None:
    services.water_level_reading_apply(
        station,
        water_level_m=metres,
        read_at=timezone.now() - timedelta(seconds=5),
        source=WaterLevelReading.Source.SENSOR,
        message_id=f"socket-{metres}",
    )


@pytest.fixture
def site_languages(db):
    """The locales the site alert is written in: a transactional test before this one may have
    flushed the rows the migrations made."""
    from wagtail.models import Locale

    for code in ("ko", "en"):
        Locale.objects.get_or_create(language_code=code)


async def test_a_closing_walkway_reaches_the_rivers_pages_and_the_site_alert_every_page(singok, site_languages):
    page = WebsocketCommunicator(application, "/ws/rivers/?river=jungnangcheon", headers=HEADERS)
    everywhere = WebsocketCommunicator(application, "/ws/alerts/?lang=ko", headers=HEADERS)
    assert (await page.connect())[0] and (await everywhere.connect())[0]
    try:
        await sync_to_async(rise)(singok, 3.8)
        level = await page.receive_json_from(timeout=30)
        assert (level["type"], level["station"], level["alert_level"], level["water_level_m"]) == (
            "level",
            "1018665",
            "caution",
            3.8,
        )
        walkway = await page.receive_json_from(timeout=30)
        assert walkway["type"] == "walkway" and walkway["closed"] is True and "신곡교" in walkway["reason_ko"]
        assert [entrance["open"] for entrance in walkway["entrances"]] == [False, False]
        alerts = await everywhere.receive_json_from(timeout=30)
        assert alerts["type"] == "alerts" and "중랑천" in alerts["html"]
    finally:
        await page.disconnect()
        await everywhere.disconnect()


@pytest.mark.parametrize("query", ["river=nope", "", "river=" + "x" * 5000, "river=%00%ff", "river=Jungnang%0A"])
async def test_an_unknown_river_is_refused(query):
    socket = WebsocketCommunicator(application, f"/ws/rivers/?{query}", headers=HEADERS)
    connected, close_code = await socket.connect()
    assert not connected and close_code == 4404


async def test_a_closing_walkway_reaches_the_open_pages_of_the_trail_markers_near_its_entrances(river):
    from apps.places.models import Place
    from apps.places.services import place_create

    def markers() -> tuple[Place, Place]:
        # About 90 m north of 신곡교 진입로, and 650 m.
        return tuple(
            place_create(
                municipality=river.municipality,
                kind=Place.Kind.TRAIL_MARKER,
                name_ko=name,
                latitude=latitude,
                longitude=127.045,
            )
            for name, latitude in (("가까운 표지", 37.7350), ("먼 표지", 37.7400))
        )

    near, far = await sync_to_async(markers)()
    near_page = WebsocketCommunicator(application, f"/ws/places/?codes={near.code.lower()}", headers=HEADERS)
    far_page = WebsocketCommunicator(application, f"/ws/places/?codes={far.code}", headers=HEADERS)
    assert (await near_page.connect())[0] and (await far_page.connect())[0]
    try:
        await sync_to_async(services.walkway_close)(river, cause="staff", reason_ko="호우", reason_en="Heavy rain")
        assert await near_page.receive_json_from(timeout=30) == {
            "type": "closures",
            "code": near.code,
            "change": "created",
        }
        assert await far_page.receive_nothing(timeout=0.5)
    finally:
        await near_page.disconnect()
        await far_page.disconnect()


@pytest.mark.parametrize("query", ["", "codes=", "codes=0O1IL", "codes=%00%ff", "codes=" + ",".join(["ABCDE"] * 61)])
async def test_a_place_socket_without_a_place_code_is_refused(query):
    socket = WebsocketCommunicator(application, f"/ws/places/?{query}", headers=HEADERS)
    connected, close_code = await socket.connect()
    assert not connected and close_code == 4400
