"""Files complaints concurrently through the API, against a bare JSON POST that writes one row, on the
same web server processes in the same run; checks each case was stored once, with its own number.

    DATABASE_URL=postgres://... .venv/bin/python -m tests.benchmarks.complaint_submissions --count 500

Both sides send the same body, as many requests at the same concurrency, after a warm-up of each.
The bare POST (tests/benchmarks/urls.py) exists only in the benchmark's URLconf. Prints, for each,
the answers, p50/p95 latency and requests/s, the CPU the web processes and this load generator spent
per request, and records the goal's row (tests/benchmarks/report.py). The clients are threads with
one kept-alive `http.client` connection each: with `requests` this process spent 0.9-1.3 ms of CPU
per request instead of 0.2-0.3 ms, taken from the same two cores as the servers' and added to both
sides alike, which flattered the ratio.
`bin/bench submissions` runs it on SQLite and on a PostgreSQL of its own.
"""

import argparse
import http.client
import json
import os
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from threading import local
from urllib.parse import urlsplit

from tests.benchmarks.report import record
from tests.benchmarks.web import SERVERS, django_setup, percentile, web_server

GOAL_P95_SECONDS = 0.5
GOAL_RATIO = 0.5
SUBMIT_PATH = "/api/v1/complaints/"


@dataclass
class Load:
    """What one side of the comparison got: each answer's status, latency and the start of its body."""

    results: list[tuple[int, float, str]]
    elapsed: float
    web_cpu: float  # seconds, the web server processes'
    client_cpu: float  # seconds, this process's (the load generator's)
    database_cpu: float  # seconds, this machine's PostgreSQL processes' (0 on SQLite or elsewhere)

    @property
    def succeeded(self) -> list[float]:
        return [latency for status, latency, _ in self.results if status == 201]

    @property
    def per_second(self) -> float:
        return len(self.succeeded) / self.elapsed

    @property
    def p95_ms(self) -> float:
        return percentile(self.succeeded, 0.95) * 1000 if self.succeeded else float("inf")

    def describe(self) -> str:
        lines = [f"answered 201: {len(self.succeeded)} of {len(self.results)}"]
        for status, count in Counter(status for status, _, _ in self.results if status != 201).items():
            sample = next(body for code, _, body in self.results if code == status)
            lines.append(f"HTTP {status}: {count}, e.g. {sample}")
        if self.succeeded:
            lines.append(
                f"latency p50 {percentile(self.succeeded, 0.5) * 1000:.0f} ms, p95 {self.p95_ms:.0f} ms; "
                f"{self.per_second:.0f}/s over {self.elapsed:.1f} s"
            )
        lines.append(
            f"CPU per request: web processes {self.web_cpu * 1000 / len(self.results):.1f} ms, "
            f"load generator {self.client_cpu * 1000 / len(self.results):.1f} ms"
            + (f", PostgreSQL {self.database_cpu * 1000 / len(self.results):.1f} ms" if self.database_cpu else "")
        )
        return "\n".join(f"  {line}" for line in lines)


def web_cpu_seconds() -> float:
    """CPU time (user and system) of the processes this one started and theirs: the web servers'.
    Each server process was started from its parent's main thread, so only that thread's children
    are read (a server's request threads come and go)."""
    ticks, pending = 0, [os.getpid()]
    while pending:
        parent = pending.pop()
        with open(f"/proc/{parent}/task/{parent}/children") as children:
            pending.extend(map(int, children.read().split()))
        if parent != os.getpid():
            with open(f"/proc/{parent}/stat") as stat:  # threads that ended are counted in it too
                fields = stat.read().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def database_cpu_seconds() -> float:
    """CPU time of the PostgreSQL processes on this machine (the benchmark's server is local): the
    other part of the two cores a request costs besides the web processes'."""
    ticks = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as stat:
                name, fields = stat.read().split(" (", 1)[1].rsplit(")", 1)
        except OSError:  # the process ended meanwhile
            continue
        if name == "postgres":
            fields = fields.split()
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--processes", type=int, default=2, help="web server processes")
    parser.add_argument("--server", choices=sorted(SERVERS), default="uvicorn", help="the ASGI server")
    args = parser.parse_args()

    django_setup()
    from django.db import connection

    from apps.complaints import services
    from apps.complaints.models import Complaint
    from apps.municipalities.models import Municipality
    from tests.benchmarks.urls import BARE_PATH, bare_rows, bare_table_create

    bare_table_create()
    city = Municipality.objects.get(code="uijeongbu")
    _, key = services.api_client_create(municipality=city, name=f"benchmark {uuid.uuid4().hex[:8]}")
    run = uuid.uuid4().hex[:12]
    connections = local()

    def body(marker: str, index: int) -> dict:
        return {
            "category": "pothole",
            "description": f"[{marker}] 도로가 파였어요 #{index}",
            "latitude": 37.7381 + index * 1e-5,
            "longitude": 127.0337,
        }

    def load(pool: ThreadPoolExecutor, address: str, marker: str, count: int) -> Load:
        target = urlsplit(address)
        headers = {"Authorization": f"Token {key}", "Content-Type": "application/json"}

        def post(index: int) -> tuple[int, float, str]:
            payload = json.dumps(body(marker, index)).encode()
            started = time.perf_counter()
            for attempt in (1, 2):
                if not hasattr(connections, "http"):
                    connections.http = http.client.HTTPConnection(target.hostname, target.port, timeout=120)
                try:
                    connections.http.request("POST", target.path, payload, headers)
                    response = connections.http.getresponse()
                    text = response.read().decode(errors="replace")
                    break
                except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                    # The server closed a kept-alive connection before reading this request: send it again.
                    del connections.http
                    if attempt == 2:
                        raise
            return response.status, time.perf_counter() - started, text[:200]

        web_cpu, database_cpu = web_cpu_seconds(), database_cpu_seconds()
        client_cpu, started = time.process_time(), time.perf_counter()
        results = list(pool.map(post, range(count)))
        elapsed = time.perf_counter() - started
        return Load(
            results,
            elapsed,
            web_cpu_seconds() - web_cpu,
            time.process_time() - client_cpu,
            database_cpu_seconds() - database_cpu,
        )

    print(
        f"database: {connection.vendor}; {args.count} requests each, {args.concurrency} at a time, "
        f"{args.processes} {args.server} processes"
    )
    benchmark_settings = {"DJANGO_SETTINGS_MODULE": "tests.benchmarks.settings"}
    with (
        web_server(args.processes, env=benchmark_settings, server=args.server) as url,
        ThreadPoolExecutor(args.concurrency) as pool,
    ):
        for path in (BARE_PATH, SUBMIT_PATH):  # every process imports, connects and fills its pool first
            load(pool, url + path, f"warm-up {run}", args.concurrency)
        bare = load(pool, url + BARE_PATH, run, args.count)
        filed = load(pool, url + SUBMIT_PATH, run, args.count)

    print(f"bare JSON POST ({BARE_PATH}, one row):\n{bare.describe()}")
    print(f"complaint submissions ({SUBMIT_PATH}):\n{filed.describe()}")
    stored = Complaint.objects.filter(description__startswith=f"[{run}]")
    numbers = set(stored.values_list("number", flat=True))
    print(f"  stored: {stored.count()}; distinct numbers: {len(numbers)}; bare rows: {bare_rows(f'[{run}]')}")
    # A case answered 201 must be stored once with a number of its own; one that was refused must not be.
    intact = stored.count() == len(numbers) == len(filed.succeeded)
    ratio = filed.per_second / bare.per_second if bare.per_second else 0.0
    record(
        measure=f"{args.count} complaint submissions, {args.concurrency} clients, "
        f"{args.processes} {args.server} processes",
        ours=f"{filed.per_second:.0f}/s, p95 {filed.p95_ms:,.0f} ms",
        reference=f"bare JSON POST writing one row: {bare.per_second:.0f}/s, p95 {bare.p95_ms:,.0f} ms",
        result=f"{ratio:.2f}×, p95 {filed.p95_ms:,.0f} ms",
        goal=f"p95 < {GOAL_P95_SECONDS * 1000:.0f} ms and ≥ {GOAL_RATIO}×",
        met=intact
        and len(filed.succeeded) == args.count
        and filed.p95_ms < GOAL_P95_SECONDS * 1000
        and ratio >= GOAL_RATIO,
    )
    if not intact:
        raise SystemExit("some submissions were lost or numbered twice")


if __name__ == "__main__":
    main()
