"""Downloads: the original file of any published version, the rows as UTF-8 CSV with a BOM and as
XLSX, each counted; nothing from datasets that are not published."""

import codecs
import io
import json

import openpyxl
import pytest
from django.core.files.base import ContentFile

from apps.opendata import downloads
from apps.opendata.models import Dataset, Resource, ResourceVersion
from tests.opendata.test_pages import PARK_FIELDS, PARKS, publish_file, publish_table


@pytest.fixture
def parks(make_dataset):
    dataset = make_dataset("city-parks", title_ko="의정부시 도시공원현황", department="parks")
    publish_table(dataset, PARKS, fields=PARK_FIELDS)
    return dataset


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def counts(resource: Resource) -> tuple[int, int]:
    resource.refresh_from_db()
    return resource.download_count, Dataset.objects.get(pk=resource.dataset_id).download_count


def test_original_file_as_uploaded_and_counted(client, parks):
    resource = parks.resources.get()
    version = resource.current_version

    response = client.get(f"/open-data/files/{resource.pk}/")

    content = body(response)
    assert response.status_code == 200
    assert content == version.upload.open("rb").read()
    assert content.decode("cp949").startswith("공원명,면적")  # the department's own encoding
    assert response["Content-Type"] == "text/csv; charset=cp949"
    assert "attachment" in response["Content-Disposition"]
    assert "filename*=utf-8''%EA%B3%B5%EC%9B%90.csv" in response["Content-Disposition"]
    assert counts(resource) == (1, 1)


def test_every_published_version_stays_downloadable(client, parks):
    resource = parks.resources.get()
    first = resource.current_version
    second = publish_table(parks, PARKS[:1], fields=PARK_FIELDS, resource=resource, original_name="공원-2024.csv")
    failed = ResourceVersion(resource=resource, number=3, original_name="broken.csv", status="failed", size=4)
    failed.upload.save("broken.csv", ContentFile(b"\x00\x01junk"), save=False)
    failed.save()

    old = client.get(f"/open-data/files/{resource.pk}/v1/")
    current = client.get(f"/open-data/files/{resource.pk}/")

    assert body(old) == first.upload.open("rb").read()
    assert body(current) == second.upload.open("rb").read()
    assert "%EA%B3%B5%EC%9B%90-2024.csv" in current["Content-Disposition"]
    never_published = client.get(f"/open-data/files/{resource.pk}/v3/")
    assert never_published.status_code == 404
    assert "공개된 적이 없습니다" in never_published.content.decode()
    assert client.get(f"/open-data/files/{resource.pk}/v9/").status_code == 404
    assert counts(resource) == (2, 2)


def test_csv_starts_with_a_bom_and_holds_the_utf8_rows(client, parks):
    resource = parks.resources.get()

    response = client.get(f"/open-data/files/{resource.pk}.csv")

    content = body(response)
    assert response.status_code == 200
    assert content[:3] == codecs.BOM_UTF8 and content[3:6] != codecs.BOM_UTF8
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "%EA%B3%B5%EC%9B%90.csv" in response["Content-Disposition"]
    lines = content[3:].decode("utf-8").splitlines()
    assert lines[0] == "공원명,면적,위도,경도"
    assert lines[1] == "직동근린공원,420000.5,37.7465,127.0489"
    assert lines[4] == "좌표 없는 공원,5000,,"
    assert counts(resource) == (1, 1)


def test_a_bom_already_in_the_stored_csv_is_not_doubled(client, parks):
    version = parks.resources.get().current_version
    version.utf8_csv.save("with-bom.csv", ContentFile(codecs.BOM_UTF8 + "공원명\n직동\n".encode()), save=True)

    content = body(client.get(f"/open-data/files/{version.resource_id}.csv"))

    assert content == codecs.BOM_UTF8 + "공원명\n직동\n".encode()


def test_xlsx_opens_back_with_the_rows_as_values(client, parks):
    resource = parks.resources.get()
    version = resource.current_version
    # A cell that Excel would run as a formula stays text.
    version.rows.filter(number=2).update(data={"공원명": '=HYPERLINK("http://evil")', "면적": 1})

    response = client.get(f"/open-data/files/{resource.pk}.xlsx")

    assert response.status_code == 200
    assert response["Content-Type"] == downloads.CONTENT_TYPES[Resource.Format.XLSX]
    assert "%EA%B3%B5%EC%9B%90.xlsx" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(body(response)))
    rows = list(book["data"].iter_rows(values_only=True))
    assert rows[0] == ("공원명", "면적", "위도", "경도")
    assert rows[1] == ("직동근린공원", 420000.5, 37.7465, 127.0489)
    assert rows[2] == ('=HYPERLINK("http://evil")', 1, None, None)
    assert book["data"].cell(row=3, column=1).data_type == "s"
    assert rows[4] == ("좌표 없는 공원", 5000, None, None)
    assert book.sheetnames == ["data"]
    assert counts(resource) == (1, 1)


def test_xlsx_stops_at_the_sheet_limit_and_says_so(client, parks, monkeypatch):
    monkeypatch.setattr(downloads, "XLSX_MAX_ROWS", 2)
    resource = parks.resources.get()

    book = openpyxl.load_workbook(
        io.BytesIO(body(client.get(f"/open-data/files/{resource.pk}.xlsx", HTTP_ACCEPT_LANGUAGE="en")))
    )

    assert len(list(book["data"].iter_rows())) == 3  # the header and two rows
    note = book["note"].cell(row=1, column=1).value
    assert "the first 2 of 4 rows" in note


def test_files_without_rows_have_no_csv_or_xlsx(client, make_dataset):
    dataset = make_dataset("trails", title_ko="소풍길")
    resource = Resource.objects.create(dataset=dataset, name_ko="노선", format=Resource.Format.GEOJSON)
    raw = json.dumps({"type": "FeatureCollection", "features": []}).encode()
    publish_file(resource, "trails.geojson", raw)

    original = client.get(f"/open-data/files/{resource.pk}/")
    assert original["Content-Type"] == "application/geo+json" and body(original) == raw
    for suffix in (".csv", ".xlsx"):
        response = client.get(f"/open-data/files/{resource.pk}{suffix}", HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 404
        assert "no table of rows" in response.content.decode()
    assert counts(resource) == (1, 1)


def test_nothing_from_unpublished_datasets_api_links_or_unknown_files(client, parks, make_dataset):
    resource = parks.resources.get()
    api = Resource.objects.create(dataset=parks, name_ko="API", kind="api", format="API", url="https://api.example.kr")
    Dataset.objects.filter(pk=parks.pk).update(is_published=False)

    for path in (f"{resource.pk}/", f"{resource.pk}/v1/", f"{resource.pk}.csv", f"{resource.pk}.xlsx"):
        assert client.get(f"/open-data/files/{path}").status_code == 404
    Dataset.objects.filter(pk=parks.pk).update(is_published=True)
    assert client.get(f"/open-data/files/{api.pk}/").status_code == 404
    assert client.get("/open-data/files/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert counts(resource) == (0, 0)


def test_a_file_missing_on_disk_is_a_clear_404(client, parks):
    version = parks.resources.get().current_version
    version.upload.storage.delete(version.upload.name)

    response = client.get(f"/open-data/files/{version.resource_id}/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert "missing from the server" in response.content.decode()
