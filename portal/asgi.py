"""ASGI entry point: Django for HTTP, Channels for websockets."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402  (needs Django set up first)
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from portal.request_size import RequestSizeGuard  # noqa: E402
from portal.routing import websocket_urlpatterns  # noqa: E402
from portal.websocket_origin import SiteOriginValidator  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": RequestSizeGuard(django_asgi_app),
        "websocket": SiteOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
