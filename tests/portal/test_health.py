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
    health.worker_heartbeat_record()
    response = client.get("/readyz")
    assert response.status_code == 503
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
        record_worker_heartbeat.delay().get(timeout=60)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert health.check_worker()["last_heartbeat_seconds_ago"] < 60
