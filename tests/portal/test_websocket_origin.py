"""Websockets open only from the site's own origins: scheme, host and port, not the host alone."""

import pytest
from channels.testing import WebsocketCommunicator

from portal.asgi import application

# The alerts socket reads the live alerts when it opens.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _site(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    settings.SITE_URL = "https://portal.uijeongbu.go.kr"
    settings.ALLOWED_HOSTS = ["portal.uijeongbu.go.kr", "localhost", "127.0.0.1"]
    settings.CSRF_TRUSTED_ORIGINS = ["https://*.uijeongbu.go.kr", "http://localhost:8000"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


async def opens(origin: bytes | None, host: bytes = b"portal.uijeongbu.go.kr", *extra: tuple) -> bool:
    headers = [(b"host", host), *extra] + ([(b"origin", origin)] if origin is not None else [])
    client = WebsocketCommunicator(application, "/ws/alerts/?lang=ko", headers=headers)
    connected, _ = await client.connect(timeout=5)
    if connected:
        await client.disconnect()
    return connected


async def test_the_sites_own_origins_may_connect():
    assert await opens(b"https://portal.uijeongbu.go.kr")  # SITE_URL
    assert await opens(b"https://portal.uijeongbu.go.kr:443")  # the same, port spelled out
    assert await opens(b"https://www.uijeongbu.go.kr")  # CSRF_TRUSTED_ORIGINS, by its wildcard
    assert await opens(b"http://localhost:8000", b"portal.uijeongbu.go.kr")  # CSRF_TRUSTED_ORIGINS
    # The address the page itself was served from (development: no SITE_URL set up for it).
    assert await opens(b"http://127.0.0.1:8123", b"127.0.0.1:8123")
    # Behind the TLS proxy the connection is plain, and X-Forwarded-Proto says what the browser used.
    assert await opens(b"https://localhost", b"localhost", (b"x-forwarded-proto", b"https"))


@pytest.mark.parametrize(
    ("origin", "host"),
    [
        (b"http://portal.uijeongbu.go.kr", b"portal.uijeongbu.go.kr"),  # wrong scheme
        (b"https://portal.uijeongbu.go.kr:8443", b"portal.uijeongbu.go.kr"),  # wrong port
        (b"http://localhost:8001", b"portal.uijeongbu.go.kr"),  # trusted host, another port
        (b"http://www.uijeongbu.go.kr", b"portal.uijeongbu.go.kr"),  # wildcard is for https only
        (b"https://evil.example", b"portal.uijeongbu.go.kr"),
        (b"https://portal.uijeongbu.go.kr.evil.example", b"portal.uijeongbu.go.kr"),
        (b"null", b"portal.uijeongbu.go.kr"),
        (None, b"portal.uijeongbu.go.kr"),
        (b"http://127.0.0.1:8124", b"127.0.0.1:8123"),  # own host, another port
        (b"http://evil.example", b"evil.example"),  # a host the site does not serve
    ],
)
async def test_other_origins_are_refused(origin, host):
    # As production sees them: through nginx, which says the browser connected over TLS.
    assert not await opens(origin, host, (b"x-forwarded-proto", b"https"))


async def test_the_proxys_scheme_counts_against_a_plain_origin():
    assert not await opens(b"http://localhost", b"localhost", (b"x-forwarded-proto", b"https"))
