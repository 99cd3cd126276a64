"""/ws/places/?codes=<code>,<code>: the open page of a place (or of a few, like a trail marker's page
with the markers ahead) hears when a closure of one of them begins, changes or is lifted, and
fetches its own closures again (static/js/place-closures-live.js)."""

from urllib.parse import parse_qs

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from apps.places.codes import code_normalise
from apps.places.live import place_group

# A page shows a trail's markers at most; more codes are not a page of ours.
MAX_CODES = 60


class PlaceClosuresConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        query = parse_qs(self.scope.get("query_string", b"").decode(errors="replace"))
        raw = query.get("codes", [""])[0].split(",")
        codes = {code for code in map(code_normalise, raw[: MAX_CODES + 1]) if code}
        if not codes or len(raw) > MAX_CODES:
            await self.close(code=4400)
            return
        self.groups_joined = [place_group(code) for code in sorted(codes)]
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def closures_changed(self, event: dict) -> None:
        await self.send_json({"type": "closures", "code": event["code"], "change": event["change"]})
