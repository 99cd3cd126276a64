import json

import pytest

from apps.municipalities.models import Department, Municipality
from apps.opendata.models import Dataset, Resource
from tests.opendata.test_row_api import publish_table


def call(client, name, body=None, *, prefix="/api/3/action/"):
    """POST a JSON body, as ckanapi does."""
    return client.post(f"{prefix}{name}", json.dumps(body or {}), content_type="application/json")


def ok(response):
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["success"] is True and data["help"].endswith(
        f"help_show?name={response.request['PATH_INFO'].rsplit('/', 1)[1]}"
    )
    return data["result"]


def failed(response, status, error_type):
    assert response.status_code == status, response.content
    data = response.json()
    assert data["success"] is False and data["error"]["__type"] == error_type
    return data["error"]


@pytest.fixture
def catalogue(make_dataset):
    parking = make_dataset(
        "public-parking",
        title_ko="의정부시 공영주차장 현황",
        title_en="Public car parks",
        description_en="Car parks",
        keywords=("주차", "교통"),
        spatial_coverage="의정부시",
    )
    publish_table(parking)
    bus = make_dataset("bus-stops", title_ko="버스정류장 위치", keywords=("교통",), licence="CC-BY-4.0")
    Resource.objects.create(dataset=bus, name_ko="정류장", format="JSON")
    make_dataset("parks", title_ko="도시공원 현황", department="parks", category="environment")
    make_dataset("draft", title_ko="주차 초안", is_published=False)
    return parking


def test_status_and_site_read(client, city):
    status = ok(client.get("/api/3/action/status_show"))
    assert status["ckan_version"] == "2.10.4" and status["extensions"] == ["datastore"]
    assert status["site_url"] == "http://testserver"
    assert ok(call(client, "site_read", prefix="/api/action/")) is True


def test_package_list_and_show_in_ckan_shape(client, catalogue):
    assert ok(call(client, "package_list")) == ["bus-stops", "parks", "public-parking"]
    assert ok(client.get("/api/3/action/package_list", {"limit": 1, "offset": 1})) == ["parks"]

    # ckanapi dump sends keys package_show does not know: they are ignored.
    package = ok(call(client, "package_show", {"id": "public-parking", "include_users": False}))
    assert package["name"] == package["id"] == "public-parking"
    assert (
        package["title"] == "의정부시 공영주차장 현황" and package["type"] == "dataset" and package["state"] == "active"
    )
    assert package["owner_org"] == "big-data" and package["organization"]["name"] == "big-data"
    assert package["license_id"] == "KOGL-Type1" and package["license_url"].startswith("https://www.kogl.or.kr/")
    assert package["isopen"] is True
    assert sorted(tag["name"] for tag in package["tags"]) == ["교통", "주차"] and package["num_tags"] == 2
    assert package["groups"][0]["name"] == "transport"
    (resource,) = package["resources"]
    assert package["num_resources"] == 1
    assert resource["package_id"] == "public-parking" and resource["format"] == "CSV"
    assert resource["datastore_active"] is True and resource["size"] == 2048
    assert resource["url"] == f"http://testserver/open-data/files/{resource['id']}/"
    extras = {item["key"]: item["value"] for item in package["extras"]}
    assert extras["frequency"] == "yearly" and extras["title_en"] == "Public car parks"
    assert extras["spatial_text"] == "의정부시" and extras["category"] == "transport"
    assert package["metadata_modified"] >= package["metadata_created"]

    failed(call(client, "package_show", {"id": "draft"}), 404, "Not Found Error")
    failed(call(client, "package_show", {"id": "nope"}), 404, "Not Found Error")
    failed(call(client, "package_show"), 409, "Validation Error")


def test_package_search_q_fq_facets_and_paging(client, catalogue):
    result = ok(call(client, "package_search", {"q": "정류장"}))
    assert result["count"] == 1 and result["results"][0]["name"] == "bus-stops"

    result = ok(
        call(
            client,
            "package_search",
            {
                "fq": 'tags:"교통" +organization:big-data',
                "facet.field": '["tags", "organization", "res_format"]',
                "sort": "title_string asc",
            },
        )
    )
    assert [package["name"] for package in result["results"]] == ["bus-stops", "public-parking"]
    assert result["facets"]["tags"] == {"교통": 2, "주차": 1}
    organization = result["search_facets"]["organization"]
    assert organization["items"] == [{"name": "big-data", "display_name": "빅데이터팀", "count": 2}]
    assert result["sort"] == "title_string asc"

    by_format = ok(client.get("/api/3/action/package_search", {"fq": "res_format:CSV AND license_id:KOGL-Type1"}))
    assert [package["name"] for package in by_format["results"]] == ["public-parking"]
    any_group = ok(call(client, "package_search", {"fq": "groups:(transport OR environment)", "rows": 1, "start": 1}))
    assert any_group["count"] == 3 and len(any_group["results"]) == 1
    assert any_group["facets"] == {}  # no facet.field, no facets, as in CKAN
    everything = ok(call(client, "package_search", {"q": "*:*", "facet.field": ["tags"], "facet.limit": 1}))
    assert everything["count"] == 3 and everything["facets"]["tags"] == {"교통": 2}


def test_rows_over_the_maximum_are_cut_as_ckan_does(client, make_dataset):
    for number in range(3):
        make_dataset(f"d{number}")

    result = ok(call(client, "package_search", {"rows": 100000}))

    assert result["count"] == 3 and len(result["results"]) == 3


@pytest.mark.parametrize(
    ("body", "status", "error_type", "field"),
    [
        ({"rows": "abc"}, 409, "Validation Error", "rows"),
        ({"rows": -1}, 409, "Validation Error", "rows"),
        ({"start": [1]}, 409, "Validation Error", "start"),
        ({"sort": "popularity desc"}, 409, "Validation Error", "sort"),
        ({"sort": "title_string sideways"}, 409, "Validation Error", "sort"),
        ({"facet.field": '["colour"]'}, 409, "Validation Error", "facet.field"),
        ({"facet.field": "[not json"}, 409, "Validation Error", "facet.field"),
        ({"fq": "colour:red"}, 400, "Search Query Error", None),
        ({"fq": "-tags:주차"}, 400, "Search Query Error", None),
        ({"fq": "tags:주차 OR"}, 400, "Search Query Error", None),
    ],
)
def test_bad_search_arguments_are_ckan_errors(client, catalogue, body, status, error_type, field):
    error = failed(call(client, "package_search", body), status, error_type)
    if field:
        assert isinstance(error[field], list) and error[field][0]
    assert error["message"]


def test_bad_requests_never_fail_inside(client, city):
    response = client.post("/api/3/action/package_search", "{not json", content_type="application/json")
    assert failed(response, 400, "Bad Request")["message"].startswith("JSON 오류")  # Korean unless asked otherwise
    english = client.post(
        "/api/3/action/package_search", "{not json", content_type="application/json", headers={"Accept-Language": "en"}
    )
    assert failed(english, 400, "Bad Request")["message"].startswith("JSON Error")
    failed(client.post("/api/3/action/package_search", "[1]", content_type="application/json"), 400, "Bad Request")
    failed(call(client, "package_create", {"name": "x"}), 400, "Bad Request")
    assert client.put("/api/3/action/package_list").status_code == 405
    # The old CKAN form: the JSON body as the only field's name.
    form = client.post("/api/3/action/package_list", {json.dumps({"limit": 1}): "1"})
    assert ok(form) == []


def test_organizations_tags_and_resources(client, catalogue):
    assert sorted(ok(call(client, "organization_list"))) == ["big-data", "parks"]
    assert ok(call(client, "organization_list", {"sort": "name desc"})) == ["parks", "big-data"]
    assert ok(call(client, "organization_list", {"sort": "package_count desc"}))[0] == "big-data"
    full = ok(call(client, "organization_list", {"all_fields": True, "sort": "name asc"}))
    assert full[0]["name"] == "big-data" and full[0]["package_count"] == 2 and full[0]["is_organization"] is True
    failed(call(client, "organization_list", {"sort": "colour"}), 409, "Validation Error")

    organization = ok(call(client, "organization_show", {"id": "parks", "include_datasets": "true"}))
    assert organization["package_count"] == 1 and [p["name"] for p in organization["packages"]] == ["parks"]
    assert "packages" not in ok(call(client, "organization_show", {"id": "parks"}))
    failed(call(client, "organization_show", {"id": "traffic"}), 404, "Not Found Error")  # publishes nothing

    assert ok(call(client, "tag_list")) == ["교통", "주차"]
    assert ok(call(client, "tag_list", {"query": "주"})) == ["주차"]

    resource_id = str(catalogue.resources.get().pk)
    assert ok(call(client, "resource_show", {"id": resource_id}))["name"] == "주차장 목록"
    failed(call(client, "resource_show", {"id": "not-a-uuid"}), 404, "Not Found Error")
    assert "fq" in ok(client.get("/api/3/action/help_show", {"name": "package_search"}))


def test_datastore_search_filters_sort_fields_and_links(client, catalogue):
    resource_id = str(catalogue.resources.get().pk)

    result = ok(
        call(
            client,
            "datastore_search",
            {
                "resource_id": resource_id,
                "filters": {"구분": "공영"},
                "sort": "주차면수 desc",
                "fields": ["주차장명", "주차면수"],
                "limit": 2,
            },
        )
    )
    assert result["total"] == 3 and result["limit"] == 2 and result["offset"] == 0
    assert result["fields"] == [
        {"id": "_id", "type": "int"},
        {"id": "주차장명", "type": "text", "info": {"label": "주차장 이름"}},
        {"id": "주차면수", "type": "int"},
    ]
    assert result["records"] == [
        {"_id": 1, "주차장명": "의정부역 공영주차장", "주차면수": 120},
        {"_id": 4, "주차장명": "가능동 공영주차장", "주차면수": 60},
    ]
    following = ok(client.get(result["_links"]["next"]))
    assert [record["_id"] for record in following["records"]] == [2] and following["offset"] == 2

    by_get = ok(
        client.get(
            "/api/action/datastore_search",
            {
                "resource_id": resource_id,
                "q": "역",
                "fields": "주차장명",
                "sort": "요금",
                "filters": '{"구분": ["공영", "민영"]}',
            },
        )
    )
    assert [record["주차장명"] for record in by_get["records"]] == ["회룡역 노상주차장", "의정부역 공영주차장"]
    assert by_get["limit"] == 100
    assert ok(call(client, "datastore_search", {"resource_id": resource_id, "limit": 100000}))["limit"] == 32000


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"filters": {"주소": "x"}}, "filters"),
        ({"sort": "주소 desc"}, "sort"),
        ({"fields": "주차장명,주소"}, "fields"),
    ],
)
def test_datastore_unknown_columns_are_named(client, catalogue, arguments, field):
    resource_id = str(catalogue.resources.get().pk)

    error = failed(call(client, "datastore_search", {"resource_id": resource_id, **arguments}), 409, "Validation Error")

    assert "주소" in error[field][0]


def test_datastore_bad_arguments(client, catalogue):
    resource_id = str(catalogue.resources.get().pk)
    failed(call(client, "datastore_search", {"resource_id": resource_id, "filters": "{oops"}), 409, "Validation Error")
    failed(call(client, "datastore_search", {"resource_id": resource_id, "limit": "ten"}), 409, "Validation Error")
    failed(call(client, "datastore_search"), 409, "Validation Error")
    bus = Dataset.objects.get(slug="bus-stops").resources.get()
    failed(call(client, "datastore_search", {"resource_id": str(bus.pk)}), 404, "Not Found Error")


def test_only_the_requests_city_is_visible(client, catalogue):
    other = Municipality.objects.create(code="yangju", name_ko="양주시", name_en="Yangju")
    department = Department.objects.create(municipality=other, code="big-data", name_ko="데이터팀", name_en="Data")
    Dataset.objects.create(
        municipality=other,
        slug="yangju-parking",
        title_ko="양주 주차",
        department=department,
        category="transport",
        update_cycle="yearly",
    )

    assert "yangju-parking" not in ok(call(client, "package_list"))
    failed(call(client, "package_show", {"id": "yangju-parking"}), 404, "Not Found Error")


HUGE = 99999999999999999999999


@pytest.mark.parametrize(
    ("action", "key"),
    [
        ("package_search", "start"),
        ("datastore_search", "offset"),
        ("package_list", "offset"),
        ("organization_list", "offset"),
    ],
)
@pytest.mark.parametrize(
    ("value", "message"),
    [
        (HUGE, "2147483647"),
        (str(HUGE), "2147483647"),
        (2**31, "2147483647"),
        (-1, "positive"),
        ("-1", "positive"),
        (1.5, "integer"),
        ("1.5", "integer"),
        ("ten", "integer"),
        (float("inf"), "integer"),
        ([1], "integer"),
    ],
)
def test_offsets_no_page_starts_at_are_validation_errors(client, catalogue, action, key, value, message):
    body = {key: value, "resource_id": str(catalogue.resources.get().pk)}
    # Infinity is not JSON, but Python's json (and so ckanapi) writes it and reads it back.
    response = client.post(
        f"/api/3/action/{action}", json.dumps(body), content_type="application/json", headers={"Accept-Language": "en"}
    )

    error = failed(response, 409, "Validation Error")

    assert message in error[key][0] and error["message"].startswith(f"{key}: ")


@pytest.mark.parametrize(("action", "key"), [("package_search", "start"), ("datastore_search", "offset")])
def test_offsets_past_the_end_by_get_are_empty_pages(client, catalogue, action, key):
    resource_id = str(catalogue.resources.get().pk)

    result = ok(client.get(f"/api/3/action/{action}", {key: 2**31 - 1, "resource_id": resource_id}))

    assert result.get("results", result.get("records")) == []
    assert result.get("count", result.get("total")) >= 1


def test_huge_limits_are_cut_and_whole_floats_are_integers(client, catalogue):
    resource_id = str(catalogue.resources.get().pk)

    records = ok(call(client, "datastore_search", {"resource_id": resource_id, "limit": HUGE}))
    search = ok(client.get("/api/3/action/package_search", {"rows": str(HUGE), "facet.limit": str(HUGE)}))
    names = ok(call(client, "package_list", {"limit": HUGE, "offset": 1.0}))
    organizations = ok(call(client, "organization_list", {"limit": HUGE}))

    assert records["limit"] == 32000 and len(records["records"]) == 5
    assert search["count"] == 3 and len(search["results"]) == 3
    assert names == ["parks", "public-parking"]
    assert sorted(organizations) == ["big-data", "parks"]


def test_filters_json_cannot_hold_match_nothing(client, catalogue):
    resource_id = str(catalogue.resources.get().pk)

    for filters in ('{"주차면수": Infinity}', '{"주차면수": NaN}', '{"주차면수": "1e400"}'):
        assert ok(call(client, "datastore_search", {"resource_id": resource_id, "filters": filters}))["total"] == 0
