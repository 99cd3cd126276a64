"""Rasa's REST channel (`/webhooks/rest/webhook`), refusing any request without the shared token.

`--auth-token` guards Rasa's HTTP API (trackers, /model, /status) but not the input channels, so
this channel checks the same `?token=` itself: only the portal, which holds RASA_AUTH_TOKEN,
relays residents' messages. The token comes from credentials.yml, i.e. from the environment.
"""

import hmac
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse


class TokenRestInput(RestInput):
    """The REST channel under its usual name and address, with the API's token check."""

    def __init__(self, token: str) -> None:
        if not token:
            raise ValueError("the REST channel needs a token (RASA_AUTH_TOKEN)")
        self.token = token

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> "TokenRestInput":
        return cls(token=str((credentials or {}).get("token") or ""))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = super().blueprint(on_new_message)

        @webhook.middleware("request")
        async def require_token(request: Request) -> HTTPResponse | None:
            provided = request.args.get("token", "")
            if hmac.compare_digest(provided.encode(), self.token.encode()):
                return None
            # The same answer as Rasa's own API gives without the token.
            return response.json(
                {
                    "status": "failure",
                    "reason": "NotAuthenticated",
                    "message": "User is not authenticated.",
                    "code": 401,
                },
                status=401,
            )

        return webhook
