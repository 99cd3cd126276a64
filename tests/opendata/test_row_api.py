import pytest
from django.utils import timezone

from apps.opendata.models import DatastoreRow, Resource, ResourceVersion
from apps.opendata.services import dataset_refresh

PARKING_FIELDS = [
    {"name": "주차장명", "type": "string", "title": "주차장 이름"},
    {"name": "구분", "type": "string"},
    {"name": "주차면수", "type": "integer"},
    {"name": "요금", "type": "number", "description": "30분 기본요금(원)"},
]
PARKING_ROWS = [
    {"주차장명": "의정부역 공영주차장", "구분": "공영", "주차면수": 120, "요금": 600},
    {"주차장명": "회룡역 노상주차장", "구분": "공영", "주차면수": 35, "요금": 400},
    {"주차장명": "신세계백화점 주차장", "구분": "민영", "주차면수": 900},
    {"주차장명": "가능동 공영주차장", "구분": "공영", "주차면수": 60, "요금": 500},
    {"주차장명": "민락동 민영주차장", "구분": "민영", "주차면수": 80, "요금": 1000.5},
]


def publish_table(dataset, rows=PARKING_ROWS, fields=PARKING_FIELDS, *, name_ko="주차장 목록", size=2048) -> Resource:
    """A CSV resource whose first version is published with these rows, as the ingest leaves it."""
    resource = Resource.objects.create(dataset=dataset, name_ko=name_ko, format=Resource.Format.CSV)
    version = ResourceVersion.objects.create(
        resource=resource,
        number=1,
        upload=f"opendata/{resource.pk}/parking.csv",
        original_name="parking.csv",
        size=size,
        sha256="ab" * 32,
        status=ResourceVersion.Status.READY,
        row_count=len(rows),
        schema={"fields": fields},
        schema_valid=True,
        published_at=timezone.now(),
    )
    DatastoreRow.objects.bulk_create(
        DatastoreRow(version=version, number=number, data={key: value for key, value in row.items() if value != ""})
        for number, row in enumerate(rows, 1)
    )
    resource.current_version = version
    resource.save()
    dataset.data_updated_at = version.published_at
    dataset.save()
    dataset_refresh(dataset)
    return resource


def rows_url(resource) -> str:
    return f"/api/v1/opendata/resources/{resource.pk}/rows/"


def test_rows_filter_sort_and_page(client, make_dataset):
    resource = publish_table(make_dataset("parking"))

    page = client.get(rows_url(resource), {"구분": "공영", "sort": "-주차면수", "limit": 2}).json()

    assert page["count"] == 3
    assert [row["주차장명"] for row in page["results"]] == ["의정부역 공영주차장", "가능동 공영주차장"]
    assert page["results"][0]["_id"] == 1
    assert [field["name"] for field in page["fields"]] == ["_id", "주차장명", "구분", "주차면수", "요금"]
    assert page["previous"] is None
    following = client.get(page["next"]).json()
    assert [row["주차장명"] for row in following["results"]] == ["회룡역 노상주차장"]
    assert following["next"] is None and following["previous"] is not None


def test_rows_search_inside_cells_choose_fields_and_numeric_filters(client, make_dataset):
    resource = publish_table(make_dataset("parking"))

    found = client.get(rows_url(resource), {"q": "역", "fields": "주차장명,요금", "sort": "요금"}).json()
    assert found["results"] == [
        {"_id": 2, "주차장명": "회룡역 노상주차장", "요금": 400},
        {"_id": 1, "주차장명": "의정부역 공영주차장", "요금": 600},
    ]
    by_number = client.get(rows_url(resource), {"주차면수": "900"}).json()
    assert [row["_id"] for row in by_number["results"]] == [3]
    any_of = client.get(rows_url(resource) + "?주차면수=35&주차면수=60").json()
    assert [row["_id"] for row in any_of["results"]] == [2, 4]
    # A missing cell sorts last whichever way.
    by_fee = client.get(rows_url(resource), {"sort": "-요금"}).json()
    assert [row["_id"] for row in by_fee["results"]][-1] == 3


def test_unknown_columns_are_a_clear_400(client, make_dataset):
    resource = publish_table(make_dataset("parking"))

    for params in ({"주소": "의정부동"}, {"sort": "-주소"}, {"fields": "주차장명,주소"}):
        response = client.get(rows_url(resource), params)
        assert response.status_code == 400, params
        assert response.json()["column"] == "주소"
        assert "주소" in response.json()["detail"] and "주차면수" in response.json()["detail"]
    assert client.get(rows_url(resource), {"limit": "many"}).status_code == 400
    assert client.get(rows_url(resource), {"offset": "-1"}).status_code == 400


def test_limit_is_capped(client, make_dataset):
    rows = [{"번호": number} for number in range(1, 1101)]
    resource = publish_table(make_dataset("many"), rows, [{"name": "번호", "type": "integer"}])

    page = client.get(rows_url(resource), {"limit": 5000}).json()

    assert page["count"] == 1100
    assert len(page["results"]) == 1000
    assert "offset=1000" in page["next"]


def test_rows_only_for_published_tables_of_this_city(client, make_dataset):
    hidden = publish_table(make_dataset("hidden", is_published=False))
    no_file = Resource.objects.create(dataset=make_dataset("empty"), name_ko="아직 없음")

    assert client.get(rows_url(hidden)).status_code == 404
    assert client.get(rows_url(no_file)).status_code == 404
    assert client.get("/api/v1/opendata/resources/00000000-0000-0000-0000-000000000000/rows/").status_code == 404


def test_dataset_list_searches_with_facets_and_detail_links_to_rows(client, make_dataset):
    parking = make_dataset("public-parking", title_ko="의정부시 공영주차장 현황", keywords=("주차",))
    publish_table(parking)
    make_dataset("parks", title_ko="도시공원 현황", department="parks", category="environment")

    page = client.get("/api/v1/opendata/datasets/", {"q": "주차장"}).json()
    assert page["count"] == 1
    assert page["results"][0]["slug"] == "public-parking"
    assert {"value": "CSV", "count": 1} in page["facets"]["res_format"]

    everything = client.get("/api/v1/opendata/datasets/", {"sort": "title", "limit": 1}).json()
    assert everything["count"] == 2 and [item["slug"] for item in everything["results"]] == ["parks"]
    assert "offset=1" in everything["next"]
    by_department = client.get("/api/v1/opendata/datasets/", {"organization": "parks"}).json()
    assert [item["slug"] for item in by_department["results"]] == ["parks"]
    assert client.get("/api/v1/opendata/datasets/", {"sort": "random"}).status_code == 400

    detail = client.get("/api/v1/opendata/datasets/public-parking/").json()
    assert detail["keywords"] == ["주차"] and detail["department"] == "big-data"
    assert detail["page_url"].endswith("/open-data/datasets/public-parking/")
    (resource,) = detail["resources"]
    assert resource["row_count"] == 5 and resource["version"] == 1
    assert resource["downloads"][0]["url"].endswith(f"/open-data/files/{resource['id']}/")
    assert resource["downloads"][0]["size"] == 2048
    rows = client.get(resource["rows_url"], {"limit": 1}).json()
    assert rows["count"] == 5
    assert client.get("/api/v1/opendata/datasets/nope/").status_code == 404


def test_row_api_is_in_the_openapi_schema(client, city):
    schema = client.get("/api/schema/", {"format": "json"}).json()

    assert "/api/v1/opendata/resources/{resource_id}/rows/" in schema["paths"]
    assert "/api/v1/opendata/datasets/" in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/api/v1/opendata/datasets/"]["get"]["parameters"]}
    assert {"q", "sort", "limit", "offset", "organization", "tags"} <= parameters


HUGE = "99999999999999999999999"


@pytest.mark.parametrize("offset", [HUGE, str(2**31), "-1", "1.5", "ten", "1e3"])
def test_offsets_no_page_starts_at_are_a_400(client, make_dataset, offset):
    resource = publish_table(make_dataset("parking"))

    for url in (rows_url(resource), "/api/v1/opendata/datasets/"):
        response = client.get(url, {"offset": offset})
        assert response.status_code == 400, (url, response.content)
        assert response.json()["offset"]


def test_the_largest_offset_is_an_empty_page(client, make_dataset):
    resource = publish_table(make_dataset("parking"))

    rows = client.get(rows_url(resource), {"offset": 2**31 - 1})
    datasets = client.get("/api/v1/opendata/datasets/", {"offset": 2**31 - 1})

    assert rows.status_code == 200 and rows.json()["count"] == 5 and rows.json()["results"] == []
    assert datasets.status_code == 200 and datasets.json()["count"] == 1 and datasets.json()["results"] == []


def test_a_huge_limit_is_cut(client, make_dataset):
    resource = publish_table(make_dataset("parking"))

    assert len(client.get(rows_url(resource), {"limit": HUGE}).json()["results"]) == 5
    assert len(client.get("/api/v1/opendata/datasets/", {"limit": HUGE}).json()["results"]) == 1


def test_a_resource_without_a_table_has_null_rows_as_the_schema_says(client, make_dataset):
    Resource.objects.create(dataset=make_dataset("bus-stops"), name_ko="정류장", format="JSON")
    schema = client.get("/api/schema/", {"format": "json"}).json()["components"]["schemas"]["Resource"]

    (resource,) = client.get("/api/v1/opendata/datasets/bus-stops/").json()["resources"]

    assert resource["row_count"] is None and resource["rows_url"] is None
    assert schema["properties"]["row_count"]["nullable"] is True
    assert schema["properties"]["rows_url"]["nullable"] is True


@pytest.mark.parametrize("value", ["1e400", "-inf", "nan", "9" * 400])
def test_numbers_json_cannot_hold_match_nothing(client, make_dataset, value):
    resource = publish_table(make_dataset("parking"))

    page = client.get(rows_url(resource), {"주차면수": value})

    assert page.status_code == 200 and page.json()["count"] == 0
