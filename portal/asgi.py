"""ASGI entry point: Django for HTTP, Channels for websockets."""

import gc
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup(set_prefix=False)

from django.urls import get_resolver  # noqa: E402  (needs Django set up first)

from portal.http_handler import OneThreadASGIHandler  # noqa: E402

django_asgi_app = OneThreadASGIHandler()

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

# Everything imported so far lives as long as the process: the collector need not walk it again.
# (A full collection over it took 100-250 ms, the whole process stopped, several times a minute
# under load.) The URLconf imports every view first.
get_resolver().url_patterns  # noqa: B018
gc.freeze()
