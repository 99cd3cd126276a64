"""Liveness and readiness.

/healthz says only that this process answers. /readyz asks each service the product needs and
answers 503 with a JSON body that names whatever is down, so an operator (or a load balancer)
sees at once which part to look at.
"""

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import requests
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from portal.celery import app as celery_app

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


def check_worker() -> dict:
    last_seen = cache.get(WORKER_HEARTBEAT_KEY)
    if last_seen is None:
        raise RuntimeError("no Celery worker has reported yet")
    age = time.time() - last_seen
    if age > WORKER_HEARTBEAT_MAX_AGE:
        raise RuntimeError(f"last Celery worker heartbeat {age:.0f} s ago")
    return {"last_heartbeat_seconds_ago": round(age, 1)}


def check_bot() -> dict:
    timeout = settings.HEALTH_CHECK_TIMEOUT
    status = requests.get(f"{settings.RASA_URL}/status", timeout=timeout)
    status.raise_for_status()
    model = status.json().get("model_file")
    if not model:
        raise RuntimeError("the Rasa server has no model loaded")
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
    except Exception as error:  # noqa: BLE001 - any failure is reported, not raised
        return {"ok": False, "error": str(error) or error.__class__.__name__}
    finally:
        connections.close_all()  # this pool thread's own connections


def readiness() -> dict[str, dict]:
    # Checks run side by side so a slow service costs one timeout, not the sum of them.
    with ThreadPoolExecutor(max_workers=len(CHECKS)) as pool:
        futures = {name: pool.submit(_run, check) for name, check in CHECKS.items()}
    return {name: future.result() for name, future in futures.items()}


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    checks = readiness()
    down = sorted(name for name, result in checks.items() if not result["ok"])
    body = {"status": "down" if down else "ok", "down": down, "checks": checks}
    return JsonResponse(body, status=503 if down else 200, json_dumps_params={"ensure_ascii": False})
