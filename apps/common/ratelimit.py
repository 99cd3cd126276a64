"""Limits on how often one client may do something anyone can do without an account, or how often
something may be tried against one record (guessing a case's phone digits).

Each subject's recent hits are kept in Django's cache as a short list of timestamps (a sliding
window). Every change of that list is made under a lock, so hits arriving at the same instant are
all counted, and `subject_limit_hit` checks and counts in one step: of 80 simultaneous guesses, as
many pass as the limit allows. The lock is a file lock beside the file cache (shared by every
process of the host), else a key set with `cache.add`, which Redis does atomically.
"""

import fcntl
import hashlib
import math
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from django.http import HttpRequest

from apps.common.client import client_address

# Longer than any read-and-write of a list takes; a lock left by a process that died expires.
LOCK_SECONDS = 5
LOCK_FILES = 64


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int


def client_id(request: HttpRequest) -> str:
    """Who is asking (apps.common.client.client_address, which trusts only the configured proxies).
    Hashed, so the cache holds no addresses."""
    address = client_address(request) or "unknown"
    return hashlib.sha256(address.encode()).hexdigest()[:32]


def _key(scope: str, subject: str) -> str:
    return f"ratelimit:{scope}:{subject}"


@contextmanager
def _file_lock(folder: Path, key: str) -> Iterator[None]:
    # A fixed set of lock files, picked by the key's hash: no file is left behind per subject.
    folder.mkdir(parents=True, exist_ok=True)
    stripe = int(hashlib.sha256(key.encode()).hexdigest(), 16) % LOCK_FILES
    with open(folder / f"{stripe}.lock", "a") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


@contextmanager
def _cache_lock(backend, key: str) -> Iterator[None]:
    lock_key, token = f"{key}:lock", uuid.uuid4().hex
    give_up = time.monotonic() + LOCK_SECONDS
    # By then a holder's lock has expired: only a holder that died keeps it that long. None rather
    # than False: the cache is down (django-redis ignores the error), so there is nothing to lock
    # and the limits fail open instead of making every request wait.
    while backend.add(lock_key, token, timeout=LOCK_SECONDS) is False and time.monotonic() < give_up:
        time.sleep(0.002)
    try:
        yield
    finally:
        if backend.get(lock_key) == token:
            backend.delete(lock_key)


def _locked(key: str):
    backend = caches["default"]
    if isinstance(backend, FileBasedCache):
        # The file cache's get-then-set add() is not atomic; flock is, across processes and threads.
        return _file_lock(Path(backend._dir) / "ratelimit-locks", key)
    return _cache_lock(backend, key)


def _recent(key: str, now: float, limits: Sequence[Limit]) -> list[float]:
    longest = max(limit.seconds for limit in limits)
    return [hit for hit in caches["default"].get(key, []) if hit > now - longest]


def _store(key: str, hits: list[float], limits: Sequence[Limit]) -> None:
    # Only as many hits as the largest limit can count are worth keeping.
    kept = sorted(hits)[-max(limit.count for limit in limits) :]
    caches["default"].set(key, kept, timeout=max(limit.seconds for limit in limits))


def _wait(hits: list[float], now: float, limits: Sequence[Limit]) -> int:
    waits = [
        hits_in_window[-limit.count] + limit.seconds - now
        for limit in limits
        if len(hits_in_window := [hit for hit in hits if hit > now - limit.seconds]) >= limit.count
    ]
    return math.ceil(max(waits)) if waits else 0


def subject_limit_hit(*, scope: str, subject: str, limits: Sequence[Limit]) -> int:
    """Check and count in one step: 0 when the subject may go on (and this try is counted), else
    the seconds to wait (and nothing is counted). For tries that must never pass the limit however
    many arrive at once."""
    key = _key(scope, subject)
    with _locked(key):
        now = time.time()
        hits = _recent(key, now, limits)
        if wait := _wait(hits, now, limits):
            return wait
        _store(key, [*hits, now], limits)
        return 0


def subject_limit_forget(*, scope: str, subject: str, limits: Sequence[Limit]) -> None:
    """Take back the latest hit, for a try counted by subject_limit_hit that turned out not to count
    (the right digits, a password that was right)."""
    key = _key(scope, subject)
    with _locked(key):
        hits = _recent(key, time.time(), limits)
        _store(key, sorted(hits)[:-1], limits)


def rate_limit_hit(request: HttpRequest, *, scope: str, limits: Sequence[Limit]) -> int:
    """subject_limit_hit for this client: 0 when it may go on (and this try is counted), else the
    seconds to wait."""
    return subject_limit_hit(scope=scope, subject=client_id(request), limits=limits)


def rate_limit_forget(request: HttpRequest, *, scope: str, limits: Sequence[Limit]) -> None:
    """Take back this client's latest hit, for a try that turned out not to count."""
    subject_limit_forget(scope=scope, subject=client_id(request), limits=limits)
