"""Files complaints concurrently through the API and checks each was stored once, with its own number.

    DATABASE_URL=postgres://... .venv/bin/python -m tests.benchmarks.complaint_submissions --count 500

Prints how many were stored, how many distinct numbers they got, and p50/p95 latency. `bin/bench`
runs it on a PostgreSQL of its own.
"""

import argparse
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from threading import local

import requests

from tests.benchmarks.web import django_setup, percentile, web_server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--processes", type=int, default=2, help="web server processes")
    args = parser.parse_args()

    django_setup()
    from django.db import connection

    from apps.complaints import services
    from apps.complaints.models import Complaint
    from apps.municipalities.models import Municipality

    city = Municipality.objects.get(code="uijeongbu")
    _, key = services.api_client_create(municipality=city, name=f"benchmark {uuid.uuid4().hex[:8]}")
    run = uuid.uuid4().hex[:12]
    sessions = local()

    def submit(index: int) -> tuple[int, float, str]:
        if not hasattr(sessions, "http"):
            sessions.http = requests.Session()
            sessions.http.headers["Authorization"] = f"Token {key}"
        body = {
            "category": "pothole",
            "description": f"[{run}] 도로가 파였어요 #{index}",
            "latitude": 37.7381 + index * 1e-5,
            "longitude": 127.0337,
        }
        started = time.perf_counter()
        response = sessions.http.post(f"{url}/api/v1/complaints/", json=body, timeout=120)
        return response.status_code, time.perf_counter() - started, response.text[:200]

    print(
        f"database: {connection.vendor}; {args.count} submissions, {args.concurrency} at a time, "
        f"{args.processes} web processes"
    )
    with web_server(args.processes) as url, ThreadPoolExecutor(args.concurrency) as pool:
        started = time.perf_counter()
        results = list(pool.map(submit, range(args.count)))
        elapsed = time.perf_counter() - started

    created = [latency for status, latency, _ in results if status == 201]
    for status, count in Counter(status for status, _, _ in results if status != 201).items():
        sample = next(body for code, _, body in results if code == status)
        print(f"HTTP {status}: {count}, e.g. {sample}")
    stored = Complaint.objects.filter(description__startswith=f"[{run}]")
    numbers = set(stored.values_list("number", flat=True))
    print(f"answered 201: {len(created)} of {len(results)}")
    print(f"stored: {stored.count()}; distinct numbers: {len(numbers)}")
    print(
        f"latency p50 {percentile(created, 0.5) * 1000:.0f} ms, p95 {percentile(created, 0.95) * 1000:.0f} ms; "
        f"{len(results) / elapsed:.0f} submissions/s over {elapsed:.1f} s"
    )
    if stored.count() != args.count or len(numbers) != args.count:
        raise SystemExit("some submissions were lost or numbered twice")


if __name__ == "__main__":
    main()
