"""A stand-in for Rasa's REST webhook (the real bot is tested in tests/stack), and a chat client."""

import json
import socket
import sqlite3
import time
from contextlib import closing

import pytest
from channels.testing import WebsocketCommunicator
from django.core.cache import cache
from django.db import connection

from apps.chat import tracker_store
from portal.asgi import application
from tests.rasa_stand_in import RasaStandIn, closed_port

GREETING_KO = "안녕하세요! 의정부시 민원 도우미입니다. 무엇을 도와드릴까요?"
GREETING_EN = "Hello! This is the Uijeongbu City complaints assistant. How can I help you?"
LANGUAGE_SET_EN = "Sure, I will answer in English from now on."


def rasa_like_replies(body: dict) -> list[dict]:
    """Answers in Rasa's REST channel format: one {"recipient_id", "text", "buttons"?} per utterance."""
    sender, message = body["sender"], body["message"]
    if message == "/report":
        return [
            {
                "recipient_id": sender,
                "text": "어떤 문제인가요?",
                "buttons": [
                    {"title": "불법 주정차", "payload": '/inform{"category": "illegal_parking"}'},
                    {"title": "가로등 고장", "payload": '/inform{"category": "streetlight"}'},
                ],
            }
        ]
    if message == "/share_location":
        return [
            {"recipient_id": sender, "text": "위치를 받았어요."},
            {"recipient_id": sender, "image": "/static/x.png"},
        ]
    if message == "English please":
        # The bot's utter_language_set: its custom part comes as an item of its own.
        return [
            {"recipient_id": sender, "text": LANGUAGE_SET_EN},
            {"recipient_id": sender, "custom": {"language": "en"}},
        ]
    greeting = GREETING_EN if body.get("metadata", {}).get("language") == "en" else GREETING_KO
    return [{"recipient_id": sender, "text": greeting}]


@pytest.fixture
def rasa(settings):
    stand_in = RasaStandIn(reply=rasa_like_replies)
    settings.RASA_URL = stand_in.url
    settings.RASA_AUTH_TOKEN = stand_in.token
    yield stand_in
    stand_in.close()


class TrackerEvents:
    """Rasa's `events` table where its SQL tracker store keeps it (schema `rasa` on PostgreSQL, the
    SQLite file in VAR_DIR otherwise), with the columns Rasa 3.6 creates; rows as Rasa writes them."""

    COLUMNS = "sender_id VARCHAR(255) NOT NULL, type_name VARCHAR(255) NOT NULL, timestamp FLOAT, "
    COLUMNS += "intent_name VARCHAR(255), action_name VARCHAR(255), data TEXT"

    def __init__(self):
        if connection.vendor == "postgresql":
            # Committed in transactional tests, so dropped again by the fixture.
            self.table, self.mark = f"{tracker_store.SCHEMA}.events", "%s"
            self._execute(f"DROP TABLE IF EXISTS {self.table}")
            self._execute(f"CREATE TABLE {self.table} (id SERIAL PRIMARY KEY, {self.COLUMNS})")
        else:
            self.table, self.mark = "events", "?"
            self._execute(f"CREATE TABLE events (id INTEGER PRIMARY KEY, {self.COLUMNS})")

    def _execute(self, sql: str, params: list | None = None) -> list:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(sql, params or [])
                return cursor.fetchall() if cursor.description else []
        with closing(sqlite3.connect(tracker_store.sqlite_path())) as database, database:
            return database.execute(sql, params or []).fetchall()

    def add(self, sender: str, event: dict, *, seconds_ago: float = 0) -> None:
        marks = ", ".join([self.mark] * 4)
        self._execute(
            f"INSERT INTO {self.table} (sender_id, type_name, timestamp, data) VALUES ({marks})",
            [sender, event["event"], time.time() - seconds_ago, json.dumps(event)],
        )

    def slot(self, sender: str, name: str, value, *, seconds_ago: float = 0) -> None:
        self.add(sender, {"event": "slot", "name": name, "value": value}, seconds_ago=seconds_ago)

    def senders(self) -> list[str]:
        return [row[0] for row in self._execute(f"SELECT sender_id FROM {self.table} ORDER BY id")]

    def drop(self) -> None:
        if connection.vendor == "postgresql":
            self._execute(f"DROP TABLE IF EXISTS {self.table}")


@pytest.fixture
def tracker_events(settings, tmp_path):
    settings.VAR_DIR = tmp_path  # a SQLite tracker store of this test's own
    events = TrackerEvents()
    yield events
    events.drop()


@pytest.fixture(name="closed_port")
def closed_port_fixture() -> int:
    return closed_port()


@pytest.fixture
def unresponsive_port():
    """A port whose listener never accepts and whose queue is full: new connections hang, as with a
    bot that is stuck or a host that drops packets."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    port = server.getsockname()[1]
    waiting = []
    for _ in range(3):
        filler = socket.socket()
        filler.setblocking(False)
        filler.connect_ex(("127.0.0.1", port))
        waiting.append(filler)
    yield port
    for filler in waiting:
        filler.close()
    server.close()


@pytest.fixture(autouse=True)
def _own_cache(settings):
    """Each test counts its rate limits from zero."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


class ChatClient(WebsocketCommunicator):
    """The widget's side of /ws/chat/, from a given address."""

    def __init__(self, address: str = "203.0.113.7", origin: bytes = b"http://localhost"):
        super().__init__(application, "/ws/chat/", headers=[(b"origin", origin), (b"host", b"localhost")])
        self.scope["client"] = (address, 50000)
        self.scope["server"] = ("127.0.0.1", 8000)

    async def hello(self, conversation: str | None = None, language: str = "ko") -> dict:
        connected, _ = await self.connect(timeout=5)
        assert connected
        await self.send_json_to({"type": "hello", "conversation": conversation, "language": language})
        welcome = await self.receive_json_from(timeout=10)
        assert welcome["type"] == "welcome", welcome
        return welcome

    async def say(self, text: str, **fields) -> list[dict]:
        """Sends a message; returns what came back up to the bot's answer or an error."""
        await self.send_json_to({"type": "message", "text": text, **fields})
        return await self.answers()

    async def answers(self, timeout: float = 10) -> list[dict]:
        answers = [await self.receive_json_from(timeout=timeout)]
        while answers[-1]["type"] == "typing":
            answers.append(await self.receive_json_from(timeout=timeout))
        return answers


async def say_once(text: str, *, language: str = "ko", **fields) -> list[dict]:
    """A new conversation with one message, as a widget opened and closed again: what came back."""
    client = ChatClient()
    try:
        await client.hello(language=language)
        return await client.say(text, **fields)
    finally:
        await client.disconnect()
