"""The editors' side in the Wagtail admin: datasets with their resources, uploading a version and
watching it load, the version history, and each department seeing only its own datasets."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from wagtail.users.models import UserProfile

from apps.municipalities.models import Department
from apps.opendata.models import Dataset, Resource, ResourceVersion
from tests.opendata.test_ingest import load

pytestmark = pytest.mark.usefixtures("english_messages")

PARKING = "주차장명,면수\n의정부역 공영주차장,120\n".encode("cp949")


def editor(username: str, *departments: str):
    """A member of the data editors' group, working in English in the admin."""
    user = get_user_model().objects.create_user(username, password="x", first_name=username)
    UserProfile.objects.update_or_create(user=user, defaults={"preferred_language": "en"})
    user.groups.add(Group.objects.get(name="데이터 담당자"))
    for department in Department.objects.filter(code__in=departments):
        department.staff.add(user)
    return user


@pytest.fixture(autouse=True)
def _static_files_without_a_manifest(settings):
    """The pages link this app's own CSS and script, which a collected manifest may not list yet."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def data_team(city):
    return editor("bigdata", "big-data")


@pytest.fixture
def own(make_dataset):
    dataset = make_dataset("bus-stops", title_ko="버스정류장 현황")
    Resource.objects.create(dataset=dataset, name_ko="정류장 목록", format="CSV")
    return dataset


@pytest.fixture
def other(make_dataset):
    dataset = make_dataset("streetlights", title_ko="보안등 현황", department="road-lighting")
    Resource.objects.create(dataset=dataset, name_ko="보안등 목록", format="CSV")
    return dataset


def resource_url(resource: Resource) -> str:
    return f"/admin/opendata/resources/{resource.pk}/"


def test_the_open_data_menu_lists_only_the_editors_departments_datasets(client, data_team, own, other):
    client.force_login(data_team)
    home = client.get("/admin/").content.decode()
    assert "Open data" in home and "/admin/opendata/datasets/" in home
    listing = client.get("/admin/opendata/datasets/").content.decode()
    assert "버스정류장 현황" in listing and "보안등 현황" not in listing
    assert resource_url(own.resources.get()) in listing  # the row's menu leads to the files


def test_another_departments_dataset_is_a_404_on_every_page(client, data_team, other):
    client.force_login(data_team)
    resource = other.resources.get()
    for url in [
        f"/admin/opendata/datasets/edit/{other.pk}/",
        f"/admin/opendata/datasets/delete/{other.pk}/",
        f"/admin/opendata/datasets/history/{other.pk}/",
        f"/admin/opendata/datasets/usage/{other.pk}/",
        resource_url(resource),
        f"{resource_url(resource)}v1/status.json",
    ]:
        assert client.get(url).status_code == 404, url
    response = client.post(resource_url(resource), {"file": SimpleUploadedFile("x.csv", PARKING)})
    assert response.status_code == 404
    assert client.post(f"/admin/opendata/datasets/delete/{other.pk}/").status_code == 404
    assert Dataset.objects.filter(pk=other.pk).exists() and not ResourceVersion.objects.exists()


def test_a_superuser_sees_every_department(client, django_user_model, own, other):
    client.force_login(django_user_model.objects.create_superuser("admin", password="x"))
    listing = client.get("/admin/opendata/datasets/").content.decode()
    assert "버스정류장 현황" in listing and "보안등 현황" in listing
    assert client.get(resource_url(other.resources.get())).status_code == 200


def test_someone_without_the_dataset_permission_is_turned_away(client, city, own):
    user = get_user_model().objects.create_user("clerk", password="x")
    user.user_permissions.add(Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin"))
    Department.objects.get(code="big-data").staff.add(user)
    client.force_login(user)
    assert client.get(resource_url(own.resources.get())).status_code in (302, 403)
    assert client.get("/admin/opendata/datasets/").status_code in (302, 403)


def dataset_form(department: Department, overrides: dict | None = None) -> dict:
    data = {
        "title_ko": "공영주차장 현황",
        "title_en": "Public car parks",
        "slug": "public-parking",
        "description_ko": "의정부시 공영주차장의 위치, 주차면 수, 요금 정보입니다. " * 2,
        "description_en": "Where the city's public car parks are, their spaces and fees.",
        "department": department.pk,
        "category": "transport",
        "keyword_names": "주차장, 교통, 주차장",
        "licence": "KOGL-Type1",
        "update_cycle": "monthly",
        "spatial_coverage": "의정부시",
        "temporal_start": "2025-01-01",
        "temporal_end": "",
        "contact_name": "빅데이터팀",
        "contact_phone": "031-828-2114",
        "contact_email": "",
        "is_published": "on",
        "resources-TOTAL_FORMS": "2",
        "resources-INITIAL_FORMS": "0",
        "resources-MIN_NUM_FORMS": "0",
        "resources-MAX_NUM_FORMS": "1000",
        "resources-0-name_ko": "주차장 목록",
        "resources-0-name_en": "List of car parks",
        "resources-0-kind": "file",
        "resources-0-format": "CSV",
        "resources-0-url": "",
        "resources-0-description": "",
        "resources-0-ORDER": "1",
        "resources-1-name_ko": "주차장 실시간 API",
        "resources-1-name_en": "",
        "resources-1-kind": "api",
        "resources-1-format": "API",
        "resources-1-url": "https://api.example.kr/parking",
        "resources-1-description": "",
        "resources-1-ORDER": "2",
    }
    data.update(overrides or {})
    return data


def test_an_editor_creates_a_dataset_with_resources_and_it_is_refreshed(client, data_team):
    client.force_login(data_team)
    big_data = Department.objects.get(code="big-data")
    response = client.post("/admin/opendata/datasets/new/", dataset_form(big_data))
    assert response.status_code == 302, response.content.decode()[:3000]
    dataset = Dataset.objects.get(slug="public-parking")
    assert dataset.municipality == big_data.municipality
    assert sorted(dataset.keywords.values_list("name", flat=True)) == ["교통", "주차장"]
    assert [(r.name_ko, r.kind, r.format) for r in dataset.resources.order_by("sort_order")] == [
        ("주차장 목록", "file", "CSV"),
        ("주차장 실시간 API", "api", "API"),
    ]
    # dataset_refresh ran: search text and quality score follow the saved metadata.
    assert "공영주차장" in dataset.search_text and "주차장" in dataset.search_text
    assert dataset.quality_checks["description"] and dataset.quality_checks["metadata"]
    assert dataset.quality_score >= 65

    edit = client.get(f"/admin/opendata/datasets/edit/{dataset.pk}/").content.decode()
    assert "주차장, 교통" in edit
    file_resource = dataset.resources.get(kind="file")
    assert resource_url(file_resource) in edit
    response = client.post(
        f"/admin/opendata/datasets/edit/{dataset.pk}/",
        dataset_form(
            big_data,
            {
                "title_ko": "공영주차장 위치",
                "resources-INITIAL_FORMS": "2",
                "resources-0-id": str(file_resource.pk),
                "resources-1-id": str(dataset.resources.get(kind="api").pk),
            },
        ),
    )
    assert response.status_code == 302
    dataset.refresh_from_db()
    assert dataset.title_ko == "공영주차장 위치" and "주차장 위치" in dataset.search_text


def test_the_dataset_form_refuses_what_does_not_fit(client, data_team, own):
    client.force_login(data_team)
    big_data = Department.objects.get(code="big-data")
    cases = [
        ({"department": Department.objects.get(code="road-lighting").pk}, "Select a valid choice"),
        ({"slug": "bus-stops"}, "Another dataset of this city already uses this URL name."),
        ({"resources-1-url": ""}, "An API link needs the API"),
        ({"resources-0-format": "API"}, "A file resource needs a file format"),
    ]
    for overrides, message in cases:
        response = client.post("/admin/opendata/datasets/new/", dataset_form(big_data, overrides))
        assert response.status_code == 200, overrides
        assert message in response.content.decode(), overrides
    assert list(Dataset.objects.values_list("slug", flat=True)) == ["bus-stops"]


def test_an_upload_is_loaded_by_celery_and_shown_in_the_history(
    client, data_team, own, eager_celery, django_capture_on_commit_callbacks
):
    client.force_login(data_team)
    resource = own.resources.get()
    page = client.get(resource_url(resource)).content.decode()
    assert "Upload a new version" in page and "No file has been uploaded yet." in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            resource_url(resource),
            {"file": SimpleUploadedFile("stops.csv", PARKING), "note": "2025년 1월 기준", "schema": ""},
        )
    assert response.status_code == 302 and response["Location"] == resource_url(resource)
    version = resource.versions.get()
    assert (version.number, version.status, version.uploaded_by) == (1, "ready", data_team)
    page = client.get(resource_url(resource)).content.decode()
    assert "Version 1 was uploaded" in page
    assert "2025년 1월 기준" in page and "CP949 (EUC-KR)" in page and "published" in page
    assert f'href="/open-data/files/{resource.pk}/v1/"' in page
    assert "data-progress-status" not in page  # nothing is loading any more


def test_the_page_shows_progress_while_a_version_loads(client, data_team, own, django_capture_on_commit_callbacks):
    client.force_login(data_team)
    resource = own.resources.get()
    with django_capture_on_commit_callbacks(execute=False):  # no worker picks it up
        client.post(resource_url(resource), {"file": SimpleUploadedFile("stops.csv", PARKING)})
    page = client.get(resource_url(resource)).content.decode()
    status_url = f"{resource_url(resource)}v1/status.json"
    assert f'data-progress-status="{status_url}"' in page
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page
    assert "Waiting for the loader" in page
    assert client.get(status_url).json()["phase"] == "waiting"

    ResourceVersion.objects.filter(resource=resource).update(status="processing", bytes_read=len(PARKING) // 2)
    status = client.get(status_url).json()
    assert status["phase"] == "checking" and status["percent"] == 50 and not status["done"]
    assert client.get(f"{resource_url(resource)}v9/status.json").status_code == 404

    load(resource, PARKING)  # version 2, loaded directly
    ResourceVersion.objects.filter(resource=resource, number=1).update(status="failed", error="x")
    status = client.get(f"{resource_url(resource)}v2/status.json").json()
    assert status == status | {"phase": "done", "percent": 100, "done": True, "row_count": 1, "status": "ready"}


def test_a_failed_version_shows_its_row_errors(client, data_team, own):
    client.force_login(data_team)
    resource = own.resources.get()
    load(resource, "이름,면수\n가,1\n나\n다,3,4\n".encode())
    page = client.get(resource_url(resource)).content.decode()
    assert "Why it failed" in page and "2 rows do not have one cell per column." in page
    assert "Line 3 has 1 cells; the header has 2." in page and "Line 4 has 3 cells; the header has 2." in page


def test_bad_uploads_get_a_message_and_write_nothing(client, data_team, own):
    client.force_login(data_team)
    resource = own.resources.get()
    cases = [
        ({"file": SimpleUploadedFile("stops.xlsx", PARKING)}, "takes .csv, .txt files"),
        ({"file": SimpleUploadedFile("stops.csv", b"")}, "The submitted file is empty."),
        ({"file": SimpleUploadedFile("stops.csv", PARKING), "schema": "{nope"}, "This is not valid JSON"),
        ({"file": SimpleUploadedFile("stops.csv", PARKING), "schema": "[]"}, "must be a JSON object"),
        (
            {"file": SimpleUploadedFile("stops.csv", PARKING), "schema": '{"fields": [{"name": "a", "type": "x"}]}'},
            "the types that can be loaded are",
        ),
        ({}, "This field is required."),
    ]
    for data, message in cases:
        response = client.post(resource_url(resource), data)
        assert response.status_code == 400, message
        assert message in response.content.decode(), message
    assert not ResourceVersion.objects.exists()


def test_an_oversized_upload_is_refused_before_its_body_is_read(client, data_team, own, settings):
    client.force_login(data_team)
    resource = own.resources.get()
    url = resource_url(resource)
    body = b'--x\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n\r\na,b\r\n--x--\r\n'
    claimed = 300 * 1024 * 1024  # over the 200 MB default, under the admin's request limit
    response = client.generic(
        "POST", url, body, content_type="multipart/form-data; boundary=x", CONTENT_LENGTH=str(claimed)
    )
    assert response.status_code == 413
    assert "The file is 300.0\xa0MB; a data file can be at most 200.0\xa0MB." in response.content.decode()
    two_gigabytes = 2 * 1024**3
    response = client.generic(
        "POST", url, body, content_type="multipart/form-data; boundary=x", CONTENT_LENGTH=str(two_gigabytes)
    )
    assert response.status_code == 413
    assert not ResourceVersion.objects.exists()
    assert not (settings.MEDIA_ROOT / "opendata").exists()  # no byte of it was stored


def test_the_upload_keeps_its_csrf_check(data_team, own):
    client = Client(enforce_csrf_checks=True)
    client.force_login(data_team)
    resource = own.resources.get()
    response = client.post(resource_url(resource), {"file": SimpleUploadedFile("stops.csv", PARKING)})
    assert response.status_code == 403
    page = client.get(resource_url(resource)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(
        resource_url(resource), {"file": SimpleUploadedFile("stops.csv", PARKING), "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert resource.versions.count() == 1
