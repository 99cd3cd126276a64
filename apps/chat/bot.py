"""The portal's side of Rasa's REST channel: one resident message in, the bot's replies out.

The browser never talks to Rasa. The consumer calls this in a thread (requests is the HTTP client
the portal already has), so a slow bot holds a thread, not the event loop.
"""

from dataclasses import dataclass, field
from typing import Any

import requests

from apps.chat.protocol import LANGUAGES
from apps.common.rasa import rasa_json

# A bot that is down refuses or never answers the connection: the resident hears of it within 3 s.
CONNECT_TIMEOUT = 2.5
# Once connected, the bot may take a while: filing a case makes its action server call the portal.
READ_TIMEOUT = 30


class BotUnavailable(Exception):
    """Rasa could not be reached, failed, or answered something that is not its REST format."""


@dataclass(frozen=True)
class BotReply:
    """One message of the bot, as the widget shows it."""

    text: str = ""
    buttons: list[dict[str, str]] = field(default_factory=list)
    image: str = ""
    custom: Any = None

    def as_json(self) -> dict[str, Any]:
        return {"text": self.text, "buttons": self.buttons, "image": self.image or None, "custom": self.custom}

    @property
    def language(self) -> str | None:
        """The conversation's language from now on, when the resident asked the bot for another one
        (the bot's utter_language_set carries {"language": "en"} as its custom part)."""
        value = self.custom.get("language") if isinstance(self.custom, dict) else None
        return value if value in LANGUAGES else None

    @property
    def shows_anything(self) -> bool:
        """False for the bare language notice, which is for the portal, not the widget."""
        return bool(self.text or self.buttons or self.image) or (self.custom is not None and self.language is None)


def _button(item: object) -> dict[str, str] | None:
    if isinstance(item, dict) and isinstance(item.get("title"), str) and isinstance(item.get("payload"), str):
        return {"title": item["title"], "payload": item["payload"]}
    return None


def _reply(item: object) -> BotReply | None:
    """A reply from Rasa's REST format ({"recipient_id", "text", "buttons", "image", "custom"}); None
    for an item that carries nothing the widget can show."""
    if not isinstance(item, dict):
        return None
    text = item.get("text") if isinstance(item.get("text"), str) else ""
    buttons = [button for raw in item.get("buttons") or [] if (button := _button(raw))]
    image = item.get("image") if isinstance(item.get("image"), str) else ""
    # The widget loads the image: only a web address, never javascript: or data: URLs.
    if not image.startswith(("https://", "http://", "/")):
        image = ""
    custom = item.get("custom") if isinstance(item.get("custom"), dict | list) else None
    if not (text or buttons or image or custom is not None):
        return None
    return BotReply(text=text, buttons=buttons, image=image, custom=custom)


def bot_send(*, sender: str, message: str, metadata: dict[str, Any]) -> list[BotReply]:
    """Relays one message to Rasa's REST webhook and returns its replies; BotUnavailable otherwise."""
    try:
        body = rasa_json(
            "POST",
            "/webhooks/rest/webhook",
            json={"sender": sender, "message": message, "metadata": metadata},
            timeout=(CONNECT_TIMEOUT, READ_TIMEOUT),
        )
    except (requests.RequestException, ValueError) as error:
        raise BotUnavailable(str(error) or error.__class__.__name__) from error
    if not isinstance(body, list):
        raise BotUnavailable(f"unexpected answer from the bot: {str(body)[:200]}")
    replies = [reply for item in body if (reply := _reply(item))]
    if not replies:
        # Every turn of ours ends in an utterance: silence means Rasa failed inside (its lock store
        # unreachable, an action server error), and the resident would be left waiting.
        raise BotUnavailable("the bot answered nothing")
    return replies
