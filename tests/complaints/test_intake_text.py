"""Control characters that XML 1.0 forbids are refused when a case is filed, whichever way it comes in:
one stored used to make /open311/v2/requests.xml unparseable for every client for 90 days."""

import json

import pytest
from django.utils import translation

from apps.common.text import has_forbidden_characters
from apps.complaints import services
from apps.complaints.models import Category, Complaint

CITY_HALL = {"latitude": 37.7381, "longitude": 127.0337}


def submit(**fields):
    fields = {
        "description": "가로등이 꺼졌어요",
        "channel": "web",
        "attributes": {"light_state": "off"},
        **CITY_HALL,
        **fields,
    }
    return services.complaint_submit(category=Category.objects.get(code="streetlight"), **fields)


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"description": "가로등이\x01\x0b 꺼졌어요"}, "description_control_characters"),
        ({"description": "가로등\x00"}, "description_control_characters"),
        ({"address": "신곡동\x1b[31m 123"}, "location_control_characters"),
        ({"attributes": {"light_state": "off", "pole_number": "12\x0c34"}}, "attributes_control_characters"),
        ({"description": "가로등 \ud800"}, "description_control_characters"),
    ],
)
def test_the_service_refuses_control_characters(city, fields, code):
    with translation.override("ko"), pytest.raises(services.ComplaintError) as refused:
        submit(**fields)
    assert refused.value.code == code
    assert "제어 문자" in refused.value.messages[0]
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(
    ("value", "forbidden"),
    [
        ("줄바꿈\r\n탭\t끝", False),
        ({"a": ["b", {"c": "d\x01"}]}, True),
        ({"\x0b": "key"}, True),
        (["fine", 3, None, {"x": "\ufffe"}], True),
        (None, False),
    ],
)
def test_strings_are_looked_for_at_any_depth(value, forbidden):
    assert has_forbidden_characters(value) is forbidden


def test_deep_nesting_is_walked_without_recursion():
    deep: list = ["\x01"]
    for _ in range(5000):
        deep = [deep]
    assert has_forbidden_characters(deep)


def test_tabs_and_line_breaks_are_ordinary_text(city):
    case = submit(description="가로등이 꺼졌어요\n\t- 2개\r\n- 정문 앞").complaint
    assert "\t- 2개" in case.description


def test_open311_and_the_api_answer_400_in_the_residents_language(client, city):
    key = services.api_client_create(municipality=city, name="시민 앱")[1]
    form = {"api_key": key, "service_code": "pothole", "lat": "37.7381", "long": "127.0337"}
    response = client.post("/open311/v2/requests.json", {**form, "description": "구멍\x01\x0b"})
    assert response.status_code == 400 and "제어 문자" in response.json()[0]["description"]
    body = {"category": "pothole", "description": "구멍\x01\x0b", **CITY_HALL}
    response = client.post(
        "/api/v1/complaints/", json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Token {key}"
    )
    assert response.status_code == 400 and response.json()["code"] == "description_control_characters"
    assert not Complaint.objects.exists()
