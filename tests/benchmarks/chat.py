"""The chatbot's speed: Rasa's /model/parse alone, and a whole widget round trip (a message into
the portal's websocket, through Rasa and its actions, the reply back) with 20 conversations at once.

    DATABASE_URL=postgres://... .venv/bin/python -m tests.benchmarks.chat

Starts the whole product with bin/run on free ports (as the stack tests do) and prints p50/p95.
`bin/bench chat` runs it on a PostgreSQL and Redis of its own.
"""

import argparse
import asyncio
import json
import tempfile
import time
from pathlib import Path

import requests
import websockets

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


async def conversation_round_trips(ws_url: str, origin: str, language: str) -> list[float]:
    latencies = []
    async with websockets.connect(ws_url, origin=origin, open_timeout=30) as socket:
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
    results = await asyncio.gather(*(conversation_round_trips(ws_url, url, "ko") for _ in range(conversations)))
    return [latency for latencies in results for latency in latencies]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parse-rounds", type=int, default=200)
    parser.add_argument("--conversations", type=int, default=20)
    args = parser.parse_args()

    django_setup()
    from tests.stack_runner import start_stack

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
            started = time.perf_counter()
            trips = asyncio.run(widget_round_trips(stack.url, args.conversations))
            elapsed = time.perf_counter() - started
            print(
                f"widget round trip, {args.conversations} conversations at once, {len(trips)} messages "
                f"in {elapsed:.1f} s: p50 {percentile(trips, 0.5):.0f} ms, p95 {percentile(trips, 0.95):.0f} ms"
            )
        finally:
            next(running, None)


if __name__ == "__main__":
    main()
