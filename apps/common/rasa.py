"""Calls from the portal to the Rasa server, with the token it requires (RASA_AUTH_TOKEN)."""

import threading
from typing import Any
from urllib.parse import quote

import requests
from django.conf import settings

_thread = threading.local()


def _redacted(text: str) -> str:
    token = settings.RASA_AUTH_TOKEN
    return text.replace(token, "***").replace(quote(token, safe=""), "***") if token else text


def _session() -> requests.Session:
    """This thread's session: its connection to Rasa stays open for the thread's next call (the chat
    relays every message from a few threads) instead of a new connection each time."""
    if (session := getattr(_thread, "session", None)) is None:
        session = _thread.session = requests.Session()
    return session


def rasa_json(method: str, path: str, *, timeout: float | tuple[float, float], json: Any = None) -> Any:
    """Rasa's JSON answer to `method path?token=...`. Any failure (unreachable, timed out, an HTTP
    error status such as 401 for a wrong token) is a requests.RequestException whose message has the
    token cut out: requests puts the whole URL in its messages, which reach logs and /readyz.
    A body that is not JSON raises ValueError."""
    try:
        response = _session().request(
            method,
            f"{settings.RASA_URL}{path}",
            params={"token": settings.RASA_AUTH_TOKEN},
            json=json,
            timeout=timeout,
        )
        response.raise_for_status()
    except requests.RequestException as error:
        raise requests.RequestException(_redacted(str(error)) or error.__class__.__name__) from None
    return response.json()
