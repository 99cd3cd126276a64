from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.utils import timezone
from wagtail.models import Locale

from content.models import SiteAlert
from content.tasks import push_alert_windows
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


async def test_an_alert_scheduled_ahead_reaches_open_pages_when_its_window_opens(demo_site):
    """Nobody publishes anything when a window opens or closes: beat's check pushes it."""

    def schedule(starts_in: timedelta, ends_in: timedelta) -> SiteAlert:
        now = timezone.now()
        alert = SiteAlert(
            title="의정부천 산책로 공사",
            message="<p>공사</p>",
            level="warning",
            locale=Locale.get_default(),
            starts_at=now + starts_in,
            ends_at=now + ends_in,
        )
        alert.save()
        alert.save_revision().publish()
        return alert

    alert = await sync_to_async(schedule)(timedelta(hours=1), timedelta(hours=2))
    page = await connect("ko")
    try:
        assert await sync_to_async(push_alert_windows)() is False
        assert await page.receive_nothing(timeout=0.5)
        # The window opens (moved to have opened a few seconds ago, as time would have it).
        await SiteAlert.objects.filter(pk=alert.pk).aupdate(starts_at=timezone.now() - timedelta(seconds=5))
        assert await sync_to_async(push_alert_windows)() is True
        message = await page.receive_json_from(timeout=10)
        assert "의정부천 산책로 공사" in message["html"]
        # And closes.
        await SiteAlert.objects.filter(pk=alert.pk).aupdate(ends_at=timezone.now() - timedelta(seconds=1))
        assert await sync_to_async(push_alert_windows)() is True
        assert "의정부천 산책로 공사" not in (await page.receive_json_from(timeout=10))["html"]
    finally:
        await page.disconnect()
