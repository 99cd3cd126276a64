"""Times the data catalogue: package_search over 10,000 datasets, and the ingest of a big CSV.

    DATABASE_URL=postgres://... .venv/bin/python -m tests.benchmarks.opendata --datasets 10000 --rows 1000000

Adds the datasets in bulk (titles and keywords drawn from the words Korean city data uses), asks a
running server's CKAN Action API for package_search pages and prints p50/p95 per kind of search.
Then writes a CP949 CSV of --rows rows (the encoding Korean city files usually come in), times
Python's csv module just reading it (before and after), and ingests it the way an editor's upload is
ingested; each in a process of its own, so the peak memory printed is that work's alone. The goal
row compares the two: ingest rows/s against the csv module's, and the ingest's peak memory.
`bin/bench` runs it on SQLite and on a PostgreSQL of its own.
"""

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from tests.benchmarks.report import record
from tests.benchmarks.web import ROOT, django_setup, percentile, web_server

GOAL_RATIO = 0.1  # of the rows per second of Python's csv module just reading the file
GOAL_PEAK_MB = 300
RESULT = "result: "

SUBJECTS = [
    "공영주차장",
    "버스정류장",
    "도시공원",
    "소풍길",
    "문화재",
    "가로등",
    "보안등",
    "공중화장실",
    "어린이집",
    "경로당",
    "무더위쉼터",
    "자전거보관소",
    "전기차충전소",
    "CCTV",
    "미세먼지",
    "하천수위",
    "인구",
    "세대",
    "민원",
    "체육시설",
    "도서관",
    "음식점",
    "약국",
    "대기오염",
    "쓰레기배출",
]
ASPECTS = ["현황", "목록", "위치정보", "운영시간", "요금", "통계", "이용실적", "설치현황", "점검결과"]
SEARCHES = {
    "everything, with facets": {"rows": 20},
    "in-word Korean (정류장)": {"q": "정류장", "rows": 20},
    "two words (주차장 요금)": {"q": "주차장 요금", "rows": 20},
    "facet filter": {"fq": "organization:parking-facilities res_format:CSV", "rows": 20},
    "newest, page 25": {"sort": "metadata_modified desc", "start": 480, "rows": 20},
    "no match": {"q": "존재하지않는말", "rows": 20},
}


def add_datasets(count: int) -> None:
    from apps.municipalities.models import Municipality
    from apps.opendata.models import Category, Dataset, Keyword, Licence, Resource, UpdateCycle
    from apps.opendata.services import dataset_search_text

    city = Municipality.objects.get(code="uijeongbu")
    departments = list(city.departments.all())
    keywords = [Keyword.objects.get_or_create(name=word)[0] for word in [*SUBJECTS, *ASPECTS]]
    randomly = random.Random(2026)
    for first in range(0, count, 1000):
        datasets = []
        for number in range(first, min(count, first + 1000)):
            subject, aspect = randomly.choice(SUBJECTS), randomly.choice(ASPECTS)
            datasets.append(
                Dataset(
                    municipality=city,
                    slug=f"bench-{number}",
                    title_ko=f"의정부시 {subject} {aspect} {number}",
                    title_en=f"Uijeongbu dataset {number}",
                    description_ko=f"의정부시 {subject}의 {aspect}입니다. 행정동별로 정리했습니다.",
                    department=randomly.choice(departments),
                    category=randomly.choice(Category.values),
                    licence=randomly.choice(Licence.values),
                    update_cycle=randomly.choice(UpdateCycle.values),
                    download_count=randomly.randrange(5000),
                )
            )
        Dataset.objects.bulk_create(datasets)
        saved = Dataset.objects.filter(slug__in=[dataset.slug for dataset in datasets]).select_related("department")
        links, resources = [], []
        for dataset in saved:
            chosen = randomly.sample(keywords, 3)
            links += [Dataset.keywords.through(dataset=dataset, keyword=keyword) for keyword in chosen]
            formats = randomly.sample(["CSV", "XLSX", "JSON", "GeoJSON", "API"], randomly.randrange(1, 3))
            resources += [Resource(dataset=dataset, name_ko=f"{dataset.title_ko} {fmt}", format=fmt) for fmt in formats]
        Dataset.keywords.through.objects.bulk_create(links)
        Resource.objects.bulk_create(resources)
        indexed = list(saved.prefetch_related("keywords", "resources"))
        for dataset in indexed:
            dataset.search_text = dataset_search_text(dataset)
        Dataset.objects.bulk_update(indexed, ["search_text"], batch_size=1000)
    print(f"datasets in the catalogue: {Dataset.objects.filter(municipality=city).count():,}")


def time_searches(url: str, repeat: int) -> None:
    session = requests.Session()
    everything = []
    for name, params in SEARCHES.items():
        timings = []
        for _ in range(repeat):
            begun = time.perf_counter()
            response = session.get(f"{url}/api/3/action/package_search", params=params, timeout=60)
            timings.append(time.perf_counter() - begun)
            if response.status_code != 200 or not response.json()["success"]:
                raise SystemExit(f"{name}: HTTP {response.status_code} {response.text[:200]}")
        everything += timings
        found = response.json()["result"]["count"]
        print(
            f"package_search {name:26} {found:6,} found   p50 {percentile(timings, 0.5) * 1000:5.0f} ms   "
            f"p95 {percentile(timings, 0.95) * 1000:5.0f} ms"
        )
    print(
        f"package_search, all kinds together          p50 {percentile(everything, 0.5) * 1000:5.0f} ms   "
        f"p95 {percentile(everything, 0.95) * 1000:5.0f} ms"
    )


def write_csv(path: Path, rows: int) -> None:
    dongs = ["의정부1동", "의정부2동", "호원1동", "호원2동", "장암동", "신곡1동", "신곡2동", "송산1동"]
    randomly = random.Random(7)
    with path.open("w", encoding="cp949", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["번호", "측정일시", "행정동", "위도", "경도", "측정값", "비고"])
        for number in range(1, rows + 1):
            writer.writerow(
                [
                    number,
                    f"2026-{randomly.randrange(1, 13):02d}-{randomly.randrange(1, 29):02d} 09:00:00",
                    randomly.choice(dongs),
                    f"{37.70 + randomly.random() * 0.08:.6f}",
                    f"{127.00 + randomly.random() * 0.09:.6f}",
                    f"{randomly.random() * 100:.2f}",
                    "정상" if number % 10 else "점검 필요",
                ]
            )


def peak_rss_mb() -> float:
    """This process's peak resident memory. Not getrusage's ru_maxrss: Linux carries that over
    from the forked parent across exec, so a child would report its parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024  # kB
    raise RuntimeError("no VmHWM in /proc/self/status")


def measured(rows: int, seconds: float) -> None:
    """The line the parent reads back from a child: rows per second and peak memory."""
    print(RESULT + json.dumps({"rows_per_second": rows / seconds, "peak_mb": peak_rss_mb()}), flush=True)


def read_with_csv_module(path: str) -> None:
    """Only what Python needs to read the file: decode and split every row, nothing kept."""
    begun = time.perf_counter()
    with open(path, encoding="cp949", newline="") as file:
        rows = sum(1 for _ in csv.reader(file)) - 1
    seconds = time.perf_counter() - begun
    print(
        f"csv module reading   {rows:,} rows in {seconds:6.1f} s = {rows / seconds:9,.0f} rows/s   "
        f"peak memory {peak_rss_mb():5.0f} MB"
    )
    measured(rows, seconds)


def ingest(path: str) -> None:
    django_setup()
    from django.core.files import File

    from apps.municipalities.models import Municipality
    from apps.opendata.models import Dataset, Resource
    from apps.opendata.services import resource_version_upload, version_ingest

    city = Municipality.objects.get(code="uijeongbu")
    dataset, _ = Dataset.objects.get_or_create(
        municipality=city,
        slug="bench-ingest",
        defaults={
            "title_ko": "측정값 100만 행",
            "department": city.departments.get(code="big-data"),
            "category": "environment",
            "update_cycle": "daily",
        },
    )
    resource = Resource.objects.create(dataset=dataset, name_ko="측정값", format="CSV")
    before = peak_rss_mb()
    begun = time.perf_counter()
    with open(path, "rb") as file:
        version = resource_version_upload(resource=resource, upload=File(file, name="measurements.csv"))
    version = version_ingest(version=version)
    seconds = time.perf_counter() - begun
    if version.status != "ready":
        raise SystemExit(f"ingest failed: {version.error}")
    print(
        f"ingest ({version.encoding})  {version.row_count:,} rows in {seconds:6.1f} s = "
        f"{version.row_count / seconds:9,.0f} rows/s   peak memory {peak_rss_mb():5.0f} MB "
        f"(of which {before:.0f} MB Django before the file)"
    )
    measured(version.row_count, seconds)


def run_child(option: str, path: Path) -> dict:
    """Runs one side in a process of its own (so its peak memory is its own) and returns its result."""
    command = [sys.executable, "-m", "tests.benchmarks.opendata", option, str(path)]
    child = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    lines = child.stdout.splitlines()
    print("\n".join(line for line in lines if not line.startswith(RESULT)), flush=True)
    if child.returncode:
        raise SystemExit(f"{option} failed with exit code {child.returncode}")
    return json.loads(next(line for line in lines if line.startswith(RESULT)).removeprefix(RESULT))


def time_ingest(rows: int) -> None:
    """Ingest against the csv module reading the same file; the csv module reads it before and
    after the ingest and its faster run is the reference (the other helpers of the machine vary)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "measurements.csv"
        write_csv(path, rows)
        print(f"CSV written: {rows:,} rows, {path.stat().st_size / 1e6:.0f} MB, CP949")
        reading = run_child("--read-with-csv-module", path)
        loaded = run_child("--ingest", path)
        reading_again = run_child("--read-with-csv-module", path)
    reference = max(reading["rows_per_second"], reading_again["rows_per_second"])
    ratio = loaded["rows_per_second"] / reference
    postgresql = bool(os.environ.get("DATABASE_URL", "").startswith("postgres"))
    under_limit = loaded["peak_mb"] < GOAL_PEAK_MB
    record(
        measure=f"CSV ingest, {rows:,} rows CP949",
        ours=f"{loaded['rows_per_second']:,.0f} rows/s, peak {loaded['peak_mb']:.0f} MB",
        reference=f"csv module reading the file: {reference:,.0f} rows/s",
        result=f"{ratio:.3f}×, {loaded['peak_mb']:.0f} MB",
        # SQLite's goal is only to get through the file in constant memory; its ratio is shown as it is.
        goal=f"≥ {GOAL_RATIO}×, < {GOAL_PEAK_MB} MB" if postgresql else f"completes, < {GOAL_PEAK_MB} MB",
        met=under_limit and (ratio >= GOAL_RATIO or not postgresql),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", type=int, default=10_000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--only", choices=["search", "ingest"])
    parser.add_argument("--read-with-csv-module", metavar="PATH", help=argparse.SUPPRESS)
    parser.add_argument("--ingest", metavar="PATH", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.read_with_csv_module:
        return read_with_csv_module(args.read_with_csv_module)
    if args.ingest:
        return ingest(args.ingest)

    if args.only in (None, "search"):
        django_setup()
        begun = time.perf_counter()
        add_datasets(args.datasets)
        print(f"added {args.datasets:,} datasets in {time.perf_counter() - begun:.0f} s")
        with web_server(processes=1) as url:
            time_searches(url, args.repeat)
    if args.only in (None, "ingest"):
        time_ingest(args.rows)


if __name__ == "__main__":
    main()
