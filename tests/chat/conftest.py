"""A stand-in for Rasa's REST webhook (the real bot is tested in tests/stack), and a chat client."""

import socket

import pytest
from channels.testing import WebsocketCommunicator
from django.core.cache import cache

from portal.asgi import application
from tests.rasa_stand_in import RasaStandIn, closed_port

GREETING_KO = "안녕하세요! 의정부시 민원 도우미입니다. 무엇을 도와드릴까요?"
GREETING_EN = "Hello! This is the Uijeongbu City complaints assistant. How can I help you?"


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
    greeting = GREETING_EN if body.get("metadata", {}).get("language") == "en" else GREETING_KO
    return [{"recipient_id": sender, "text": greeting}]


@pytest.fixture
def rasa(settings):
    stand_in = RasaStandIn(reply=rasa_like_replies)
    settings.RASA_URL = stand_in.url
    yield stand_in
    stand_in.close()


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
