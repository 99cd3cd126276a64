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
