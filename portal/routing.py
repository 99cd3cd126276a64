from django.urls import path

from apps.chat.consumers import ChatConsumer
from apps.mobility.consumers import FreeSpacesConsumer
from apps.places.consumers import PlaceClosuresConsumer
from apps.rivers.consumers import RiverConsumer
from content.consumers import SiteAlertConsumer

websocket_urlpatterns = [
    path("ws/alerts/", SiteAlertConsumer.as_asgi()),
    path("ws/chat/", ChatConsumer.as_asgi()),
    path("ws/parking/", FreeSpacesConsumer.as_asgi()),
    path("ws/places/", PlaceClosuresConsumer.as_asgi()),
    path("ws/rivers/", RiverConsumer.as_asgi()),
]
