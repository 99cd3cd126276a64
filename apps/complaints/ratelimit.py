"""Limits on how often one client may do something anyone can do without an account, or how often
something may be tried against one record (guessing a case's phone digits).

Each client's recent hits are kept in Django's cache as a short list of timestamps (a sliding
window), which behaves the same on the file cache and on Redis. Two requests arriving at the same
instant may both pass: a limit against floods, not an exact quota.
"""

import hashlib
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int


def client_id(request: HttpRequest) -> str:
    """Who is asking, as the server saw them. Only REMOTE_ADDR: X-Forwarded-For is written by the
    client and cannot be trusted here. Behind a proxy, the server must set REMOTE_ADDR from it
    (daphne --proxy-headers). Hashed, so the cache holds no addresses."""
    address = request.META.get("REMOTE_ADDR") or "unknown"
    return hashlib.sha256(address.encode()).hexdigest()[:32]


def _key(scope: str, subject: str) -> str:
    return f"ratelimit:{scope}:{subject}"


def _recent(key: str, now: float, longest: int) -> list[float]:
    return [hit for hit in cache.get(key, []) if hit > now - longest]


def subject_limit_wait(*, scope: str, subject: str, limits: Sequence[Limit]) -> int:
    """Seconds until this subject (a client, a case...) may go on; 0 when no limit has been reached."""
    now = time.time()
    hits = _recent(_key(scope, subject), now, max(limit.seconds for limit in limits))
    waits = [
        hits_in_window[-limit.count] + limit.seconds - now
        for limit in limits
        if len(hits_in_window := [hit for hit in hits if hit > now - limit.seconds]) >= limit.count
    ]
    return math.ceil(max(waits)) if waits else 0


def subject_limit_record(*, scope: str, subject: str, limits: Sequence[Limit]) -> None:
    """Count one hit for this subject."""
    now = time.time()
    longest = max(limit.seconds for limit in limits)
    key = _key(scope, subject)
    # Only as many hits as the largest limit can count are worth keeping.
    hits = [*_recent(key, now, longest), now][-max(limit.count for limit in limits) :]
    cache.set(key, hits, timeout=longest)


def rate_limit_wait(request: HttpRequest, *, scope: str, limits: Sequence[Limit]) -> int:
    """Seconds until this client may go on; 0 when no limit has been reached."""
    return subject_limit_wait(scope=scope, subject=client_id(request), limits=limits)


def rate_limit_record(request: HttpRequest, *, scope: str, limits: Sequence[Limit]) -> None:
    """Count one hit for this client."""
    subject_limit_record(scope=scope, subject=client_id(request), limits=limits)
