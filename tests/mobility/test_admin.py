"""The staff side: the car park listings, the import (stored, run by Celery, its progress, its
result by line in Korean and English, a file it cannot take refused with a reason), and a device
token shown once."""

import html
import re
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.users.models import UserProfile

from apps.common.restarts import MAX_RESTARTS
from apps.common.tokens import token_hash
from apps.mobility import services
from apps.mobility.models import CarPark, CarParkImport, SensorDevice
from apps.mobility.sources import STANDARD_COLUMNS
from apps.mobility.tasks import car_park_import_task
from tests.mobility.test_import import GOOD, standard_csv


def _upload(admin_client, city, name: str, data: bytes):
    return admin_client.post(
        "/admin/car-parks/import/", {"municipality": city.pk, "file": SimpleUploadedFile(name, data)}
    )


def test_an_upload_is_stored_imported_by_celery_and_its_result_shown_by_line(
    admin_client, admin_user, city, eager_celery, django_capture_on_commit_callbacks
):
    assert admin_client.get("/admin/car-parks/import/").status_code == 200
    data = standard_csv(GOOD, {**GOOD, "주차장관리번호": "999-002-1", "경도": "x"}).encode("cp949")
    with django_capture_on_commit_callbacks(execute=True):
        answer = _upload(admin_client, city, "parking.csv", data)

    job = CarParkImport.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/admin/car-parks/import/{job.pk}/"
    with job.file.open("rb") as stored:  # kept as sent, to run again
        assert stored.read() == data
    assert (job.status, job.rows_done, job.rows_total, job.added, job.problem_count) == ("done", 1, 1, 1, 1)
    status = admin_client.get(f"/admin/car-parks/import/{job.pk}/status.json").json()
    assert status == status | {"done": True, "percent": 100, "rows_done": 1, "rows_total": 1}
    # The admin speaks Korean to this staff member, and the refused row's reason is in Korean...
    page = admin_client.get(answer["Location"]).content.decode()
    assert "1곳 추가, 0곳 수정, 0곳 그대로, 1줄 거부." in page
    assert "<td>3</td><td>경도 값이 숫자가 아닙니다: x</td>" in page
    assert "data-progress-status" not in page  # nothing runs any more
    # ...and in English to one who chose English.
    UserProfile.objects.update_or_create(user=admin_user, defaults={"preferred_language": "en"})
    page = admin_client.get(answer["Location"]).content.decode()
    assert "<td>3</td><td>경도 is not a number: x</td>" in page

    # Run again from the stored file: nothing changes.
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(f"/admin/car-parks/import/{job.pk}/run-again/")
    job.refresh_from_db()
    assert (job.status, job.added, job.unchanged, job.problem_count) == ("done", 0, 1, 1)
    assert CarPark.objects.filter(stable_id="999-001-1").count() == 1


def test_the_import_page_shows_progress_until_the_worker_is_done(
    admin_client, city, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # no worker picks it up
        answer = _upload(admin_client, city, "parking.csv", standard_csv(GOOD).encode())
        # The same file again while it waits (a double click) is the same import.
        assert _upload(admin_client, city, "parking.csv", standard_csv(GOOD).encode())["Location"] == answer["Location"]
    job = CarParkImport.objects.get()
    status_url = f"/admin/car-parks/import/{job.pk}/status.json"
    page = admin_client.get(answer["Location"]).content.decode()
    assert f'data-progress-status="{status_url}"' in page
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page
    assert admin_client.get(status_url).json()["done"] is False
    CarParkImport.objects.filter(pk=job.pk).update(status="processing", rows_done=4, rows_total=10)
    status = admin_client.get(status_url).json()
    assert status == status | {"percent": 40, "rows_done": 4, "rows_total": 10, "done": False}
    assert admin_client.get("/admin/car-parks/import/999999/status.json").status_code == 404


def test_an_import_its_worker_died_in_runs_again_from_the_stored_file(
    admin_client, city, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        _upload(admin_client, city, "parking.csv", standard_csv(GOOD).encode())
    job = CarParkImport.objects.get()
    cache.delete(services.import_restarts_key(job.pk))
    # The worker died half-way: the import says "importing", the broker delivers the task again.
    CarParkImport.objects.filter(pk=job.pk).update(status="processing", rows_done=3, rows_total=9)
    assert car_park_import_task(job.pk) == "done"
    job.refresh_from_db()
    assert (job.rows_done, job.rows_total, job.added) == (1, 1, 1)
    # A file that kills the worker every time ends failed with a reason, not in a loop.
    for _delivery in range(MAX_RESTARTS):
        CarParkImport.objects.filter(pk=job.pk).update(status="processing")
        car_park_import_task(job.pk)
    job.refresh_from_db()
    # In the uploader's language: Korean, the admin's default.
    assert job.status == "failed" and "예기치 않게 4번 멈췄습니다" in job.error
    # Staff run it again: it gets its restarts anew.
    with django_capture_on_commit_callbacks(execute=False):
        admin_client.post(f"/admin/car-parks/import/{job.pk}/run-again/")
    CarParkImport.objects.filter(pk=job.pk).update(status="processing")
    assert car_park_import_task(job.pk) == "done"


def test_a_file_that_cannot_be_imported_gets_a_message_and_changes_nothing(admin_client, admin_user, city, monkeypatch):
    UserProfile.objects.update_or_create(user=admin_user, defaults={"preferred_language": "en"})
    monkeypatch.setattr(services, "MAX_IMPORT_BYTES", 4096)
    header_without_position = standard_csv(GOOD, columns=[c for c in STANDARD_COLUMNS if c != "위도"])
    cases = [
        ("parking.xlsx", b"PK\x03\x04 a spreadsheet", "“parking.xlsx” is not a CSV file."),
        ("parking.csv", b"PK\x03\x04\x00\x00 a spreadsheet renamed", "This is not a CSV file"),
        ("parking.csv", "주차장관리번호,주차장명\n".encode("utf-16"), "This is not a CSV file"),
        ("parking.csv", b"\xff\xfe\xff\xfe", "The file is neither UTF-8 nor CP949"),
        ("parking.csv", standard_csv(*[GOOD] * 40).encode(), "at most 4.0\xa0KB can be imported."),
        ("parking.csv", b"id,name\n1,x\n", "None of the 전국주차장정보표준데이터 columns was found"),
        ("parking.csv", header_without_position.encode(), "Columns missing: 위도"),
    ]
    car_parks = CarPark.objects.count()
    for name, data, message in cases:
        answer = _upload(admin_client, city, name, data)
        assert answer.status_code == 400, name
        assert message in html.unescape(answer.content.decode()), message
    assert (CarParkImport.objects.count(), CarPark.objects.count()) == (0, car_parks)
    assert not (Path(settings.MEDIA_ROOT) / "mobility" / "imports").exists()


def test_a_new_devices_token_is_shown_once_and_only_its_hash_kept(admin_client, station_east):
    for listing in ("/admin/car_parks/", "/admin/sensor_devices/", "/admin/readings/"):
        assert admin_client.get(listing).status_code == 200, listing
    answer = admin_client.post("/admin/sensor_devices/new/", {"car_park": station_east.pk, "name": "북문 센서"})
    token = re.search(r"<code>([\w-]{40,})</code>", answer.content.decode())[1]
    device = SensorDevice.objects.get(name="북문 센서")
    assert device.token_hash == token_hash(token) and device.car_park == station_east
    assert token not in admin_client.get(f"/admin/sensor_devices/edit/{device.pk}/").content.decode()
