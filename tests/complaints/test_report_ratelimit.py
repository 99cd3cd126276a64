"""The per-client limit behind the report form, over ten minutes and over a day; and hits counted
one by one however many arrive at once, on every cache the portal runs on."""

import os
import threading

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from apps.common import ratelimit
from apps.common.ratelimit import (
    Limit,
    rate_limit_forget,
    rate_limit_hit,
    subject_limit_forget,
    subject_limit_hit,
)
from apps.complaints.intake import REPORT_LIMITS

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
        assert rate_limit_hit(client, scope="report", limits=LIMITS) == 0
        clock.now += 60
    assert rate_limit_hit(client, scope="report", limits=LIMITS) == 600 - 5 * 60
    assert rate_limit_hit(request_from("203.0.113.8"), scope="report", limits=LIMITS) == 0
    assert rate_limit_hit(client, scope="another-form", limits=LIMITS) == 0
    clock.now += 600 - 5 * 60
    assert rate_limit_hit(client, scope="report", limits=LIMITS) == 0


def test_twenty_a_day_however_slowly_they_come(clock):
    client = request_from("203.0.113.7")
    for _ in range(20):
        assert rate_limit_hit(client, scope="report", limits=LIMITS) == 0
        clock.now += 700  # never five within ten minutes
    wait = rate_limit_hit(client, scope="report", limits=LIMITS)
    assert wait == 86_400 - 20 * 700
    clock.now += wait
    assert rate_limit_hit(client, scope="report", limits=LIMITS) == 0


def test_only_the_address_the_server_saw_counts():
    for _ in range(5):
        rate_limit_hit(request_from("203.0.113.7"), scope="report", limits=LIMITS)
    spoofed = request_from("203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert rate_limit_hit(spoofed, scope="report", limits=LIMITS) > 0
    # The cache keeps a hash of the address, not the address.
    key = ratelimit.client_id(spoofed)
    assert "203.0.113" not in key and len(cache.get(f"ratelimit:report:{key}")) == 5


# --- Counting under load --------------------------------------------------------------------------

GUESS_LIMITS = (Limit(count=5, seconds=3600),)


@pytest.fixture(params=["file", "redis", "locmem"])
def shared_cache(request, settings, tmp_path):
    """The default file cache (every process of a host), Redis when REDIS_URL is set, local memory."""
    if request.param == "file":
        backend = {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": tmp_path / "cache"}
    elif request.param == "redis":
        if not os.environ.get("REDIS_URL"):
            pytest.skip("REDIS_URL is not set")
        backend = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
    else:
        backend = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    settings.CACHES = {"default": backend}
    cache.clear()
    yield
    cache.clear()


def at_once(count: int, action) -> list:
    """Runs the action in `count` threads released together; their results."""
    start = threading.Barrier(count)
    results = [None] * count

    def run(index: int) -> None:
        start.wait()
        results[index] = action()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_eighty_simultaneous_guesses_let_exactly_five_through(shared_cache):
    waits = at_once(80, lambda: subject_limit_hit(scope="guess", subject="2026-000001", limits=GUESS_LIMITS))
    assert waits.count(0) == 5 and all(wait > 3500 for wait in waits if wait)
    assert len(cache.get("ratelimit:guess:2026-000001")) == 5


def test_simultaneous_hits_are_all_counted(shared_cache):
    limits = (Limit(count=100, seconds=600),)
    at_once(40, lambda: rate_limit_hit(request_from("203.0.113.7"), scope="report", limits=limits))
    assert len(cache.get(f"ratelimit:report:{ratelimit.client_id(request_from('203.0.113.7'))}")) == 40


def test_a_try_taken_back_frees_its_place(clock):
    for _ in range(5):
        assert subject_limit_hit(scope="guess", subject="case", limits=GUESS_LIMITS) == 0
    assert subject_limit_hit(scope="guess", subject="case", limits=GUESS_LIMITS) == 3600
    subject_limit_forget(scope="guess", subject="case", limits=GUESS_LIMITS)
    assert subject_limit_hit(scope="guess", subject="case", limits=GUESS_LIMITS) == 0
    client = request_from("203.0.113.7")
    for _ in range(5):
        rate_limit_hit(client, scope="report", limits=LIMITS)
    rate_limit_forget(client, scope="report", limits=LIMITS)
    assert rate_limit_hit(client, scope="report", limits=LIMITS) == 0
