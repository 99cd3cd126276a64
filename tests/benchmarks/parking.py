"""Parking: a storm of sensor counts and the map's data under it.

    .venv/bin/python -m tests.benchmarks.parking [--rate 1000] [--seconds 60] [--car-parks 500]

Against the database `manage.py prepare` seeded (bin/bench: a throw-away one): the city's car parks
are copied, through the standard-file import, until there are `--car-parks`, each with a sensor
device. Then `--rate` counts a second are pushed for `--seconds` to POST
/api/v1/mobility/sensors/readings on two uvicorn processes (the Procfile's server), each count one
car in or out of a car park, as a gate system sends it; the per-device limit is raised for the run
(a real gate sends one every few seconds). Meanwhile an open page's socket (/ws/parking/?city=…)
takes every count the portal pushes, and the map's data (GET /api/v1/mobility/car-parks/) is asked
for again and again.

Prints how many counts were sent, answered and stored (as the current count, or as history when a
later one arrived first), the lag from
a push to the open page (the reading time each count carries to the socket's arrival), and the map
endpoint's p95 with that many car parks, quiet and under the storm.
"""

import argparse
import asyncio
import csv
import io
import json
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from threading import local

import requests
import websockets

from tests.benchmarks.report import record
from tests.benchmarks.web import django_setup, percentile, web_server

MAP_PATH = "/api/v1/mobility/car-parks/"
PUSH_PATH = "/api/v1/mobility/sensors/readings"
GOAL_MAP_P95_MS = 300
GOAL_LAG_P95_S = 2.0
LATE_SECONDS = 15  # counts still unsent this long after the storm's minute are given up


def car_parks_up_to(total: int) -> list[tuple[str, str, int]]:
    """(code, device token, spaces) of `total` car parks of the city, copies of its own added
    through the standard-file import (new 주차장관리번호, positions moved a little)."""
    from django.conf import settings

    from apps.mobility.models import CarPark
    from apps.mobility.services import car_parks_import, sensor_device_create
    from apps.municipalities.models import Municipality

    city = Municipality.objects.get(code=settings.DEFAULT_MUNICIPALITY)
    missing = total - CarPark.objects.filter(municipality=city).count()
    if missing > 0:
        source = settings.BASE_DIR / "data" / "opendata" / "public-parking-lots.csv"
        rows = list(csv.DictReader(io.StringIO(source.read_bytes().decode("cp949"))))
        copies = io.StringIO()
        writer = csv.DictWriter(copies, fieldnames=list(rows[0]))
        writer.writeheader()
        for number in range(missing):
            row = dict(rows[number % len(rows)])
            row["주차장관리번호"] = f"bench-{number:05d}"
            row["주차장명"] = f"{row['주차장명']} (벤치마크 {number})"
            row["위도"] = f"{float(row['위도']) + (number % 37) * 0.0004:.6f}"
            row["경도"] = f"{float(row['경도']) + (number % 41) * 0.0004:.6f}"
            writer.writerow(row)
        report = car_parks_import(city, copies.getvalue().encode("utf-8"))
        print(f"  added {missing} car parks ({len(report.problems)} rows refused)")
    devices = []
    for car_park in CarPark.objects.filter(municipality=city).select_related("place").order_by("pk")[:total]:
        _, token = sensor_device_create(car_park, name=f"benchmark {uuid.uuid4().hex[:6]}")
        devices.append((car_park.place.code, token, car_park.spaces_total))
    return devices


class PageSocket:
    """An open parking page: its socket's counts, with when each arrived."""

    def __init__(self, url: str, city: str):
        self.address = url.replace("http://", "ws://") + f"/ws/parking/?city={city}"
        self.lags: list[float] = []
        self.ready = threading.Event()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=lambda: asyncio.run(self._listen()), daemon=True)

    async def _listen(self) -> None:
        origin = self.address.replace("ws://", "http://").split("/ws/")[0]
        async with websockets.connect(self.address, origin=origin) as socket:
            self.ready.set()
            while not self.stop.is_set():
                try:
                    message = json.loads(await asyncio.wait_for(socket.recv(), timeout=0.5))
                except TimeoutError:
                    continue
                read_at = datetime.fromisoformat(message["read_at"])
                self.lags.append(time.time() - read_at.timestamp())

    def __enter__(self) -> "PageSocket":
        self.thread.start()
        if not self.ready.wait(30):
            raise RuntimeError("the parking socket did not open")
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join(timeout=10)


def map_times(url: str, count: int, stop: threading.Event | None = None) -> list[float]:
    """Seconds each GET of the map's data took (a fresh request each time: no ETag)."""
    session, times = requests.Session(), []
    for _ in range(count):
        if stop is not None and stop.is_set():
            break
        started = time.perf_counter()
        response = session.get(url + MAP_PATH, timeout=60)
        response.raise_for_status()
        times.append(time.perf_counter() - started)
    return times


def storm(url: str, devices: list[tuple[str, str, int]], rate: int, seconds: int) -> dict[str, int]:
    """`rate` counts a second for `seconds`, each sent at its own time by a pool of clients; each car
    park's count moves by one car at a time from half full. Returns the answers by outcome."""
    sessions, outcomes, lock = local(), {}, threading.Lock()
    free = {code: spaces // 2 for code, _, spaces in devices}
    start = time.perf_counter() + 1.0

    def push(index: int) -> None:
        code, token, spaces = devices[index % len(devices)]
        with lock:
            free[code] = max(0, min(spaces, free[code] + (1 if index % 2 else -1)))
            count = free[code]
        if not hasattr(sessions, "http"):
            sessions.http = requests.Session()
        delay = start + index / rate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        elif time.perf_counter() > start + seconds + LATE_SECONDS:
            # The server has fallen so far behind that the storm would outlast its minute by far.
            with lock:
                outcomes["not sent (server too far behind)"] = outcomes.get("not sent (server too far behind)", 0) + 1
            return
        body = {
            "car_park": code,
            "free_spaces": count,
            "read_at": datetime.now(UTC).isoformat(),
            "message_id": f"bench-{index}",
        }
        try:
            response = sessions.http.post(
                url + PUSH_PATH, json=body, headers={"Authorization": f"Bearer {token}"}, timeout=30
            )
            outcome = response.json().get("outcome") if response.ok else str(response.status_code)
        except requests.RequestException:
            outcome = "no answer"
        with lock:
            outcomes[outcome] = outcomes.get(outcome, 0) + 1

    with ThreadPoolExecutor(64) as pool:
        list(pool.map(push, range(rate * seconds)))
    outcomes["seconds taken"] = round(time.perf_counter() - start)
    return outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=int, default=1000, help="counts a second")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--car-parks", type=int, default=500)
    parser.add_argument("--processes", type=int, default=2, help="web server processes")
    args = parser.parse_args()

    django_setup()
    from django.conf import settings
    from django.db import connection

    from apps.mobility.models import OccupancyReading

    devices = car_parks_up_to(args.car_parks)
    before = OccupancyReading.objects.count()
    print(f"database: {connection.vendor}; {len(devices)} car parks; {args.processes} uvicorn processes")
    limits = {"MOBILITY_SENSOR_PUSHES_PER_MINUTE": str(args.rate * 60)}
    with web_server(args.processes, env=limits) as url:
        map_times(url, 5)  # every process connects and loads once
        quiet = map_times(url, 100)
        with PageSocket(url, settings.DEFAULT_MUNICIPALITY) as page:
            stop = threading.Event()
            busy: list[float] = []
            asker = threading.Thread(target=lambda: busy.extend(map_times(url, 10_000, stop)))
            asker.start()
            outcomes = storm(url, devices, args.rate, args.seconds)
            stop.set()
            asker.join()
            time.sleep(2)  # the last pushes reach the page
    applied = OccupancyReading.objects.count() - before
    sent = args.rate * args.seconds
    lags = page.lags or [float("inf")]
    print(f"  sent {sent:,} in {outcomes.pop('seconds taken')} s; answers: {outcomes}; stored {applied:,}")
    print(
        f"  the open page got {len(page.lags):,} counts; lag p50 {percentile(lags, 0.5):.2f} s, "
        f"p95 {percentile(lags, 0.95):.2f} s"
    )
    quiet_p95, busy_p95 = percentile(quiet, 0.95) * 1000, percentile(busy or [float("inf")], 0.95) * 1000
    print(
        f"  map data ({MAP_PATH}, {len(devices)} car parks): "
        f"p95 {quiet_p95:.0f} ms quiet, {busy_p95:.0f} ms in the storm"
    )
    record(
        measure=f"{args.rate:,} sensor counts/s for {args.seconds} s, {len(devices)} car parks",
        ours=f"{applied:,} of {sent:,} stored; push-to-page lag p95 {percentile(lags, 0.95):.2f} s",
        reference=f"{sent:,} sent",
        result=f"{applied / sent:.0%} stored, lag p95 {percentile(lags, 0.95):.2f} s",
        goal=f"every count stored, lag p95 < {GOAL_LAG_P95_S:.0f} s",
        met=applied == sent and percentile(lags, 0.95) < GOAL_LAG_P95_S,
    )
    record(
        measure=f"map data, {len(devices)} car parks",
        ours=f"p95 {quiet_p95:.0f} ms quiet, {busy_p95:.0f} ms under the storm",
        reference="—",
        result=f"p95 {quiet_p95:.0f} ms",
        goal=f"p95 < {GOAL_MAP_P95_MS} ms",
        met=quiet_p95 < GOAL_MAP_P95_MS,
    )


if __name__ == "__main__":
    main()
