from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from content.selectors import site_alerts_showing
from content.services import SITE_ALERTS_GROUP

LANGUAGE_CODES = {code for code, _ in settings.LANGUAGES}


class SiteAlertConsumer(AsyncJsonWebsocketConsumer):
    """Pushes the site-wide alerts to open pages whenever an editor publishes or withdraws one."""

    async def connect(self) -> None:
        requested = parse_qs(self.scope.get("query_string", b"").decode()).get("lang", [""])[0]
        self.language = requested if requested in LANGUAGE_CODES else settings.LANGUAGE_CODE
        await self.channel_layer.group_add(SITE_ALERTS_GROUP, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(SITE_ALERTS_GROUP, self.channel_name)

    async def alerts_changed(self, event: dict) -> None:
        await self.send_json({"type": "alerts", "html": await self._render_alerts()})

    @database_sync_to_async
    def _render_alerts(self) -> str:
        with translation.override(self.language):
            alerts = site_alerts_showing(language_code=self.language)
            return render_to_string("content/includes/site_alerts.html", {"site_alerts": alerts})
