"""The chat on the running product: the browser's socket, the portal's consumer, the real Rasa."""

import asyncio
import json
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
import websockets

pytestmark = pytest.mark.stack
HANGUL = re.compile(r"[\uac00-\ud7a3]")

TRANSCRIPT = """
from apps.chat.selectors import conversation_for_signed_id
conversation = conversation_for_signed_id({signed!r})
print("|".join(f"{{m.sender}}:{{m.text}}" for m in conversation.messages.all()))
"""


def chat(stack, *messages: str) -> tuple[dict, list[list[dict]]]:
    """Says each message over /ws/chat/ as the widget does; returns the welcome and what came back."""

    async def scenario():
        address = stack.url.replace("http://", "ws://") + "/ws/chat/"
        async with websockets.connect(address, origin=stack.url) as socket:
            await socket.send(json.dumps({"type": "hello", "conversation": None, "language": "ko"}))
            welcome = json.loads(await asyncio.wait_for(socket.recv(), timeout=20))
            answers = []
            for text in messages:
                await socket.send(json.dumps({"type": "message", "text": text}))
                received = [json.loads(await asyncio.wait_for(socket.recv(), timeout=60))]
                while received[-1]["type"] == "typing":
                    received.append(json.loads(await asyncio.wait_for(socket.recv(), timeout=60)))
                answers.append(received)
            return welcome, answers

    # Its own thread and event loop: other tests (Playwright, pytest-asyncio) may own this thread's loop.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, scenario()).result(timeout=180)


def test_chat_greeting_comes_back_from_the_bot_in_korean(stack):
    welcome, [answers] = chat(stack, "안녕하세요")
    assert welcome["type"] == "welcome" and welcome["history"] == []
    assert [answer["type"] for answer in answers] == ["typing", "bot"], answers
    replies = " ".join(message["text"] for message in answers[-1]["messages"])
    assert HANGUL.search(replies), replies


def test_chat_transcript_is_stored_by_the_portal(stack):
    welcome, [answers] = chat(stack, "안녕하세요")
    replies = [f"bot:{message['text']}" for message in answers[-1]["messages"]]
    output = stack.manage("shell", "-c", TRANSCRIPT.format(signed=welcome["conversation"])).stdout
    assert output.strip().splitlines()[-1].split("|") == ["resident:안녕하세요", *replies]
