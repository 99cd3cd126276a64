from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from content.selectors import site_alerts_showing, site_alerts_version
from content.services import SITE_ALERTS_GROUP

LANGUAGE_CODES = {code for code, _ in settings.LANGUAGES}


class SiteAlertConsumer(AsyncJsonWebsocketConsumer):
    """Pushes the site-wide alerts to open pages whenever an editor publishes or withdraws one, and
    on connecting to a page that shows others than the current ones (`shown`, the version the page
    was rendered with): a page a browser or proxy kept a while catches up at once."""

    async def connect(self) -> None:
        query = parse_qs(self.scope.get("query_string", b"").decode())
        requested = query.get("lang", [""])[0]
        self.language = requested if requested in LANGUAGE_CODES else settings.LANGUAGE_CODE
        await self.channel_layer.group_add(SITE_ALERTS_GROUP, self.channel_name)
        await self.accept()
        if "shown" in query:
            html, version = await self._render_alerts()
            if version != query["shown"][0]:
                await self.send_json({"type": "alerts", "html": html, "version": version})

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(SITE_ALERTS_GROUP, self.channel_name)

    async def alerts_changed(self, event: dict) -> None:
        html, version = await self._render_alerts()
        await self.send_json({"type": "alerts", "html": html, "version": version})

    @database_sync_to_async
    def _render_alerts(self) -> tuple[str, str]:
        with translation.override(self.language):
            alerts = site_alerts_showing(language_code=self.language)
            html = render_to_string("content/includes/site_alerts.html", {"site_alerts": alerts})
            return html, site_alerts_version(alerts)
