"""A river's walkway state, water levels and fine dust pushed to its open pages as they change
(apps.rivers.services sends them to one group per river): /ws/rivers/?river=<slug>."""

import re
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from apps.rivers.models import River
from apps.rivers.services import river_group

# A river's slug: anything else names nothing, and is not looked up.
SLUG = re.compile(r"[a-z0-9-]{1,40}")


class RiverConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        query = parse_qs(self.scope.get("query_string", b"").decode(errors="replace"))
        slug = query.get("river", [""])[0]
        self.group = await self._group(slug) if SLUG.fullmatch(slug) else None
        if self.group is None:
            await self.close(code=4404)
            return
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if getattr(self, "group", None):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def walkway_changed(self, event: dict) -> None:
        await self.send_json({**event, "type": "walkway"})

    async def level_changed(self, event: dict) -> None:
        await self.send_json({**event, "type": "level"})

    async def air_changed(self, event: dict) -> None:
        await self.send_json({**event, "type": "air"})

    @database_sync_to_async
    def _group(self, slug: str) -> str | None:
        # Slugs are unique per city; a city's pages use its own (the first river of that slug).
        river_id = River.objects.filter(slug=slug).values_list("pk", flat=True).first()
        return None if river_id is None else river_group(river_id)
