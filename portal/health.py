"""Liveness and readiness.

/healthz says only that this process answers. /readyz asks each service the product needs and
answers 503 with a JSON body that names whatever is down, so an operator (or a load balancer)
sees at once which part to look at.
"""

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait

import requests
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from apps.common.rasa import rasa_json
from portal.celery import app as celery_app

logger = logging.getLogger(__name__)

WORKER_HEARTBEAT_KEY = "health:worker-heartbeat"
# Beat schedules the heartbeat every 30 s; three missed beats mean no worker is taking tasks.
WORKER_HEARTBEAT_MAX_AGE = 90


def worker_heartbeat_record() -> None:
    cache.set(WORKER_HEARTBEAT_KEY, time.time(), timeout=None)


def check_database() -> dict:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"vendor": connections["default"].vendor}


def check_broker() -> dict:
    with celery_app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, timeout=settings.HEALTH_CHECK_TIMEOUT)
        return {"transport": connection.transport_cls}


class Starting(RuntimeError):
    """Not ready yet, and not known to be broken: a process still loading, or a worker whose first
    heartbeat has not arrived (after a start, or after Redis came back empty)."""


def check_worker() -> dict:
    last_seen = cache.get(WORKER_HEARTBEAT_KEY)
    if last_seen is None:
        raise Starting("worker starting: no heartbeat yet")
    age = time.time() - last_seen
    if age > WORKER_HEARTBEAT_MAX_AGE:
        raise RuntimeError(f"last Celery worker heartbeat {age:.0f} s ago")
    return {"last_heartbeat_seconds_ago": round(age, 1)}


def check_bot() -> dict:
    timeout = settings.HEALTH_CHECK_TIMEOUT
    model = rasa_json("GET", "/status", timeout=timeout).get("model_file")
    if not model:
        raise Starting("the Rasa server is loading its model")
    actions = requests.get(f"{settings.RASA_ACTIONS_URL}/health", timeout=timeout)
    actions.raise_for_status()
    return {"model": model}


CHECKS: dict[str, Callable[[], dict]] = {
    "database": check_database,
    "broker": check_broker,
    "worker": check_worker,
    "bot": check_bot,
}


def _run(check: Callable[[], dict]) -> dict:
    try:
        return {"ok": True, **check()}
    except Starting as error:
        return {"ok": False, "starting": True, "error": str(error)}
    except Exception as error:  # noqa: BLE001 - any failure is reported, not raised
        return {"ok": False, "error": str(error) or error.__class__.__name__}
    finally:
        connections.close_all()  # this pool thread's own connections


def readiness() -> dict[str, dict]:
    """Every check's result within HEALTH_CHECK_TIMEOUT (plus a little): one that has not answered by
    then (a database pool waiting for a server that is restarting) is reported as timed out and
    left to finish in its thread, so the answer never waits on it."""
    budget = settings.HEALTH_CHECK_TIMEOUT + 0.5
    pool = ThreadPoolExecutor(max_workers=len(CHECKS))
    futures = {name: pool.submit(_run, check) for name, check in CHECKS.items()}
    wait(futures.values(), timeout=budget)
    pool.shutdown(wait=False)
    return {
        name: future.result() if future.done() else {"ok": False, "error": f"no answer within {budget:g} s"}
        for name, future in futures.items()
    }


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    checks = readiness()
    down = sorted(name for name, result in checks.items() if not result["ok"])
    starting = all(checks[name].get("starting") for name in down)
    status = "ok" if not down else "starting" if starting else "down"
    response = JsonResponse(
        {"status": status, "down": down, "checks": checks},
        status=503 if down else 200,
        json_dumps_params={"ensure_ascii": False},
    )
    if down:
        # A 503 here is an expected state (a start, an outage the body names), not a server error:
        # logged once at INFO or WARNING instead of Django's ERROR with no detail.
        logger.log(logging.INFO if starting else logging.WARNING, "not ready: %s", ", ".join(down))
        response._has_been_logged = True  # read by django.utils.log.log_response
    return response
