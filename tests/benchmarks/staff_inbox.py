"""Times the staff inbox with many cases in the database.

    DATABASE_URL=postgres://... .venv/bin/python -m tests.benchmarks.staff_inbox --cases 100000

Adds the cases in bulk (spread over the city's categories, departments, dongs, statuses and the
last year), then asks a running server for inbox pages as a department's staff member and as the
city-wide role, and prints p50/p95 per page. `bin/bench` runs it on a PostgreSQL of its own.
"""

import argparse
import random
import re
import time
from datetime import timedelta

import requests

from tests.benchmarks.report import record
from tests.benchmarks.web import django_setup, percentile, web_server

INBOX = "/admin/complaints/"
GOAL_FIRST_PAGE_P95_MS = 300
PAGES = {
    "first page": "",
    "received": "?status=received",
    "overdue": "?overdue=1",
    "dong": "?dong=호원1동",
    "search": "?q=가로등",
    "page 40": "?p=40",
    "map": "map/",
    "dashboard": "dashboard/",
}


def add_cases(count: int) -> None:
    from django.contrib.auth.models import Group, User
    from django.utils import timezone

    from apps.complaints.deadlines import add_working_days
    from apps.complaints.models import Complaint, ComplaintSequence
    from apps.municipalities.models import Municipality

    city = Municipality.objects.get(code="uijeongbu")
    categories = list(city.categories.select_related("department"))
    dongs = [*city.dongs.values_list("name_ko", flat=True), ""]
    statuses = ["received", "accepted", "answered", "answered", "answered", "closed_unfixed", "transferred"]
    now = timezone.now()
    year = timezone.localdate(now).year
    sequence, _ = ComplaintSequence.objects.get_or_create(municipality=city, year=year)
    randomly = random.Random(2026)
    batch = []
    for offset in range(count):
        category = randomly.choice(categories)
        received = now - timedelta(minutes=randomly.randrange(365 * 24 * 60))
        status = randomly.choice(statuses)
        batch.append(
            Complaint(
                municipality=city,
                number=f"{year}-{sequence.last + offset + 1:06d}",
                tracking_token_hash="0" * 64,
                category=category,
                department=category.department,
                description=f"{category.name_ko}: {category.example_ko or '확인 부탁드립니다'}",
                latitude=37.70 + randomly.random() * 0.08,
                longitude=127.00 + randomly.random() * 0.09,
                dong=randomly.choice(dongs),
                channel="web",
                status=status,
                received_at=received,
                due_date=add_working_days(timezone.localdate(received), category.processing_days),
                answered_at=received + timedelta(days=randomly.randrange(1, 12)) if status == "answered" else None,
            )
        )
        if len(batch) == 5000:
            Complaint.objects.bulk_create(batch)
            batch = []
    Complaint.objects.bulk_create(batch)
    ComplaintSequence.objects.filter(pk=sequence.pk).update(last=sequence.last + count)

    roads = city.departments.get(code="road-maintenance")
    member = User.objects.create_user("bench-roads", password="bench-password-1")
    member.groups.add(*Group.objects.filter(name="민원 담당자"))
    roads.staff.add(member)
    User.objects.create_superuser("bench-city", password="bench-password-1")
    print(f"cases in the database: {Complaint.objects.count():,}; road-maintenance's: {roads.complaints.count():,}")


def logged_in(url: str, username: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{url}/admin/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{url}/admin/login/",
        data={"username": username, "password": "bench-password-1", "csrfmiddlewaretoken": token},
        headers={"Referer": f"{url}/admin/login/"},
        timeout=30,
    )
    response.raise_for_status()
    return session


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()

    django_setup()
    started = time.perf_counter()
    add_cases(args.cases)
    print(f"added {args.cases:,} cases in {time.perf_counter() - started:.0f} s")

    first_page_p95_ms = {}
    with web_server(processes=1) as url:
        for username, role in (("bench-roads", "department staff"), ("bench-city", "city-wide role")):
            session = logged_in(url, username)
            for name, query in PAGES.items():
                session.get(f"{url}{INBOX}{query}", timeout=120)  # untimed: the process's first one loads templates
                timings = []
                for _ in range(args.repeat):
                    begun = time.perf_counter()
                    response = session.get(f"{url}{INBOX}{query}", timeout=120)
                    timings.append(time.perf_counter() - begun)
                    if response.status_code != 200:
                        raise SystemExit(f"{role} {name}: HTTP {response.status_code}")
                print(
                    f"{role:17} {name:11} p50 {percentile(timings, 0.5) * 1000:5.0f} ms   "
                    f"p95 {percentile(timings, 0.95) * 1000:5.0f} ms"
                )
                if name == "first page":
                    first_page_p95_ms[role] = percentile(timings, 0.95) * 1000

    city_wide, department = first_page_p95_ms["city-wide role"], first_page_p95_ms["department staff"]
    record(
        measure=f"staff inbox, {args.cases:,} cases, city-wide role, first page",
        ours=f"city-wide first page p95 {city_wide:,.0f} ms",
        reference=f"department officer first page p95 {department:,.0f} ms",
        result=f"p95 {city_wide:,.0f} ms ({city_wide / department:.2f}× the officer's)",
        goal=f"< {GOAL_FIRST_PAGE_P95_MS} ms",
        met=city_wide < GOAL_FIRST_PAGE_P95_MS,
    )


if __name__ == "__main__":
    main()
