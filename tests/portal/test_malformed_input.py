"""NUL characters and deeply nested JSON: refused with a 400 in the caller's format, never a 500
(PostgreSQL refuses NUL in text; Python's JSON parser recurses once per level)."""

import json
from xml.etree import ElementTree

import pytest

from apps.complaints import services
from apps.complaints.models import Complaint
from portal.middleware import MAX_JSON_DEPTH, json_depth

NUL_MESSAGE_KO = "NUL 문자"


@pytest.fixture
def api_key(city):
    return services.api_client_create(municipality=city, name="NUL 시험", consent_purpose="처리 결과 안내")[1]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/complaints/categories/?municipality=%00",
        "/api/v1/departments/?municipality=%00",
        "/api/v1/opendata/datasets/?municipality=%00",
        "/api/v1/opendata/datasets/?q=a%00b",
        "/api/v1/complaints/%00/",
        "/api/v1/complaints/%00/?token=x",
        "/api/v1/complaints/nearby/?latitude=37.7&longitude=127.0&category=%00",
    ],
)
def test_nul_in_an_api_query_or_path_is_a_400(client, city, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="ko")
    assert response.status_code == 400, response.content
    assert NUL_MESSAGE_KO in response.json()["detail"]


def test_nul_in_open311_answers_in_open311s_error_shape(client, city):
    response = client.get("/open311/v2/services.json?service_code=%00", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    [error] = response.json()
    assert error["code"] == 400 and "NUL character" in error["description"]
    response = client.get("/open311/v2/requests.xml?service_code=%00")
    assert response.status_code == 400
    assert ElementTree.fromstring(response.content).find("error/code").text == "400"


@pytest.mark.parametrize("url", ["/api/3/action/package_show?id=%00", "/api/3/action/package_search?q=%00"])
def test_nul_in_a_ckan_call_answers_in_ckans_error_shape(client, city, url):
    response = client.get(url)
    assert response.status_code == 400
    body = response.json()
    assert body["success"] is False and body["error"]["__type"] == "Bad Request"


def test_nul_in_a_page_query_or_form_is_a_400_page(client, city):
    response = client.get("/ko/complaints/cases/?category=%00")
    assert response.status_code == 400
    assert NUL_MESSAGE_KO in response.content.decode()
    response = client.post("/ko/complaints/report/", {"description": "가로등\x00이 꺼졌어요", "action": "preview"})
    assert response.status_code == 400


def test_nul_inside_a_json_string_is_a_400_and_nothing_is_filed(client, city, api_key):
    body = {
        "category": "illegal-parking",
        "description": "골목에 차가 계속 주차돼 있어요",
        "address": "의정부동 행복로 12",
        "attributes": {"licence_plate": "12가\u00003456"},
    }
    response = client.post(
        "/api/v1/complaints/", json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Token {api_key}"
    )
    assert response.status_code == 400, response.content
    assert not Complaint.objects.exists()
    # A NUL in a key counts too; an escaped backslash followed by "u0000" is ordinary text.
    assert (
        client.post("/api/v1/complaints/triage", '{"te\\u0000xt": "a"}', content_type="application/json").status_code
        == 400
    )
    response = client.post("/api/v1/complaints/triage", '{"text": "\\\\u0000 가로등"}', content_type="application/json")
    assert response.status_code == 200


@pytest.mark.parametrize("field", ["text", "attributes"])
def test_json_nested_thousands_of_levels_deep_is_a_400(client, city, api_key, field):
    nested = "[" * 3000 + "]" * 3000
    if field == "text":
        url, body, headers = "/api/v1/complaints/triage", f'{{"text": {nested}}}', {}
    else:
        url = "/api/v1/complaints/"
        body = f'{{"category": "illegal-parking", "description": "주차", "attributes": {{"a": {nested}}}}}'
        headers = {"HTTP_AUTHORIZATION": f"Token {api_key}"}
    response = client.post(url, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en", **headers)
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]


def test_depth_is_counted_outside_strings_without_recursion():
    assert json_depth('{"a": "[[[[{{{{", "b": [1, {"c": "\\"]]]"}]}') == 3
    assert json_depth("[" * 100_000 + "]" * 100_000) == 100_000
    ordinary = {"type": "FeatureCollection", "features": [{"geometry": {"coordinates": [[[127.0, 37.7]]]}}]}
    assert json_depth(json.dumps(ordinary)) <= MAX_JSON_DEPTH
