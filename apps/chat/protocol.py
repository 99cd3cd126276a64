"""What the chat widget may send over the websocket, checked before anything is stored or relayed.

Client to server:
  {"type": "hello", "conversation": "<signed id>" | null, "language": "ko" | "en"}
  {"type": "message", "text": "...", "payload": "/intent" (optional),
   "metadata": {"location": {"latitude": .., "longitude": ..}} | {"photos": ["<uuid>", ...]} (optional)}
Server to client: "welcome", "typing", "bot" and "error" (see consumers.py).
"""

import math
import uuid
from dataclasses import dataclass, field
from typing import Any

from apps.complaints.photos import MAX_PHOTOS

LANGUAGES = ("ko", "en")
MAX_TEXT_LENGTH = 1000
# A frame longer than this cannot hold a valid message; it is refused before it is parsed.
MAX_FRAME_LENGTH = 20_000


class Refused(Exception):
    """A message the consumer answers with {"type": "error", "code": code}; nothing was stored."""

    def __init__(self, code: str, text: str = ""):
        super().__init__(code)
        self.code = code
        self.text = text  # what the resident wrote, for the report form link


@dataclass(frozen=True)
class Hello:
    signed_conversation: str | None
    language: str


@dataclass(frozen=True)
class ResidentMessage:
    text: str
    payload: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def for_bot(self) -> str:
        """A button's payload (an intent) says more to the bot than its title."""
        return self.payload or self.text


def hello_parse(event: dict) -> Hello:
    signed = event.get("conversation")
    language = event.get("language")
    if not (signed is None or isinstance(signed, str)) or language not in LANGUAGES:
        raise Refused("bad_request")
    return Hello(signed_conversation=signed or None, language=language)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _location(value: object) -> dict[str, float]:
    if not isinstance(value, dict) or set(value) != {"latitude", "longitude"}:
        raise ValueError("a location is {latitude, longitude}")
    latitude, longitude = value["latitude"], value["longitude"]
    if not (_is_number(latitude) and _is_number(longitude) and -90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ValueError("not a point on the map")
    return {"latitude": float(latitude), "longitude": float(longitude)}


def _photos(value: object) -> list[str]:
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_PHOTOS:
        raise ValueError(f"1 to {MAX_PHOTOS} photo ids")
    if not all(isinstance(photo, str) for photo in value):
        raise ValueError("photo ids are strings")
    return [str(uuid.UUID(photo)) for photo in value]


METADATA_CHECKS = {"location": _location, "photos": _photos}


def resident_message_parse(event: dict) -> ResidentMessage:
    text = event.get("text")
    if not isinstance(text, str) or not text.strip():
        raise Refused("bad_request")
    text = text.strip()
    if len(text) > MAX_TEXT_LENGTH:
        raise Refused("too_long", text)
    payload = event.get("payload") or ""
    metadata = event.get("metadata") or {}
    if not isinstance(payload, str) or len(payload) > MAX_TEXT_LENGTH or not isinstance(metadata, dict):
        raise Refused("bad_request", text)
    # Metadata goes on to the bot as it is: only what the widget itself sends, checked.
    if set(metadata) - set(METADATA_CHECKS):
        raise Refused("bad_request", text)
    try:
        checked = {key: METADATA_CHECKS[key](value) for key, value in metadata.items()}
    except ValueError:
        raise Refused("bad_request", text) from None
    return ResidentMessage(text=text, payload=payload.strip(), metadata=checked)
