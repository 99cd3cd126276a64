from django.urls import path

from content.consumers import SiteAlertConsumer

websocket_urlpatterns = [
    path("ws/alerts/", SiteAlertConsumer.as_asgi()),
]
