"""Work found half done when its task starts was held by a worker that died (tasks are acknowledged
late, so the broker hands them out again). It starts over, a few times at most: a file that kills
the worker every time must end up failed with a reason, not loop."""

from django.core.cache import cache

MAX_RESTARTS = 3
RESTARTS_KEEP_SECONDS = 24 * 3600


def restart_count(key: str) -> int:
    """Counts one more restart of the work named by `key` and returns how many there have been."""
    cache.add(key, 0, RESTARTS_KEEP_SECONDS)
    return cache.incr(key)
