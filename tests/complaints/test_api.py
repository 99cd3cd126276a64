import json

import pytest
from django.core.cache import cache
from django.core.management import call_command

from apps.complaints import services
from apps.complaints.models import Category, Complaint

CITY_HALL = {"latitude": 37.7381, "longitude": 127.0337}


@pytest.fixture(autouse=True)
def _own_cache(settings):
    """The nearby limit counts in a cache of this test's own."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


@pytest.fixture
def bot_key(city):
    return services.api_client_create(municipality=city, name="민원 챗봇", consent_purpose="처리 결과 문자 안내")[1]


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("parking", password="x")


def post_json(client, url, body, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def test_a_trusted_client_files_a_case_and_the_reporter_follows_it(client, city, bot_key, staff):
    body = {
        "category": "illegal-parking",
        "description": "골목에 차가 계속 주차돼 있어서 차가 못 지나가요",
        "address": "의정부동 행복로 12",
        "channel": "chat",
        "attributes": {"licence_plate": "12가3456"},
        # A purpose in the body is not what the resident agreed to: the client's registered one is kept.
        "contact": {"phone": "010-2222-3333", "consent_purpose": "마케팅 정보 수신"},
        **CITY_HALL,
    }
    assert post_json(client, "/api/v1/complaints/", body).status_code in (401, 403)
    assert post_json(client, "/api/v1/complaints/", body, HTTP_AUTHORIZATION="Token nope").status_code == 401
    response = post_json(client, "/api/v1/complaints/", body, HTTP_AUTHORIZATION=f"Token {bot_key}")
    assert response.status_code == 201, response.content
    created = response.json()
    case = Complaint.objects.get(number=created["number"])
    assert case.channel == "chat" and case.department.code == "parking-enforcement"
    assert case.contact_phone == "010-2222-3333" and case.contact_consent_purpose == "처리 결과 문자 안내"

    services.complaint_accept(complaint=case, actor=staff, message="현장에 단속 요원을 보냈습니다.")
    url = f"/api/v1/complaints/{case.number}/"
    assert client.get(url, {"token": "guess"}).status_code == 404
    assert client.get(url).status_code == 404
    status = client.get(url, {"token": created["tracking_token"]}).json()
    assert status["status"] == "accepted" and status["due_date"] == created["due_date"]
    assert [event["status"] for event in status["timeline"]] == ["received", "accepted"]
    assert status["timeline"][-1]["message"] == "현장에 단속 요원을 보냈습니다."
    assert "contact_phone" not in json.dumps(status)


def test_filing_through_the_api_refuses_what_the_service_refuses(client, city, bot_key):
    auth = {"HTTP_AUTHORIZATION": f"Token {bot_key}"}
    no_location = {"category": "streetlight", "description": "가로등이 꺼졌어요"}
    response = post_json(client, "/api/v1/complaints/", no_location, **auth)
    assert response.status_code == 400 and response.json()["code"] == "location_missing"
    unknown = post_json(client, "/api/v1/complaints/", {**no_location, "category": "ufo", **CITY_HALL}, **auth)
    assert unknown.status_code == 400 and "ufo" in unknown.json()["category"][0]
    wrong_types = post_json(client, "/api/v1/complaints/", {**no_location, "latitude": "north"}, **auth)
    assert wrong_types.status_code == 400 and "latitude" in wrong_types.json()
    assert not Complaint.objects.exists()


def test_similar_open_cases_nearby_are_offered_before_filing(client, city, staff):
    streetlight = Category.objects.get(code="streetlight")
    near = services.complaint_submit(
        category=streetlight,
        description="보안등 꺼짐 010-1234-5678",
        channel="web",
        latitude=37.7381,
        longitude=127.0339,
    ).complaint  # about 18 m away
    services.complaint_submit(
        category=streetlight, description="다른 골목 보안등", channel="web", latitude=37.7390, longitude=127.0337
    )  # about 100 m away
    answered = services.complaint_submit(
        category=streetlight, description="이미 고친 보안등", channel="web", **CITY_HALL
    ).complaint
    services.complaint_answer(complaint=answered, actor=staff, message="교체 완료")
    found = client.get("/api/v1/complaints/nearby/", {"category": "streetlight", **CITY_HALL}).json()
    assert [row["number"] for row in found] == [near.number]
    assert found[0]["distance_m"] == 50  # "within 50 m": exact distances would locate the case
    assert found[0]["description"] == "보안등 꺼짐 010-****-****"


def test_similar_cases_of_private_categories_are_not_offered(client, city):
    services.complaint_submit(
        category=Category.objects.get(code="illegal-parking"),
        description="12가3456 이웃 차",
        channel="web",
        **CITY_HALL,
    )
    assert client.get("/api/v1/complaints/nearby/", {"category": "illegal-parking", **CITY_HALL}).json() == []


def test_the_openapi_schema_is_valid_and_documents_the_complaint_api(db, tmp_path):
    schema = tmp_path / "schema.json"
    call_command("spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", "--file", str(schema))
    document = json.loads(schema.read_text())
    paths = document["paths"]
    # The chatbot's key, documented by the extension beside ApiClientAuthentication.
    assert document["components"]["securitySchemes"]["ApiClientToken"]["name"] == "Authorization"
    for path in (
        "/api/v1/complaints/triage",
        "/api/v1/complaints/",
        "/api/v1/complaints/nearby/",
        "/api/v1/complaints/{number}/",
    ):
        assert path in paths
    assert not any(path.startswith("/admin/") for path in paths)


def test_each_filing_validates_with_fields_of_its_own():
    from apps.complaints.api import ComplaintCreateSerializer

    good = ComplaintCreateSerializer(data={"category": "pothole", "description": "도로가 파였어요", **CITY_HALL})
    bad = ComplaintCreateSerializer(
        data={"category": "pothole", "description": "", "contact": {"email": "메일 아님"}, "photos": ["x"]}
    )
    assert good.is_valid(), good.errors
    assert not bad.is_valid()
    assert set(bad.errors) == {"description", "contact", "photos"}
    assert good.validated_data["contact"] is None and good.validated_data["photos"] == []
    for serializer in (good, bad):  # bound to its own serializer, and so to its own request's context
        assert all(field.parent is serializer for field in serializer.fields.values())
    assert good.fields["contact"] is not bad.fields["contact"]
    # The declared fields the copies are made from are never bound to any one request's serializer.
    assert all(field.parent is None for field in ComplaintCreateSerializer._declared_fields.values())
