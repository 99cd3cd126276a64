"""File versions: a new version replaces the published one only when it loads cleanly, older
files stay downloadable, and the load runs in Celery, safe to run again after a crash."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.opendata import services
from apps.opendata.models import DatastoreRow
from apps.opendata.tasks import MAX_RESTARTS, version_ingest_task
from tests.opendata.test_ingest import load, rows_of, upload

pytestmark = pytest.mark.usefixtures("english_messages")

V1 = "주차장명,면수\n의정부역 공영주차장,120\n신곡동 노상주차장,35\n".encode("cp949")
V2_RAGGED = "주차장명,면수\n의정부역 공영주차장,120,비고\n".encode()
V3 = "명칭,면수,요금\n의정부역 공영주차장,130,1000\n신곡동 노상주차장,35,500\n민락 공영주차장,200,0\n".encode()


def test_a_broken_version_leaves_the_published_one_and_a_good_one_replaces_it(resource):
    v1 = load(resource, V1)
    resource.refresh_from_db()
    assert resource.current_version == v1 and v1.changes == {}
    v1_rows = rows_of(v1)
    resource.dataset.refresh_from_db()
    first_update = resource.dataset.data_updated_at
    assert first_update is not None and resource.dataset.quality_checks["schema_valid"]

    v2 = load(resource, V2_RAGGED)
    assert v2.number == 2 and v2.status == "failed"
    resource.refresh_from_db()
    assert resource.current_version == v1
    assert rows_of(v1) == v1_rows and len(v1_rows) == 2
    assert not DatastoreRow.objects.filter(version=v2).exists()

    v3 = load(resource, V3, "parking-2025.csv", note="2025년 3월 기준")
    assert v3.status == "ready", v3.error
    resource.refresh_from_db()
    assert resource.current_version == v3
    assert len(rows_of(v3)) == 3
    assert not DatastoreRow.objects.filter(version=v1).exists()  # only the published version is queried
    v1.refresh_from_db()
    assert v1.status == "ready" and v1.upload.open("rb").read() == V1  # still downloadable
    assert v1.utf8_csv.open("rb").read().decode("utf-8-sig").startswith("주차장명,면수")
    # 주차장명 -> 명칭 sits in the same place with the same type: a rename.
    assert v3.changes == {"added": ["요금"], "removed": [], "renamed": [["주차장명", "명칭"]]}
    assert v3.note == "2025년 3월 기준" and v3.original_name == "parking-2025.csv"
    resource.dataset.refresh_from_db()
    assert resource.dataset.data_updated_at > first_update
    assert list(resource.versions.values_list("number", "status")) == [(3, "ready"), (2, "failed"), (1, "ready")]


def test_upload_queues_the_task_on_commit_and_celery_loads_it(
    resource, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        version = upload(resource, V1)
        assert version.status == "queued"
        assert not DatastoreRow.objects.exists()  # nothing happens before the commit
    assert len(callbacks) == 1
    version.refresh_from_db()
    assert version.status == "ready" and version.row_count == 2
    assert version.sha256 and version.size == len(V1)
    resource.refresh_from_db()
    assert resource.current_version == version


def test_a_broker_that_is_down_fails_the_version_with_a_reason(
    resource, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise ConnectionError("[Errno 111] Connection refused")

    monkeypatch.setattr(version_ingest_task, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        version = upload(resource, V1)
    version.refresh_from_db()
    assert version.status == "failed" and "could not be queued" in version.error
    assert version.upload.open("rb").read() == V1


def test_a_task_run_again_after_a_crash_restarts_the_load_cleanly(resource, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    version = upload(resource, V3)
    # A worker died half-way: the version says "processing", some rows and a copy are left over.
    version.status = "processing"
    version.bytes_read = 10
    version.utf8_csv.save("half.csv", SimpleUploadedFile("half.csv", b"half"), save=False)
    version.save()
    DatastoreRow.objects.create(version=version, number=1, data={"명칭": "left over"})
    DatastoreRow.objects.create(version=version, number=2, data={"명칭": "left over"})

    assert version_ingest_task(version.pk) == "ready"
    version.refresh_from_db()
    assert [row["명칭"] for row in rows_of(version)] == ["의정부역 공영주차장", "신곡동 노상주차장", "민락 공영주차장"]
    assert version.utf8_csv.name != "" and "half" not in version.utf8_csv.name
    assert version_ingest_task(version.pk) == "ready"  # a ready version is left as it is
    assert len(rows_of(version)) == 3


def test_a_file_that_keeps_killing_the_worker_ends_up_failed(resource, settings, monkeypatch):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    v1 = load(resource, V1)
    version = upload(resource, V3)

    def worker_killed(*args, **kwargs):
        raise SystemExit("killed by the kernel")

    monkeypatch.setattr(services, "_version_load", worker_killed)
    for _delivery in range(1 + MAX_RESTARTS):  # the first delivery, then each redelivery
        with pytest.raises(SystemExit):
            version_ingest_task(version.pk)
        version.refresh_from_db()
        assert version.status == "processing"
    assert version_ingest_task(version.pk) == "failed"
    version.refresh_from_db()
    assert "stopped unexpectedly 4 times" in version.error
    resource.refresh_from_db()
    assert resource.current_version == v1 and len(rows_of(v1)) == 2


def test_progress_is_written_every_batch(resource, monkeypatch):
    monkeypatch.setattr(services, "ROWS_PER_BATCH", 2)
    seen = []
    record = services._progress

    def spy(version, bytes_read, rows):
        seen.append((bytes_read, rows))
        record(version, bytes_read, rows)

    monkeypatch.setattr(services, "_progress", spy)
    content = ("이름,값\n" + "".join(f"행{n},{n}\n" for n in range(5))).encode()
    version = load(resource, content)
    assert version.status == "ready"
    loading = [entry for entry in seen if entry[1]]
    assert [rows for _bytes, rows in loading] == [2, 4, 5]
    assert [bytes_read for bytes_read, _rows in loading] == sorted(bytes_read for bytes_read, _rows in loading)


def test_a_version_overtaken_by_a_newer_one_is_not_published(resource):
    older = upload(resource, V1)
    newer = load(resource, V3)
    assert services.version_ingest(version=older).status == "failed"
    older.refresh_from_db()
    assert "A newer version (2) was published" in older.error
    resource.refresh_from_db()
    assert resource.current_version == newer and not DatastoreRow.objects.filter(version=older).exists()


def test_an_unexpected_error_fails_the_version_and_keeps_the_published_one(resource, monkeypatch):
    v1 = load(resource, V1)

    def database_gone(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_batch_write", database_gone)
    v2 = load(resource, V3)
    assert v2.status == "failed" and "unexpected error" in v2.error
    resource.refresh_from_db()
    assert resource.current_version == v1 and len(rows_of(v1)) == 2
