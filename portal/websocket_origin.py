"""Lets a websocket in only from a page of this site.

Channels' AllowedHostsOriginValidator compares the Origin's host alone, so a page on
http://portal.example:8081 (or plain http next to the https site) could open the chat as the
visitor. Here the Origin's scheme, host and port must all be one of the site's own origins:
SITE_URL, CSRF_TRUSTED_ORIGINS, or the address the request itself was made to (as Django's CSRF
check accepts it: Host validated by ALLOWED_HOSTS, https when the proxy says so).
"""

from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host
from django.utils.http import is_same_domain

DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an http(s) origin, the port filled in; None for anything else."""
    try:
        parts = urlsplit(url.strip().lower())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    return parts.scheme, parts.hostname, port or DEFAULT_PORTS[parts.scheme]


def _headers(scope: dict) -> dict[bytes, bytes]:
    return {name.lower(): value for name, value in scope.get("headers", [])}


def _own_origin(scope: dict) -> tuple[str, str, int] | None:
    """The origin of the address this request was sent to, if its Host is one we serve."""
    headers = _headers(scope)
    host = headers.get(b"host", b"").decode("latin-1")
    domain, _port = split_domain_port(host)
    if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
        return None
    secure = scope.get("scheme") in ("wss", "https")
    proxy_header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if proxy_header:
        name, secure_value = proxy_header
        forwarded = headers.get(name.removeprefix("HTTP_").replace("_", "-").lower().encode())
        if forwarded is not None:  # as Django's request.scheme: the proxy's word, else the connection's
            secure = forwarded.decode("latin-1").split(",")[0].strip() == secure_value
    return _origin(f"{'https' if secure else 'http'}://{host}")


def origin_allowed(scope: dict) -> bool:
    origin_header = _headers(scope).get(b"origin")
    origin = _origin(origin_header.decode("latin-1")) if origin_header else None
    if origin is None:
        return False
    exact = {_origin(url) for url in [settings.SITE_URL, *settings.CSRF_TRUSTED_ORIGINS] if "*" not in url}
    if origin in exact | {_own_origin(scope)}:
        return True
    # CSRF_TRUSTED_ORIGINS may name every subdomain ("https://*.example.kr"), as Django allows.
    netloc = origin[1] if origin[2] == DEFAULT_PORTS[origin[0]] else f"{origin[1]}:{origin[2]}"
    for trusted in settings.CSRF_TRUSTED_ORIGINS:
        scheme, _, pattern = trusted.lower().partition("://")
        if "*" in pattern and scheme == origin[0] and is_same_domain(netloc, pattern[pattern.index("*") + 1 :]):
            return True
    return False


class SiteOriginValidator:
    """ASGI middleware for the "websocket" scope: refuses the handshake (403) from any other origin."""

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and not origin_allowed(scope):
            return await WebsocketDenier()(scope, receive, send)
        return await self.application(scope, receive, send)
