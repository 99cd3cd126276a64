"""Filing through the APIs looks its API client and category up in the cache, and a change to
either is seen by the very next request."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.complaints import services
from apps.complaints.models import ApiClient, Category, CategoryQuestion, Complaint
from apps.municipalities.models import Department

REPORT = {"category": "pothole", "description": "도로가 움푹 파였어요", "latitude": 37.7381, "longitude": 127.0337}


@pytest.fixture
def key(city):
    return services.api_client_create(municipality=city, name="협력 앱")[1]


def file(client, key: str, **changes):
    body = json.dumps({**REPORT, **changes})
    return client.post("/api/v1/complaints/", body, content_type="application/json", HTTP_AUTHORIZATION=f"Token {key}")


def test_filing_again_reads_neither_the_client_nor_the_category_from_the_database(client, key):
    assert file(client, key).status_code == 201
    with CaptureQueriesContext(connection) as queries:
        assert file(client, key).status_code == 201
    looked_up = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith("SELECT")
        and any(table in query["sql"] for table in ("complaints_apiclient", "complaints_category"))
    ]
    assert looked_up == []


def test_a_deactivated_or_replaced_key_is_refused_by_the_next_request(client, city, key):
    assert file(client, key).status_code == 201
    api_client = ApiClient.objects.get(name="협력 앱")
    api_client.is_active = False
    api_client.save()
    assert file(client, key).status_code == 401

    services.api_client_ensure(
        municipality=city, name="협력 앱", key="first-key", consent_purpose="", can_look_up_by_phone=False
    )
    assert file(client, "first-key").status_code == 201
    services.api_client_ensure(
        municipality=city, name="협력 앱", key="second-key", consent_purpose="", can_look_up_by_phone=False
    )
    assert file(client, "first-key").status_code == 401
    assert file(client, "second-key").status_code == 201


def test_a_changed_category_is_seen_by_the_next_filing(client, city, key):
    pothole = Category.objects.get(municipality=city, code="pothole")
    assert file(client, key).status_code == 201

    CategoryQuestion.objects.create(
        category=pothole, code="lane", datatype="string", required=True, description_ko="차로", description_en="Lane"
    )
    missing = file(client, key)
    assert missing.status_code == 400 and missing.json()["code"] == "attributes_missing"
    assert file(client, key, attributes={"lane": "2차로"}).status_code == 201

    pothole.department = Department.objects.get(municipality=city, code="road-lighting")
    pothole.save()
    moved = file(client, key, attributes={"lane": "2차로"})
    assert Complaint.objects.get(number=moved.json()["number"]).department == pothole.department

    pothole.is_active = False
    pothole.save()
    assert file(client, key, attributes={"lane": "2차로"}).status_code == 400
