"""Lighthouse (mobile, its default preset) on every type of public page, served by the production
web server with production settings, as an anonymous visitor gets them (from the page cache, warm).

    .venv/bin/python -m tests.benchmarks.lighthouse [--runs 3]

Lighthouse is pinned in tests/benchmarks/lighthouse/package.json and package-lock.json (12.2.3: the
13 line needs Node 22) and installed there with `npm ci` when missing; it drives Debian's chromium
(CHROME_PATH). Records performance and accessibility for each page type (goal: >= 95 and 100); with
--runs N, each score is the median of N runs.
"""

import argparse
import json
import os
import statistics
import subprocess
from pathlib import Path

import requests

from tests.benchmarks.report import record
from tests.benchmarks.web import django_setup, web_server

FOLDER = Path(__file__).resolve().parent / "lighthouse"
LIGHTHOUSE = FOLDER / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = " ".join(
    [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
)
GOAL_PERFORMANCE = 95
GOAL_ACCESSIBILITY = 100


def install_lighthouse() -> None:
    """`npm ci` when node_modules is missing or older than the lock file."""
    installed = FOLDER / "node_modules" / ".package-lock.json"
    if installed.exists() and installed.stat().st_mtime >= (FOLDER / "package-lock.json").stat().st_mtime:
        return
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=FOLDER, check=True)


def public_pages() -> dict[str, str]:
    """One address of each public page type, with the rows they show (a public case is filed here;
    the trails come with the demo data)."""
    from apps.archive.models import Item
    from apps.archive.pages import ArchiveStoryPage
    from apps.complaints import services
    from apps.complaints.models import Category, Complaint
    from apps.mobility.models import CarPark
    from apps.municipalities.models import Municipality
    from apps.opendata.models import Dataset
    from apps.rivers.pages import RiverCoursePage, RiverPage, RiverPointPage
    from apps.trails.models import TrailIndexPage, TrailPage
    from apps.transit.models import Stop

    city = Municipality.objects.get(code="uijeongbu")
    case = Complaint.objects.filter(municipality=city, category__public_by_default=True).first()
    if case is None:
        category = Category.objects.filter(municipality=city, public_by_default=True, code="streetlight").get()
        case = services.complaint_submit(
            category=category,
            description="보안등이 꺼져 밤길이 어둡습니다.",
            channel=Complaint.Channel.WEB,
            latitude=37.7381,
            longitude=127.0338,
        ).complaint
    dataset = Dataset.objects.filter(municipality=city, is_published=True, resources__isnull=False).first()
    trail = TrailPage.objects.live().filter(locale__language_code="ko").first()
    marker = trail.markers.select_related("place").first()
    car_park = CarPark.objects.filter(municipality=city).select_related("place").order_by("-spaces_total").first()
    stop = Stop.objects.filter(feed__municipality=city).order_by("stop_id").first()

    def korean(pages):
        return pages.live().filter(locale__language_code="ko").first()

    river = korean(RiverPage.objects)
    item = Item.objects.filter(municipality=city, is_public=True, media__isnull=False).order_by("pk").first()
    return {
        "home": "/ko/",
        "section page": "/ko/complaints/",
        "report form": "/ko/complaints/report/",
        "tracking form": "/ko/complaints/track/",
        "public case list": "/ko/complaints/cases/",
        "case page": f"/ko/complaints/cases/{case.number}/",
        "open-data catalogue": "/ko/open-data/datasets/",
        "dataset page": f"/ko/open-data/datasets/{dataset.slug}/",
        "data request form": "/ko/open-data/datasets/request/",
        "trail page": trail.url,
        "trail marker page": f"{trail.url}markers/{marker.place.code}/",
        "car park list": "/ko/mobility/parking/",
        "car park page": f"/ko/mobility/parking/{car_park.place.code}/",
        "car park board": f"/ko/mobility/parking/board/?near={car_park.place.code}",
        "stop page": f"/ko/mobility/stops/{stop.stop_id}/",
        "trail list": korean(TrailIndexPage.objects).url,
        "stamp passport": "/ko/stamps/",
        "river guide": river.get_parent().url,
        "river page": river.url,
        "river point page": korean(RiverPointPage.objects).url,
        "river walking course": korean(RiverCoursePage.objects).url,
        "archive": "/ko/archive/",
        "archive search": "/ko/archive/search/?q=%EC%9D%98%EC%A0%95%EB%B6%80",
        "archive item": f"/ko/archive/items/{item.pk}/",
        "archive viewer (Mirador)": f"/ko/archive/viewer/{item.pk}/",
        "archive story": korean(ArchiveStoryPage.objects).url,
        "archive contribution form": "/ko/archive/contribute/",
    }


METRICS = {
    "first-contentful-paint": "FCP",
    "largest-contentful-paint": "LCP",
    "total-blocking-time": "TBT",
    "cumulative-layout-shift": "CLS",
    "speed-index": "SI",
}


def lighthouse(url: str, attempts: int = 3) -> dict[str, int]:
    """The page's scores; a run Lighthouse itself gives up on (a trace it could not record, as on a
    busy machine) is tried again."""
    for attempt in range(attempts):
        finished = subprocess.run(
            [
                str(LIGHTHOUSE),
                url,
                "--only-categories=performance,accessibility",
                "--output=json",
                "--output-path=stdout",
                "--quiet",
                f"--chrome-flags={CHROME_FLAGS}",
            ],
            capture_output=True,
            text=True,
            env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")},
            timeout=300,
        )
        if finished.returncode == 0:
            break
        if attempt == attempts - 1:
            raise RuntimeError(f"Lighthouse failed on {url}:\n{finished.stderr[-3000:]}")
    report = json.loads(finished.stdout)
    audits = report["audits"]
    metrics = ", ".join(f"{short} {audits[name]['displayValue']}" for name, short in METRICS.items())
    failing = [
        name for name, audit in audits.items() if audit.get("scoreDisplayMode") == "binary" and audit["score"] == 0
    ]
    # Lighthouse's measure of this machine's speed at the time (a busy 2-core machine scores lower,
    # and its pages' blocking time grows with it).
    speed = f"benchmarkIndex {report['environment']['benchmarkIndex']:.0f}"
    print(f"    {url}: {metrics}; {speed}{'; failing: ' + ', '.join(failing) if failing else ''}", flush=True)
    return {name: round(category["score"] * 100) for name, category in report["categories"].items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--processes", type=int, default=2, help="web server processes")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page; the median counts")
    parser.add_argument("--only", nargs="*", default=[], help="page types to measure (e.g. 'river page')")
    args = parser.parse_args()
    install_lighthouse()
    django_setup()
    pages = {kind: path for kind, path in public_pages().items() if not args.only or kind in args.only}

    with web_server(args.processes) as base:
        for kind, path in pages.items():
            url = base + path
            requests.get(url, timeout=30).raise_for_status()  # kept by the page cache, as visitors find it
            runs = [lighthouse(url) for _ in range(args.runs)]
            performance = round(statistics.median(run["performance"] for run in runs))
            accessibility = round(statistics.median(run["accessibility"] for run in runs))
            record(
                measure=f"Lighthouse mobile, {kind} ({path})",
                ours=f"performance {performance}, accessibility {accessibility}",
                reference=f"median of {args.runs} run(s), Lighthouse 12.2.3",
                result=f"{performance} / {accessibility}",
                goal=f">= {GOAL_PERFORMANCE} / {GOAL_ACCESSIBILITY}",
                met=performance >= GOAL_PERFORMANCE and accessibility >= GOAL_ACCESSIBILITY,
            )


if __name__ == "__main__":
    main()
