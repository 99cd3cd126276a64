import socket
import subprocess
import sys

import pytest
from django.conf import settings

from portal import health


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def test_healthz_answers_without_touching_anything(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_names_what_is_down_with_a_503(client, settings):
    settings.RASA_URL = closed_port_url()
    settings.RASA_ACTIONS_URL = closed_port_url()
    settings.RASA_AUTH_TOKEN = "secret-rasa-token"
    health.worker_heartbeat_record()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "secret-rasa-token" not in response.content.decode()  # requests' errors name the whole URL
    body = response.json()
    assert body["status"] == "down"
    assert body["down"] == ["bot"]
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["broker"]["ok"] is True
    assert "Connection refused" in body["checks"]["bot"]["error"]


@pytest.mark.django_db
def test_a_silent_worker_makes_the_portal_not_ready(client, settings, monkeypatch):
    from django.core.cache import cache

    cache.set(health.WORKER_HEARTBEAT_KEY, 0, timeout=None)  # last heard of in 1970
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "worker" in response.json()["down"]
    assert "heartbeat" in response.json()["checks"]["worker"]["error"]


@pytest.mark.django_db
def test_a_check_that_hangs_is_reported_within_the_budget(client, settings, monkeypatch):
    """A database pool waiting on a restarting server must not hold /readyz past its budget."""
    import threading
    import time

    released = threading.Event()

    def hanging() -> dict:
        released.wait(30)
        return {}

    settings.HEALTH_CHECK_TIMEOUT = 0.5
    monkeypatch.setattr(health, "CHECKS", {"database": hanging, "broker": lambda: {}})
    started = time.monotonic()
    response = client.get("/readyz")
    elapsed = time.monotonic() - started
    released.set()
    assert response.status_code == 503
    assert elapsed < 5  # the budget plus a first request's set-up, far from the 30 s hang
    assert response.json()["down"] == ["database"]
    assert "no answer within 1 s" in response.json()["checks"]["database"]["error"]


@pytest.mark.django_db
def test_a_worker_not_yet_heard_from_is_starting_not_down(client, monkeypatch):
    """After a start, or after Redis came back empty, the first heartbeat is still on its way."""
    from django.core.cache import cache

    cache.delete(health.WORKER_HEARTBEAT_KEY)
    monkeypatch.setattr(health, "CHECKS", {"database": health.check_database, "worker": health.check_worker})
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "starting"
    assert response.json()["checks"]["worker"] == {
        "ok": False,
        "starting": True,
        "error": "worker starting: no heartbeat yet",
    }


def test_a_running_worker_picks_up_the_heartbeat_task(tmp_path):
    """The heartbeat goes through the configured broker to a real worker process and back through the cache."""
    from django.core.cache import cache

    from portal.celery import app
    from portal.tasks import record_worker_heartbeat

    cache.delete(health.WORKER_HEARTBEAT_KEY)
    # Earlier tests that ran a live server left their notification tasks on the broker; a worker
    # started here would work through them (against a database it cannot see) first.
    app.control.purge()
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "--app", "portal", "worker", "--pool", "solo", "--loglevel", "WARNING"],
        cwd=settings.BASE_DIR,
        stdout=(tmp_path / "worker.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        record_worker_heartbeat.apply_async(ignore_result=False).get(timeout=60)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert health.check_worker()["last_heartbeat_seconds_ago"] < 60
