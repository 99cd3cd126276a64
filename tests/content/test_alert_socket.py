import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from wagtail.models import Locale

from content.models import SiteAlert
from portal.asgi import application

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "channels"])


def publish(title: str) -> SiteAlert:
    alert = SiteAlert(title=title, message=f"<p>{title}</p>", level="danger", locale=Locale.get_default())
    alert.save()
    alert.save_revision().publish()
    return alert


async def connect(language: str) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(
        application,
        f"/ws/alerts/?lang={language}",
        # A page of this site, as the browser describes it: served from the Host it connects to.
        headers=[(b"origin", b"http://localhost"), (b"host", b"localhost")],
    )
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def test_publishing_an_alert_reaches_open_pages_through_the_channel_layer(demo_site):
    korean, english = await connect("ko"), await connect("en")
    try:
        await sync_to_async(publish)("부용천 산책로 침수로 통제")
        message = await korean.receive_json_from(timeout=10)
        assert message["type"] == "alerts"
        assert "부용천 산책로 침수로 통제" in message["html"] and 'role="alert"' in message["html"]
        # English readers get the Korean alert until it is translated, with English chrome around it.
        assert "부용천 산책로 침수로 통제" in (await english.receive_json_from(timeout=10))["html"]
    finally:
        await korean.disconnect()
        await english.disconnect()


async def test_withdrawing_an_alert_clears_it_from_open_pages(demo_site):
    alert = await sync_to_async(publish)("지하차도 통제")
    communicator = await connect("ko")
    try:
        await sync_to_async(alert.unpublish)()
        message = await communicator.receive_json_from(timeout=10)
        assert "지하차도 통제" not in message["html"]
    finally:
        await communicator.disconnect()


async def test_a_socket_from_another_site_is_refused(db):
    communicator = WebsocketCommunicator(application, "/ws/alerts/", headers=[(b"origin", b"http://evil.example")])
    connected, _ = await communicator.connect()
    assert not connected
