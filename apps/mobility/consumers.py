"""Free spaces pushed to open parking pages as each count arrives (apps.mobility.services sends
them to a group per car park and one per city): a car park's page follows its own car park
(?car_park=<code>), the list and the board follow the city's (?city=<municipality code>)."""

import re
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from apps.mobility.models import CarPark
from apps.mobility.services import car_park_group, city_car_parks_group
from apps.municipalities.models import Municipality

# Place codes and city codes: anything else names nothing, and is not looked up.
CODE = re.compile(r"[A-Za-z0-9_-]{1,40}")


class FreeSpacesConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        query = parse_qs(self.scope.get("query_string", b"").decode(errors="replace"))
        car_park, city = query.get("car_park", [""])[0], query.get("city", [""])[0]
        self.group = await self._group(
            car_park if CODE.fullmatch(car_park) else "", city if CODE.fullmatch(city) else ""
        )
        if self.group is None:
            await self.close(code=4404)
            return
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if getattr(self, "group", None):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def free_spaces_changed(self, event: dict) -> None:
        await self.send_json(
            {
                "type": "free_spaces",
                "car_park": event["car_park"],
                "free_spaces": event["free_spaces"],
                "read_at": event["read_at"],
            }
        )

    @database_sync_to_async
    def _group(self, car_park_code: str, city_code: str) -> str | None:
        if not (car_park_code or city_code):
            return None
        if car_park_code:
            car_park_id = CarPark.objects.filter(place__code=car_park_code).values_list("pk", flat=True).first()
            return None if car_park_id is None else car_park_group(car_park_id)
        city_id = Municipality.objects.filter(code=city_code).values_list("pk", flat=True).first()
        return None if city_id is None else city_car_parks_group(city_id)
