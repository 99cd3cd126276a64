"""The per-client limit behind the report form, over ten minutes and over a day."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from apps.complaints import ratelimit
from apps.complaints.ratelimit import Limit, rate_limit_record, rate_limit_wait
from apps.complaints.views import REPORT_LIMITS

LIMITS = (Limit(count=5, seconds=600), Limit(count=20, seconds=86_400))


@pytest.fixture(autouse=True)
def _own_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


class Clock:
    def __init__(self):
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(ratelimit.time, "time", clock)
    return clock


def request_from(address: str, **headers):
    return RequestFactory().post("/ko/complaints/report/", REMOTE_ADDR=address, **headers)


def test_the_report_form_uses_five_in_ten_minutes_and_twenty_a_day():
    assert REPORT_LIMITS == LIMITS


def test_five_in_ten_minutes_then_wait_until_the_oldest_leaves_the_window(clock):
    client = request_from("203.0.113.7")
    for _ in range(5):
        assert rate_limit_wait(client, scope="report", limits=LIMITS) == 0
        rate_limit_record(client, scope="report", limits=LIMITS)
        clock.now += 60
    assert rate_limit_wait(client, scope="report", limits=LIMITS) == 600 - 5 * 60
    assert rate_limit_wait(request_from("203.0.113.8"), scope="report", limits=LIMITS) == 0
    assert rate_limit_wait(client, scope="another-form", limits=LIMITS) == 0
    clock.now += 600 - 5 * 60
    assert rate_limit_wait(client, scope="report", limits=LIMITS) == 0


def test_twenty_a_day_however_slowly_they_come(clock):
    client = request_from("203.0.113.7")
    for _ in range(20):
        assert rate_limit_wait(client, scope="report", limits=LIMITS) == 0
        rate_limit_record(client, scope="report", limits=LIMITS)
        clock.now += 700  # never five within ten minutes
    wait = rate_limit_wait(client, scope="report", limits=LIMITS)
    assert wait == 86_400 - 20 * 700
    clock.now += wait
    assert rate_limit_wait(client, scope="report", limits=LIMITS) == 0


def test_only_the_address_the_server_saw_counts():
    for _ in range(5):
        rate_limit_record(request_from("203.0.113.7"), scope="report", limits=LIMITS)
    spoofed = request_from("203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert rate_limit_wait(spoofed, scope="report", limits=LIMITS) > 0
    # The cache keeps a hash of the address, not the address.
    key = ratelimit.client_id(spoofed)
    assert "203.0.113" not in key and len(cache.get(f"ratelimit:report:{key}")) == 5
