"""A local HTTP server that replays the portal's recorded answers, for action tests that need no
live portal: the handler answers JSON, and `serving` points the actions' portal client at it;
`ask` runs an action on one message, as the action server would."""

import asyncio
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import portal as portal_module

PUBLIC_URL = "https://portal.example.kr"


class RecordedHandler(BaseHTTPRequestHandler):
    def answer(self, status: int, body: object) -> None:
        payload = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args) -> None:
        pass


@contextmanager
def serving(handler: type[RecordedHandler], monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("PORTAL_URL", f"http://127.0.0.1:{server.server_port}")
    monkeypatch.setenv("PORTAL_PUBLIC_URL", PUBLIC_URL)
    monkeypatch.setattr(portal_module, "_cache", {})
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()


def ask(
    action: type[Action], text: str, *, intent: str, language: str = "ko", metadata: dict | None = None
) -> list[dict]:
    """What `action` says to `text` (classified as `intent`) in a conversation in `language`, with
    what the widget sent along (`metadata`: a shared location)."""
    tracker = Tracker(
        sender_id="test-user",
        slots={"language": language},
        latest_message={"text": text, "intent": {"name": intent}, "entities": [], "metadata": metadata or {}},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )
    dispatcher = CollectingDispatcher()
    asyncio.run(action().run(dispatcher, tracker, {}))
    return dispatcher.messages
