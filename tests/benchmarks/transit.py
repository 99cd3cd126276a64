"""Transit: importing and checking a GTFS feed, the next departures at a busy stop, the stops API's
`near=`, and a trail page with its "get me back" departures panel.

    .venv/bin/python -m tests.benchmarks.transit [--scale 20] [--repeat 3] [--check-repeat 7] [--requests 200]

Runs in this process against the database `manage.py prepare` seeded (bin/bench: a throw-away one).
The seed feed (data/transit/uijeongbu-illustrative) is checked (apps.transit.gtfs.feed_read) and
imported (apps.transit.services.gtfs_feed_import, which checks it again and replaces the city's
feed), then a feed `--scale` times larger, written from the seed into a temporary folder: every
route, trip and stop time copied `--scale` times, and every stop too (copies a few hundred metres
away), except the hub, the seed's stop with the most routes, which every copy still serves. So the
hub has `--scale` times the routes and the city `--scale` times the stops.

On each feed: next_departures at the hub (a weekday at 08:00), and GET /api/v1/transit/stops/?near=
from points around the city (a different point each time: no ETag, no cache). On the larger feed:
the trail page whose trailheads show the most departures, rendered and from the page cache. The
seed feed is imported again at the end, as set-up left it.
"""

import argparse
import csv
import math
import statistics
import tempfile
import time
from collections import defaultdict
from datetime import datetime
from pathlib import Path

from tests.benchmarks.report import record
from tests.benchmarks.web import ROOT, django_setup, percentile

SEED = ROOT / "data" / "transit" / "uijeongbu-illustrative"
HOST = "127.0.0.1"
STOPS_PATH = "/api/v1/mobility/stops/"
# Our goals (the issue names none for transit): import and checks grow no faster than the feed;
# a stop's departures and the stops near a point well inside a page's budget; a trail page with
# its departures panel rendered within half a second, the page cache answering the rest.
GOAL_DEPARTURES_P95_MS = 100
GOAL_NEAR_P95_MS = 100
GOAL_PAGE_RENDERED_P95_MS = 500


def read_table(folder: Path, name: str) -> tuple[list[str], list[dict[str, str]]]:
    with open(folder / name, encoding="utf-8-sig", newline="") as file:
        reader = csv.DictReader(file)
        return list(reader.fieldnames or []), list(reader)


def write_table(folder: Path, name: str, columns: list[str], rows: list[dict[str, str]]) -> None:
    with open(folder / name, "w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def hub_stop_id(folder: Path) -> str:
    """The stop served by the most routes."""
    _, trips = read_table(folder, "trips.txt")
    _, stop_times = read_table(folder, "stop_times.txt")
    route_of_trip = {trip["trip_id"]: trip["route_id"] for trip in trips}
    routes_at: dict[str, set[str]] = defaultdict(set)
    for row in stop_times:
        routes_at[row["stop_id"]].add(route_of_trip[row["trip_id"]])
    return max(routes_at, key=lambda stop_id: (len(routes_at[stop_id]), stop_id))


def scaled_feed(seed: Path, folder: Path, scale: int) -> str:
    """Writes the seed `scale` times over into folder (see the module's text); returns the hub's stop_id."""
    hub = hub_stop_id(seed)
    for name in ("agency.txt", "calendar.txt", "feed_info.txt"):
        write_table(folder, name, *read_table(seed, name))

    def copied(value: str, copy: int) -> str:
        return value if copy == 0 else f"{value}-x{copy}"

    def stop_of(stop_id: str, copy: int) -> str:
        return stop_id if stop_id == hub else copied(stop_id, copy)

    columns, stops = read_table(seed, "stops.txt")
    scaled_stops = []
    for copy in range(scale):
        # Copies on a ring of about 300 m around each stop: nearby, never on top of another.
        angle = 2 * math.pi * copy / scale
        for stop in stops:
            if copy and stop["stop_id"] == hub:
                continue
            moved = dict(stop, stop_id=stop_of(stop["stop_id"], copy))
            if copy:
                moved["stop_lat"] = f"{float(stop['stop_lat']) + 0.0027 * math.sin(angle):.6f}"
                moved["stop_lon"] = f"{float(stop['stop_lon']) + 0.0034 * math.cos(angle):.6f}"
                if moved.get("stop_code"):
                    moved["stop_code"] = f"{stop['stop_code']}{copy:02d}"
            scaled_stops.append(moved)
    write_table(folder, "stops.txt", columns, scaled_stops)
    for name, renamed in (("routes.txt", ("route_id",)), ("trips.txt", ("route_id", "trip_id"))):
        columns, rows = read_table(seed, name)
        write_table(
            folder,
            name,
            columns,
            [
                dict(row, **{column: copied(row[column], copy) for column in renamed})
                for copy in range(scale)
                for row in rows
            ],
        )
    columns, rows = read_table(seed, "stop_times.txt")
    write_table(
        folder,
        "stop_times.txt",
        columns,
        [
            dict(row, trip_id=copied(row["trip_id"], copy), stop_id=stop_of(row["stop_id"], copy))
            for copy in range(scale)
            for row in rows
        ],
    )
    return hub


def timed(function, repeat: int) -> float:
    """The median of `repeat` runs, in seconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def feed_times(city, folder: Path, repeat: int, check_repeat: int) -> tuple[float, float, int]:
    """(seconds to check, seconds to import, stop times) of the feed in folder, each the median of
    its runs; the feed stays imported."""
    from apps.transit.gtfs import feed_read
    from apps.transit.models import StopTime
    from apps.transit.services import gtfs_feed_import

    def check() -> None:
        problems = feed_read(folder).problems
        assert not problems, problems[:5]

    checking = timed(check, check_repeat)
    importing = timed(lambda: gtfs_feed_import(municipality=city, source=folder), repeat)
    return checking, importing, StopTime.objects.filter(stop__feed__municipality=city).count()


def departures_times(city, stop_id: str, requests: int) -> tuple[float, float, int]:
    """(p50, p95) in ms of next_departures at that stop on a weekday at 08:00, and its routes."""
    from django.utils import timezone

    from apps.transit.models import Stop
    from apps.transit.selectors import next_departures

    stop = Stop.objects.select_related("feed").get(feed__municipality=city, stop_id=stop_id)
    morning = timezone.make_aware(datetime(2026, 3, 4, 8, 0), timezone.get_default_timezone())  # a Wednesday
    routes = len(next_departures(stop, now=morning))
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        next_departures(stop, now=morning)
        timings.append((time.perf_counter() - started) * 1000)
    return percentile(timings, 0.5), percentile(timings, 0.95), routes


def near_times(client, city, requests: int) -> tuple[float, float]:
    """(p50, p95) in ms of the stops API's near= from points spread over the feed's stops."""
    from apps.transit.models import Stop

    positions = list(Stop.objects.filter(feed__municipality=city).values_list("place__latitude", "place__longitude"))
    client.get(f"{STOPS_PATH}?near={positions[0][0]},{positions[0][1]}")  # warm
    timings = []
    for number in range(requests):
        latitude, longitude = positions[number % len(positions)]
        # A point a little off each stop, different every time: nothing answers from a cache.
        near = f"{latitude + number * 1e-6:.6f},{longitude - number * 1e-6:.6f}"
        started = time.perf_counter()
        response = client.get(STOPS_PATH, {"near": near})
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (near, response.status_code)
    return percentile(timings, 0.5), percentile(timings, 0.95)


def busiest_trail_url() -> tuple[str, int]:
    """The Korean trail page whose trailheads show the most lines' departures, and how many."""
    from apps.trails import transit
    from apps.trails.models import TrailPage

    best, best_lines = None, -1
    for trail in TrailPage.objects.filter(locale__language_code="ko").live().exclude(track=[]):
        lines = sum(len(stop.lines) for end in transit.trail_ends(trail.track) for stop in end.departures)
        if lines > best_lines:
            best, best_lines = trail, lines
    return best.url, best_lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=20, help="how many times the seed feed the large one is")
    parser.add_argument("--repeat", type=int, default=3, help="imports of each feed (the median)")
    parser.add_argument(
        "--check-repeat", type=int, default=7, help="checks of each feed (the median; the seed's takes 0.1 s)"
    )
    parser.add_argument("--requests", type=int, default=200, help="calls per query measured")
    args = parser.parse_args()
    django_setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from apps.municipalities.models import Municipality
    from tests.benchmarks.trails import server_times

    city = Municipality.objects.get(code=settings.DEFAULT_MUNICIPALITY)
    client = Client(HTTP_HOST=HOST)
    print(f"  database: {connection.vendor}", flush=True)
    results = {}
    with tempfile.TemporaryDirectory(prefix="transit-bench-") as scratch:
        large = Path(scratch)
        hub = scaled_feed(SEED, large, args.scale)
        for label, folder, repeat in (("seed", SEED, args.repeat), (f"x{args.scale}", large, max(1, args.repeat - 1))):
            checking, importing, stop_times = feed_times(city, folder, repeat, args.check_repeat)
            p50, p95, routes = departures_times(city, hub, args.requests)
            near50, near95 = near_times(client, city, args.requests)
            results[label] = {"check": checking, "import": importing, "departures": p95, "near": near95}
            print(
                f"  {label} feed ({stop_times:,} stop times): checked in {checking:.2f} s, imported in "
                f"{importing:.2f} s (medians of {args.check_repeat} and {repeat}); "
                f"next departures at the hub {hub} ({routes} routes): "
                f"p50 {p50:.1f} ms, p95 {p95:.1f} ms; {STOPS_PATH}?near=: p50 {near50:.1f} ms, "
                f"p95 {near95:.1f} ms ({args.requests} calls each)",
                flush=True,
            )
        trail_url, lines = busiest_trail_url()
        print(f"  trail page {trail_url}: its trailheads show {lines} lines' departures", flush=True)
        pages = server_times(client, {"trail page": trail_url}, args.requests)
        feed_times(city, SEED, 1, 1)  # as set-up left it

    seed, scaled = results["seed"], results[f"x{args.scale}"]
    for step, what in (("check", "checking (feed_read)"), ("import", "import (gtfs_feed_import)")):
        growth = scaled[step] / seed[step]
        record(
            measure=f"GTFS {what}, seed feed and x{args.scale}",
            ours=f"x{args.scale}: {scaled[step]:.2f} s",
            reference=f"seed: {seed[step]:.2f} s",
            result=f"{growth:.1f}x the time for {args.scale}x the feed",
            goal=f"<= {args.scale * 1.25:.0f}x (linear)",
            met=growth <= args.scale * 1.25,
        )
    record(
        measure=f"next departures at the busiest stop (x{args.scale} feed: {args.scale}x its routes)",
        ours=f"p95 {scaled['departures']:.1f} ms",
        reference=f"seed feed p95 {seed['departures']:.1f} ms",
        result=f"p95 {scaled['departures']:.1f} ms",
        goal=f"p95 < {GOAL_DEPARTURES_P95_MS} ms",
        met=scaled["departures"] < GOAL_DEPARTURES_P95_MS,
    )
    record(
        measure=f"stops API near= (x{args.scale} feed: {args.scale}x the stops)",
        ours=f"p95 {scaled['near']:.1f} ms",
        reference=f"seed feed p95 {seed['near']:.1f} ms",
        result=f"p95 {scaled['near']:.1f} ms",
        goal=f"p95 < {GOAL_NEAR_P95_MS} ms",
        met=scaled["near"] < GOAL_NEAR_P95_MS,
    )
    rendered, cached = pages["trail page", "rendered"][1], pages["trail page", "from the page cache"][1]
    record(
        measure=f"trail page with its departures panel (x{args.scale} feed)",
        ours=f"rendered p95 {rendered:.1f} ms",
        reference=f"from the page cache p95 {cached:.1f} ms",
        result=f"rendered {rendered / cached:.0f}x the page cache's time",
        goal=f"rendered p95 < {GOAL_PAGE_RENDERED_P95_MS} ms",
        met=rendered < GOAL_PAGE_RENDERED_P95_MS,
    )


if __name__ == "__main__":
    main()
