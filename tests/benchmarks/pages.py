"""Public pages: requests/s of the anonymous Korean home page against /healthz on the same web server
processes in the same run (wrk, 20 connections), then how soon a published edit shows.

    .venv/bin/python -m tests.benchmarks.pages

/healthz is the floor every request pays (the server, the middleware, one tiny view); the home page
is the site's most visited page, asked for warm, as anonymous visitors ask for it. Records the
goal's row (tests/benchmarks/report.py). `bin/bench pages` runs it on SQLite and on PostgreSQL + Redis.
"""

import argparse
import re
import subprocess
import time
import uuid

import requests

from tests.benchmarks.report import record
from tests.benchmarks.web import django_setup, web_server

GOAL_RATIO = 0.6
HOME_PATH = "/ko/"
HEALTH_PATH = "/healthz"


def wrk(url: str, *, connections: int, seconds: int) -> tuple[int, float]:
    """How many requests wrk got answered from `url` in how many seconds; every answer must be a 2xx."""
    finished = subprocess.run(
        # A 10 s timeout: a slow answer (the uncached page under load) counts as slow, not as lost.
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    )
    output = finished.stdout
    if re.search(r"Non-2xx or 3xx responses|Socket errors", output):
        raise RuntimeError(f"wrk got failures from {url}:\n{output}")
    answered = re.search(r"(\d+) requests in ([\d.]+)(m?s)", output)
    elapsed = float(answered.group(2)) / (1000 if answered.group(3) == "ms" else 1)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE)
    print(f"  {url}: {int(answered.group(1)) / elapsed:.0f} req/s, p99 {p99.group(1) if p99 else '?'}", flush=True)
    return int(answered.group(1)), elapsed


def publish_hero_title(title: str) -> None:
    """An editor's edit of the Korean home page's headline, published through Wagtail."""
    from wagtail.models import Site

    home = Site.objects.get(is_default_site=True).root_page.specific
    home.hero_title = title
    home.save_revision().publish()


def time_to_visible(url: str) -> None:
    """Publishes a changed headline and asks for the home page until it shows (printed, not a goal:
    the tests prove it shows on the very next request)."""
    from wagtail.models import Site

    original = Site.objects.get(is_default_site=True).root_page.specific.hero_title
    marker = f"{original} {uuid.uuid4().hex[:6]}"
    try:
        publish_hero_title(marker)
        published = time.monotonic()
        attempts = 0
        while True:
            attempts += 1
            if marker in requests.get(url, timeout=10).text:
                break
            if time.monotonic() - published > 30:
                raise RuntimeError("the published headline did not show within 30 s")
        waited = (time.monotonic() - published) * 1000
        print(f"  a published edit showed after {waited:.0f} ms, on request {attempts} after publishing", flush=True)
    finally:
        publish_hero_title(original)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--processes", type=int, default=2, help="web server processes (one per core)")
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=10, help="how long wrk asks each URL, in all")
    parser.add_argument("--rounds", type=int, default=2, help="turns taken by the two URLs, so both see the same load")
    args = parser.parse_args()
    django_setup()

    with web_server(args.processes) as base:
        home, health = base + HOME_PATH, base + HEALTH_PATH
        for _ in range(20):  # warm: each process loads its templates, the first request keeps the page
            requests.get(home, timeout=30).raise_for_status()
            requests.get(health, timeout=30).raise_for_status()
        totals = {home: [0, 0.0], health: [0, 0.0]}
        for _ in range(args.rounds):
            for url in (health, home):
                answered, elapsed = wrk(url, connections=args.connections, seconds=max(1, args.seconds // args.rounds))
                totals[url][0] += answered
                totals[url][1] += elapsed
        health_per_second = totals[health][0] / totals[health][1]
        home_per_second = totals[home][0] / totals[home][1]
        ratio = home_per_second / health_per_second
        record(
            measure=f"anonymous {HOME_PATH} home vs {HEALTH_PATH}, wrk {args.connections} connections, "
            f"{args.processes} web processes",
            ours=f"{home_per_second:.0f} req/s",
            reference=f"{health_per_second:.0f} req/s",
            result=f"{ratio:.2f}",
            goal=f">= {GOAL_RATIO}",
            met=ratio >= GOAL_RATIO,
        )
        time_to_visible(home)


if __name__ == "__main__":
    main()
