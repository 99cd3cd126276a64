"""Rivers: how fast a gate's closing reaches the open river pages.

    .venv/bin/python -m tests.benchmarks.rivers [--clients 200] [--rounds 10] [--processes 2]

Against the database `manage.py prepare` seeded (bin/bench: a throw-away one, with the demo rivers):
`--clients` sockets open 중랑천's page socket (/ws/rivers/?river=jungnangcheon) on two uvicorn
processes (the Procfile's server; on PostgreSQL the Redis channel layer carries the message between
them), then the gate system of one entrance pushes its state to the real endpoint (POST
/api/v1/rivers/gates/states, with its device token), closed and open in turn, `--rounds` times. For
each push, the time from sending it to each client reading the walkway message that shows the new
state of that entrance: p50, p95 and max over every client and round, with the push's own answer
time beside it (what the gate waits for).
"""

import argparse
import asyncio
import json
import time
from datetime import UTC, datetime

import requests
import websockets

from tests.benchmarks.report import record
from tests.benchmarks.web import django_setup, percentile, web_server

RIVER = "jungnangcheon"
GATE_PATH = "/api/v1/rivers/gates/states"
GOAL_P95_S = 2.0
ARRIVAL_TIMEOUT_S = 30


def gate_device() -> tuple[str, str]:
    """(entrance code, token) of a new gate system at the first entrance of the demo 중랑천."""
    from apps.rivers.models import River
    from apps.rivers.services import river_device_create

    entrance = River.objects.get(slug=RIVER).entrances.select_related("place").order_by("pk").first()
    _device, token = river_device_create(name="benchmark gate", entrance=entrance)
    return entrance.place.code, token


async def _push_to_open_pages(url: str, code: str, token: str, clients: int, rounds: int) -> tuple[list, list]:
    """Seconds from each gate push to each client's socket showing it, and each push's answer time."""
    address = url.replace("http://", "ws://") + f"/ws/rivers/?river={RIVER}"
    sockets = []
    for _ in range(clients):  # one after another: a page load is not a connection storm
        sockets.append(await websockets.connect(address, origin=url, max_queue=None))
    arrivals: list[float] = []
    answers: list[float] = []
    session = requests.Session()

    async def shown(socket, closed: bool) -> float:
        while True:
            message = json.loads(await socket.recv())
            if message["type"] != "walkway":
                continue
            entrance = next(entry for entry in message["entrances"] if entry["code"] == code)
            if entrance["open"] is not closed:
                return time.perf_counter()

    try:
        for number in range(rounds * 2):
            closed = number % 2 == 0
            body = {
                "entrance": code,
                "state": "closed" if closed else "open",
                "at": datetime.now(UTC).isoformat(),
                "message_id": f"bench-{time.time_ns()}",
            }
            waiting = [asyncio.create_task(shown(socket, closed)) for socket in sockets]
            sent = time.perf_counter()
            response = await asyncio.to_thread(
                session.post, url + GATE_PATH, json=body, headers={"Authorization": f"Bearer {token}"}, timeout=60
            )
            answers.append(time.perf_counter() - sent)
            if response.status_code != 201:
                raise RuntimeError(f"the gate push was answered {response.status_code}: {response.text[:200]}")
            arrived = await asyncio.wait_for(asyncio.gather(*waiting), timeout=ARRIVAL_TIMEOUT_S)
            arrivals.extend(moment - sent for moment in arrived)
            await asyncio.sleep(0.5)  # a gate does not move twice in a second
    finally:
        await asyncio.gather(*(socket.close() for socket in sockets), return_exceptions=True)
    return arrivals, answers


def gate_push_to_open_pages(url: str, clients: int, rounds: int) -> None:
    """The time from a gate push to the warning on `clients` open river pages (p50/p95/max)."""
    code, token = gate_device()
    arrivals, answers = asyncio.run(_push_to_open_pages(url, code, token, clients, rounds))
    p50, p95, worst = (percentile(arrivals, 0.5), percentile(arrivals, 0.95), max(arrivals))
    answer_p50 = percentile(answers, 0.5)
    print(
        f"  {len(answers)} gate pushes to {clients} open pages: push to page p50 {p50 * 1000:.0f} ms, "
        f"p95 {p95 * 1000:.0f} ms, max {worst * 1000:.0f} ms; the push's own answer p50 {answer_p50 * 1000:.0f} ms"
    )
    record(
        measure=f"gate push to the warning on {clients} open river pages ({len(answers)} pushes)",
        ours=f"p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max {worst * 1000:.0f} ms",
        reference=f"the push's own answer p50 {answer_p50 * 1000:.0f} ms",
        result=f"p95 {p95 * 1000:.0f} ms",
        goal=f"p95 < {GOAL_P95_S:.0f} s",
        met=p95 < GOAL_P95_S,
    )


def point_page_bytes() -> None:
    """What the heron spot (a guide point with a 3D model) costs a phone before anyone taps "3D": the
    page compressed and every file it loads; the model and <model-viewer> are not among them."""
    import gzip

    from django.test import Client

    from tests.benchmarks.trails import HOST, header_bytes, subresources

    client = Client(HTTP_HOST=HOST)
    url = "/ko/river-guide/jungnangcheon-heron/"
    page = client.get(url, HTTP_ACCEPT_ENCODING="br, gzip")
    if page.status_code != 200:
        print(f"  {url}: {page.status_code} (no demo guide point: run manage.py prepare)")
        return
    html_bytes = header_bytes(page) + len(gzip.compress(page.content, compresslevel=6))
    files = {path: size for path, (_response, size) in subresources(client, url, page.content.decode()).items()}
    total = html_bytes + sum(files.values())
    model = [path for path in files if path.endswith(".glb") or "model-viewer" in path]
    print(f"  guide point {url}: HTML {html_bytes:,} bytes transferred, {len(files)} files, total {total:,} bytes")
    record(
        measure="river guide point page, bytes transferred before the 3D model is asked for",
        ours=f"{total / 1024:.1f} KB",
        reference=f"of which the model and <model-viewer>: {len(model)} files",
        result=f"{total / 1024:.1f} KB",
        goal="<= 100 KB, no model bytes",
        met=total <= 100 * 1024 and not model,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=10, help="closed-and-open pairs of gate pushes")
    parser.add_argument("--processes", type=int, default=2, help="web server processes")
    args = parser.parse_args()

    django_setup()
    from django.db import connection

    print(f"database: {connection.vendor}; {args.processes} uvicorn processes")
    # A real gate sends a few a minute; the rounds send more.
    limits = {"RIVERS_DEVICE_PUSHES_PER_MINUTE": str(max(60, args.rounds * 4))}
    point_page_bytes()
    with web_server(args.processes, env=limits) as url:
        gate_push_to_open_pages(url, args.clients, args.rounds)


if __name__ == "__main__":
    main()
