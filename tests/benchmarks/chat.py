"""The chatbot's speed: Rasa's /model/parse alone, and the relay's overhead: the same conversations
(20 at once) sent straight to Rasa's REST webhook, the channel the portal relays to, and through the
portal's websocket (stored, relayed, the replies stored and sent back). Both go through Rasa and its
actions, which call the portal's API (the alerts), so the only difference is the portal's relay.

    DATABASE_URL=postgres://... .venv/bin/python -m tests.benchmarks.chat

Starts the whole product with bin/run on free ports (as the stack tests do) and prints p50/p95.
`bin/bench chat` runs it on a PostgreSQL and Redis of its own.
"""

import argparse
import asyncio
import ipaddress
import json
import os
import random
import tempfile
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
import websockets

from tests.benchmarks.report import record
from tests.benchmarks.web import django_setup, percentile

# What residents type, in both languages: complaints, a question the bot answers from the portal's
# live data, small talk. None of them files a case.
SENTENCES = [
    "의정부역 앞에 불법주차 차량이 인도를 막고 있어요",
    "회룡역 근처 가로등이 며칠째 꺼져 있어요",
    "민락동 골목에 쓰레기가 무단으로 버려져 있습니다",
    "There is a deep pothole on Haengbok-ro near the market",
    "The streetlight outside my flat in Singok-dong keeps flickering",
    "중랑천 산책로 지금 다닐 수 있나요?",
    "2026-000123 어떻게 됐나요?",
    "도로과 전화번호 알려주세요",
    "안녕하세요",
    "thank you",
]
# A greeting and a question answered from live data (the site alerts API, through an action).
CONVERSATION = ["안녕하세요", "중랑천 산책로 통제 중인가요?"]
LANGUAGE = "ko"
# The relay may add this much to a turn's p95 over the same turn sent straight to Rasa.
GOAL_RATIO = 1.2


def resident_address() -> str:
    """A made-up address, so that the widget's per-address limits count each resident on their own."""
    return str(ipaddress.IPv4Address(0x0A000000 + random.randrange(1, 0xFFFFFF)))


def model_parse_latencies(rasa_url: str, token: str, rounds: int) -> list[float]:
    session = requests.Session()
    session.params = {"token": token}
    latencies = []
    for index in range(rounds):
        started = time.perf_counter()
        response = session.post(f"{rasa_url}/model/parse", json={"text": SENTENCES[index % len(SENTENCES)]}, timeout=30)
        latencies.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    return latencies


async def conversation_round_trips(ws_url: str, origin: str, language: str, address: str) -> list[float]:
    latencies = []
    # Each resident from an address of their own, as nginx in front of the portal reports it.
    headers = {"X-Forwarded-For": address}
    async with websockets.connect(ws_url, origin=origin, open_timeout=30, additional_headers=headers) as socket:
        await socket.send(json.dumps({"type": "hello", "conversation": None, "language": language}))
        welcome = json.loads(await socket.recv())
        if welcome.get("type") != "welcome":
            raise RuntimeError(f"no welcome: {welcome}")
        for text in CONVERSATION:
            started = time.perf_counter()
            await socket.send(json.dumps({"type": "message", "text": text}))
            while True:
                reply = json.loads(await asyncio.wait_for(socket.recv(), timeout=60))
                if reply["type"] == "bot":
                    break
                if reply["type"] == "error":
                    raise RuntimeError(f"the portal refused a message: {reply}")
            latencies.append((time.perf_counter() - started) * 1000)
    return latencies


async def widget_round_trips(url: str, conversations: int) -> list[float]:
    ws_url = url.replace("http://", "ws://") + "/ws/chat/"
    results = await asyncio.gather(
        *(conversation_round_trips(ws_url, url, LANGUAGE, resident_address()) for _ in range(conversations))
    )
    return [latency for latencies in results for latency in latencies]


def webhook_conversation(webhook_url: str, token: str) -> list[float]:
    """One conversation sent straight to Rasa's REST webhook as the portal sends it: a fresh sender
    id, the conversation's language as metadata, one keep-alive connection."""
    session = requests.Session()
    sender = str(uuid.uuid4())
    latencies = []
    for text in CONVERSATION:
        started = time.perf_counter()
        response = session.post(
            webhook_url,
            params={"token": token},
            json={"sender": sender, "message": text, "metadata": {"language": LANGUAGE}},
            timeout=60,
        )
        latencies.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
        if not response.json():
            raise RuntimeError(f"the bot answered nothing to {text!r}")
    return latencies


def webhook_round_trips(rasa_url: str, token: str, conversations: int) -> list[float]:
    with ThreadPoolExecutor(conversations) as pool:
        results = pool.map(
            lambda _: webhook_conversation(f"{rasa_url}/webhooks/rest/webhook", token), range(conversations)
        )
        return [latency for latencies in results for latency in latencies]


def describe(name: str, latencies: list[float], elapsed: float) -> str:
    return (
        f"{name}: {len(latencies)} messages in {elapsed:.1f} s, "
        f"p50 {percentile(latencies, 0.5):.0f} ms, p95 {percentile(latencies, 0.95):.0f} ms"
    )


def relay_against_webhook(stack, conversations: int, rounds: int) -> None:
    """Rounds of the same conversations, straight to Rasa then through the portal, one after the
    other so that neither competes with the other for the machine; a first round of each warms up."""
    rasa_url = f"http://127.0.0.1:{stack.env['RASA_PORT']}"
    sides: dict[str, Callable[[], list[float]]] = {
        "Rasa's REST webhook": lambda: webhook_round_trips(rasa_url, stack.rasa_token, conversations),
        "the portal's /ws/chat/": lambda: asyncio.run(widget_round_trips(stack.url, conversations)),
    }
    measured: dict[str, list[float]] = {name: [] for name in sides}
    spent: dict[str, float] = dict.fromkeys(sides, 0.0)
    for round_number in range(rounds + 1):
        for name, side in sides.items():
            started = time.perf_counter()
            latencies = side()
            if round_number:  # round 0 warms up
                measured[name] += latencies
                spent[name] += time.perf_counter() - started
    for name, latencies in measured.items():
        print(describe(f"{name}, {conversations} conversations at once, {rounds} rounds", latencies, spent[name]))
    direct, relayed = (percentile(measured[name], 0.95) for name in sides)
    ratio = relayed / direct
    record(
        measure=f"widget chat turn, {conversations} conversations at once: /ws/chat/ vs Rasa's REST webhook",
        ours=f"p95 {relayed:,.0f} ms",
        reference=f"p95 {direct:,.0f} ms",
        result=f"{ratio:.2f}×",
        goal=f"≤ {GOAL_RATIO}×",
        met=ratio <= GOAL_RATIO,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parse-rounds", type=int, default=200)
    parser.add_argument("--conversations", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3, help="measured rounds of each side, after a warm-up")
    args = parser.parse_args()

    django_setup()
    from tests.stack_runner import start_stack

    # The stack trusts one proxy's X-Forwarded-For, as behind nginx: many residents, one limit each.
    os.environ["TRUSTED_PROXY_COUNT"] = "1"

    with tempfile.TemporaryDirectory(prefix="portal-bench-chat-") as var_dir:
        running = start_stack(Path(var_dir))
        stack = next(running)
        try:
            rasa_url = f"http://127.0.0.1:{stack.env['RASA_PORT']}"
            parse = model_parse_latencies(rasa_url, stack.rasa_token, args.parse_rounds)
            print(
                f"/model/parse, {args.parse_rounds} sentences one after another: "
                f"p50 {percentile(parse, 0.5):.0f} ms, p95 {percentile(parse, 0.95):.0f} ms"
            )
            relay_against_webhook(stack, args.conversations, args.rounds)
        finally:
            next(running, None)


if __name__ == "__main__":
    main()
