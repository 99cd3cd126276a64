"""Redis down: residents still read pages and file by form, and no request waits on Redis (the
chat's part is in tests/chat/test_redis_outage.py)."""

import os
import subprocess
import sys
import time

from django.conf import settings
from django.core.cache import cache

from apps.complaints.models import Complaint
from tests.complaints.test_report_form import REPORT, STREETLIGHT, send


def timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def test_pages_and_the_report_form_work_while_redis_is_down(client, demo_site, redis_down):
    assert cache.get("anything") is None  # a miss, not an error
    for url in ("/ko/", "/en/", REPORT):
        response, seconds = timed(lambda url=url: client.get(url))
        assert response.status_code == 200, url
        assert seconds < 2, (url, seconds)

    response, seconds = timed(lambda: send(client, STREETLIGHT))
    assert response.status_code == 302
    assert seconds < 4  # preview and send, each with the report limit's cache calls
    assert Complaint.objects.get().description == STREETLIGHT["description"]


def test_sending_a_task_with_the_broker_down_fails_at_once(redis_down, tmp_path):
    """The case is already stored when its notification is queued; beat's sweep sends it later. Before,
    `.delay()` waited about 38 s through the broker's and the result backend's retries."""
    script = (
        "import time, django; django.setup()\n"
        "from apps.complaints.tasks import send_notification\n"
        "started = time.monotonic()\n"
        "try:\n"
        "    send_notification.delay(1)\n"
        "except Exception as error:\n"
        "    print(type(error).__name__)\n"
        "print(round(time.monotonic() - started, 2))\n"
    )
    environment = {**os.environ, "REDIS_URL": redis_down, "VAR_DIR": str(tmp_path)}
    environment.pop("CELERY_BROKER_URL", None)
    finished = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    error, seconds = finished.stdout.split()
    assert error == "OperationalError", finished.stderr[-2000:]
    assert float(seconds) < 3
