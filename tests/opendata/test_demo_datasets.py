import csv
import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from apps.complaints import services as complaint_services
from apps.complaints.exports import complaints_export_write
from apps.complaints.models import Category as ComplaintCategory
from apps.complaints.tasks import export_complaints
from apps.opendata.complaints_dataset import COMPLAINTS_DATASET_SLUG, complaints_export_publish, complaints_resource
from apps.opendata.management.commands.load_demo_datasets import (
    COMPLAINTS_EXPORT,
    DEMO_DIR,
    TRAIL_PAGES,
    demo_catalogue,
)
from apps.opendata.models import (
    Category,
    Dataset,
    DatastoreRow,
    Licence,
    Resource,
    ResourceVersion,
    UpdateCycle,
)
from apps.opendata.preview import coordinate_columns, file_features, is_geojson
from apps.opendata.selectors import datastore_query
from apps.opendata.services import version_ingest
from apps.opendata.tasks import publish_complaints_export
from apps.opendata.trails_dataset import TRAILS_DATASET_SLUG
from portal.celery import app

# Uijeongbu, with a little slack: 37.69-37.78 N, 127.00-127.12 E.
SOUTH, NORTH, WEST, EAST = 37.69, 37.78, 127.00, 127.12
CATALOGUE = demo_catalogue()
FILE_RESOURCES = [(entry["slug"], spec) for entry in CATALOGUE for spec in entry["resources"] if "file" in spec]


def file_rows(spec: dict) -> int:
    """Counts a demo file's rows the plain way, without the portal's reader."""
    path = DEMO_DIR / spec["file"]
    if spec["format"] == "CSV":
        encoding = "cp949" if "CP949" in spec["name"]["en"] else "utf-8-sig"
        with path.open(encoding=encoding, newline="") as handle:
            return sum(1 for _row in csv.DictReader(handle))
    if spec["format"] == "XLSX":
        return load_workbook(path, read_only=True).active.max_row - 1
    document = json.loads(path.read_text(encoding="utf-8"))
    return len(document["features"] if spec["format"] == "GeoJSON" else document)


def load(**options) -> str:
    out = StringIO()
    call_command("load_demo_datasets", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def filed(city):
    """Two cases, so the complaints export has rows."""
    pothole = ComplaintCategory.objects.get(municipality=city, code="pothole")
    streetlight = ComplaintCategory.objects.get(municipality=city, code="streetlight")
    return [
        complaint_services.complaint_submit(
            category=category, description=text, channel="web", latitude=37.7381, longitude=127.0337
        ).complaint
        for category, text in ((pothole, "시청 앞 도로가 패였어요"), (streetlight, "의정부역 앞 가로등이 꺼졌어요"))
    ]


def test_the_catalogue_is_complete_and_uses_only_known_values(city):
    departments = set(city.departments.values_list("code", flat=True))
    slugs = [entry["slug"] for entry in CATALOGUE]
    assert len(slugs) == len(set(slugs))
    assert {"public-parking-lots", "sopung-gil-courses", "cultural-heritage", "urban-parks", "bus-stops"} <= set(slugs)
    assert {"population-by-dong", COMPLAINTS_DATASET_SLUG} <= set(slugs)
    for entry in CATALOGUE:
        assert entry["department"] in departments, entry["slug"]
        assert entry["category"] in Category.values
        assert entry["licence"] in Licence.values
        assert entry["update_cycle"] in UpdateCycle.values
        assert entry["title"]["ko"] and entry["title"]["en"]
        assert len(entry["description"]["ko"]) >= 50 and len(entry["description"]["en"]) >= 50
        assert entry["keywords"] and entry["spatial_coverage"] and entry["contact"]["phone"].startswith("031-828-")
        for spec in entry["resources"]:
            assert spec["format"] in Resource.Format.values
            assert spec["name"]["ko"] and spec["name"]["en"]
            assert spec.get("source") in (COMPLAINTS_EXPORT, TRAIL_PAGES) or (DEMO_DIR / spec["file"]).is_file()
    formats = {spec["format"] for _slug, spec in FILE_RESOURCES}
    assert {"CSV", "XLSX", "JSON", "GeoJSON"} <= formats


def test_approximated_datasets_say_so_in_both_languages():
    for entry in CATALOGUE:
        if entry["slug"] != COMPLAINTS_DATASET_SLUG:
            assert "예시" in entry["description"]["ko"], entry["slug"]
            assert "illustrative" in entry["description"]["en"], entry["slug"]


def test_every_demo_dataset_is_loaded_with_the_rows_of_its_files(city, filed):
    output = load()

    for entry in CATALOGUE:
        dataset = Dataset.objects.get(municipality=city, slug=entry["slug"])
        assert f"{entry['slug']} with" in output
        assert dataset.department.code == entry["department"]
        assert sorted(dataset.keywords.values_list("name", flat=True)) == sorted(entry["keywords"])
        if entry["slug"] == TRAILS_DATASET_SLUG:
            # No trail is published here: the dataset waits for the first (tests/trails/test_dataset.py).
            assert dataset.data_updated_at is None and not dataset.resources.get().versions.exists()
            continue
        assert dataset.search_text and dataset.data_updated_at is not None
        resources = list(dataset.resources.order_by("sort_order").select_related("current_version"))
        assert [resource.name_ko for resource in resources] == [spec["name"]["ko"] for spec in entry["resources"]]
        for resource, spec in zip(resources, entry["resources"], strict=True):
            version = resource.current_version
            assert version is not None and version.status == ResourceVersion.Status.READY, version and version.error
            assert version.schema_valid
            expected = len(filed) if spec.get("source") == COMPLAINTS_EXPORT else file_rows(spec)
            assert version.row_count == expected == DatastoreRow.objects.filter(version=version).count()
    assert Dataset.objects.get(municipality=city, slug="urban-parks").quality_score == 100


def test_the_cp949_car_park_file_reads_back_in_korean(city):
    load()
    resource = Resource.objects.get(dataset__municipality=city, dataset__slug="public-parking-lots")
    version = resource.current_version
    assert version.encoding.lower() in {"cp949", "euc-kr", "euc_kr"}
    page = datastore_query(version=version, q="의정부역 동부 공영주차장")
    assert page.total == 1
    assert page.rows[0]["주차장명"] == "의정부역 동부 공영주차장"
    assert page.rows[0]["소재지도로명주소"] == "경기도 의정부시 평화로 525"
    assert page.rows[0]["관리기관명"] == "의정부시설관리공단"
    # The city's 58 public car parks have 4,802 spaces between them.
    spaces = [row.data["주차구획수"] for row in DatastoreRow.objects.filter(version=version)]
    assert len(spaces) == 58 and sum(spaces) == 4802


def inside_the_city(longitude: float, latitude: float) -> bool:
    return SOUTH <= latitude <= NORTH and WEST <= longitude <= EAST


def test_every_row_and_feature_with_coordinates_lies_inside_the_city(city):
    load()
    mapped = 0
    for slug, spec in FILE_RESOURCES:
        resource = Resource.objects.get(dataset__municipality=city, dataset__slug=slug, name_ko=spec["name"]["ko"])
        version = resource.current_version
        if is_geojson(resource, version):
            features = file_features(version)["features"]
            lines = [feature["geometry"]["coordinates"] for feature in features]
            assert len(lines) == version.row_count and all(inside_the_city(*point) for line in lines for point in line)
        elif columns := coordinate_columns(version.schema["fields"]):
            latitude, longitude = columns
            rows = [row.data for row in DatastoreRow.objects.filter(version=version)]
            assert all(inside_the_city(row[longitude], row[latitude]) for row in rows), slug
        else:
            continue
        mapped += 1
    # car parks, course list, course lines, heritage, parks, bus stops (the GTFS copy's stop_lat is not mapped)
    assert mapped == 6


def test_a_second_run_changes_nothing(city, filed):
    load()
    before = {
        "datasets": list(Dataset.objects.values_list("slug", "modified_at", "quality_score").order_by("slug")),
        "versions": list(ResourceVersion.objects.values_list("pk", "status", "row_count").order_by("pk")),
        "rows": DatastoreRow.objects.count(),
        "resources": Resource.objects.count(),
    }

    output = load()

    assert "already there" in output
    assert before == {
        "datasets": list(Dataset.objects.values_list("slug", "modified_at", "quality_score").order_by("slug")),
        "versions": list(ResourceVersion.objects.values_list("pk", "status", "row_count").order_by("pk")),
        "rows": DatastoreRow.objects.count(),
        "resources": Resource.objects.count(),
    }


def test_a_dataset_already_there_is_left_alone_and_the_rest_are_added(city, make_dataset):
    mine = make_dataset("bus-stops", title_ko="우리 시의 정류장", department="transport-planning")

    load()

    mine.refresh_from_db()
    assert mine.title_ko == "우리 시의 정류장" and not mine.resources.exists()
    assert Dataset.objects.filter(municipality=city).count() == len(CATALOGUE)


def test_without_complaints_the_complaints_dataset_waits_for_the_first_export(city):
    load()

    resource = complaints_resource(city)
    assert resource is not None and resource.dataset.slug == COMPLAINTS_DATASET_SLUG
    assert not resource.versions.exists()
    assert Resource.objects.filter(dataset__municipality=city, current_version__isnull=False).count() == len(
        FILE_RESOURCES
    )


def test_publishing_an_export_adds_a_version_with_its_rows(city, filed):
    load()
    resource = complaints_resource(city)
    first = resource.current_version
    assert first.number == 1 and first.row_count == 2
    complaint_services.complaint_submit(
        category=filed[0].category,
        description="녹양역 앞 보도블록이 깨졌어요",
        channel="chat",
        latitude=37.7594,
        longitude=127.0422,
    )
    today = timezone.localdate()
    path = complaints_export_write(municipality=city, today=today)

    version = complaints_export_publish(municipality=city, path=path, exported_on=today)

    assert version.number == 2 and version.status == ResourceVersion.Status.QUEUED
    assert today.isoformat() in version.note
    version = version_ingest(version=version)
    resource.refresh_from_db()
    assert resource.current_version == version and version.row_count == 3
    numbers = {row.data["number"] for row in DatastoreRow.objects.filter(version=version)}
    assert len(numbers) == 3 and numbers >= {case.number for case in filed}
    # The same file again is not a new version.
    assert complaints_export_publish(municipality=city, path=path, exported_on=today) is None
    assert resource.versions.count() == 2


def test_the_nightly_tasks_write_the_export_and_publish_it_as_a_new_version(
    city, filed, django_capture_on_commit_callbacks
):
    load()
    resource = complaints_resource(city)
    complaint_services.complaint_submit(
        category=filed[1].category,
        description="가능역 가로등이 깜빡여요",
        channel="web",
        latitude=37.7484,
        longitude=127.0443,
    )

    written = export_complaints()
    assert len(written) == 1 and resource.versions.count() == 1  # written, not yet published
    with django_capture_on_commit_callbacks() as queued:
        published = publish_complaints_export()

    latest = resource.versions.order_by("-number").first()
    assert published == [latest.pk] and latest.number == 2
    assert latest.status == ResourceVersion.Status.QUEUED and queued
    assert version_ingest(version=latest).row_count == 3
    # The same night's file again: nothing new.
    assert publish_complaints_export() == []


def test_the_publish_task_takes_the_newest_export(city, filed):
    load()
    resource = complaints_resource(city)
    today = timezone.localdate()
    complaints_export_write(municipality=city, today=today - timedelta(days=1))
    complaint_services.complaint_submit(
        category=filed[1].category,
        description="가능역 가로등이 깜빡여요",
        channel="web",
        latitude=37.7484,
        longitude=127.0443,
    )
    complaints_export_write(municipality=city, today=today)

    (version_id,) = publish_complaints_export()

    version = resource.versions.get(pk=version_id)
    assert today.isoformat() in version.note and version_ingest(version=version).row_count == 3


def test_the_export_tasks_run_every_night_export_first(settings):
    app.loader.import_default_modules()
    assert {"apps.complaints.tasks.export_complaints", "apps.opendata.tasks.publish_complaints_export"} <= set(
        app.tasks
    )
    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    write = schedule["apps.complaints.tasks.export_complaints"]
    publish = schedule["apps.opendata.tasks.publish_complaints_export"]
    assert write.hour == publish.hour == {3} and min(write.minute) < min(publish.minute)


def test_a_city_that_does_not_publish_complaints_gets_no_version(city, filed):
    path = complaints_export_write(municipality=city, today=timezone.localdate())

    assert complaints_export_publish(municipality=city, path=path, exported_on=timezone.localdate()) is None
    assert not ResourceVersion.objects.exists()


def test_an_unknown_city_is_refused(city):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Unknown municipality"):
        load(municipality="atlantis")
