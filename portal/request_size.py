"""Refuses request bodies larger than the site ever needs, in front of Django.

Django's ASGI handler reads the whole body before any middleware runs, so a limit inside Django
comes too late. This guard wraps the HTTP application: it refuses by Content-Length before reading
a byte, and counts a chunked body as it streams in, answering 413 and closing the connection as
soon as the count passes the limit. See docs/decisions/0019-request-size-guard.md.
"""

import json
from importlib import import_module

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import get_user
from django.db import close_old_connections
from django.http import HttpRequest
from django.http.cookie import parse_cookie
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _

ADMIN_PREFIX = "/admin/"


def _header(scope: dict, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def _cookies(scope: dict) -> dict[str, str]:
    return parse_cookie(_header(scope, b"cookie") or "")


def _is_staff_session(session_key: str) -> bool:
    """Whether the session cookie belongs to a signed-in, active staff user (Django's own check,
    including the password hash, so a session ended by a password change does not count)."""
    request = HttpRequest()
    request.session = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    try:
        user = get_user(request)
        return bool(user.is_active and user.is_staff)
    finally:
        close_old_connections()  # this runs outside a request: nobody else returns the connection


def _language(scope: dict) -> str:
    request = HttpRequest()
    request.path_info = request.path = scope.get("path", "/")
    request.COOKIES = _cookies(scope)
    request.META["HTTP_ACCEPT_LANGUAGE"] = _header(scope, b"accept-language") or ""
    return translation.get_language_from_request(request, check_path=True)


async def _refuse(scope: dict, send, size: int | None, limit: int) -> None:
    with translation.override(_language(scope)):
        if size is None:
            message = _("What you sent is too large (at most %(limit)s).") % {"limit": filesizeformat(limit)}
        else:
            message = _("What you sent is too large (%(size)s; at most %(limit)s).") % {
                "size": filesizeformat(size),
                "limit": filesizeformat(limit),
            }
    if scope.get("path", "").startswith(("/api/", "/open311/")):
        body, content_type = json.dumps({"detail": message}, ensure_ascii=False).encode(), b"application/json"
    else:
        body, content_type = message.encode(), b"text/plain; charset=utf-8"
    # Connection: close makes the server drop the connection instead of reading the rest to reuse it.
    headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode()), (b"connection", b"close")]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class RequestSizeGuard:
    """ASGI middleware for the "http" scope. MAX_REQUEST_BYTES for everyone; the larger
    MAX_ADMIN_REQUEST_BYTES only for /admin/ requests of a signed-in staff user (an anonymous
    request to the admin's login page gets the ordinary limit)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        try:
            declared = int(_header(scope, b"content-length") or -1)
        except ValueError:
            declared = -1  # the server refuses a malformed length before we see it
        streamed = "chunked" in (_header(scope, b"transfer-encoding") or "").lower()
        limit = await self._limit(scope, declared if declared >= 0 or not streamed else None)
        if declared > limit:
            return await _refuse(scope, send, declared, limit)

        received = 0
        refused = False
        response_started = False

        async def counting_receive():
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    refused = True
                    if not response_started:
                        await _refuse(scope, send, None, limit)
                    # Django's handler stops reading and answers nothing: the 413 is already sent.
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message):
            nonlocal response_started
            if refused:
                return
            response_started = True
            await send(message)

        await self.app(scope, counting_receive, guarded_send)

    async def _limit(self, scope: dict, declared: int | None) -> int:
        """declared: the Content-Length (-1 without a body), None for a body of unknown length."""
        ordinary = settings.MAX_REQUEST_BYTES
        if not scope.get("path", "").startswith(ADMIN_PREFIX) or (declared is not None and declared <= ordinary):
            return ordinary
        session_key = _cookies(scope).get(settings.SESSION_COOKIE_NAME)
        if session_key and await sync_to_async(_is_staff_session)(session_key):
            return settings.MAX_ADMIN_REQUEST_BYTES
        return ordinary
