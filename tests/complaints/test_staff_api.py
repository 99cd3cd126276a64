"""The staff API: session sign-in only, the inbox filters, the full timeline, contact details only
with the permission and every time logged."""

import pytest

from apps.complaints import services
from apps.complaints.models import ContactAccess
from tests.complaints.photo_files import phone_photo
from tests.complaints.test_staff_support import CITY_WIDE, CONSENTED, ROADS, file_case, staff_user

LIST = "/api/v1/staff/complaints/"


@pytest.fixture
def roads(city):
    return staff_user("roads", departments=ROADS)


@pytest.fixture
def case(city):
    return file_case(city, "streetlight", contact=CONSENTED, dong="호원1동", photo_uploads=[phone_photo()])


def test_the_list_pages_and_filters_like_the_inbox(client, roads, case, city):
    answered = services.complaint_answer(complaint=file_case(city, "pothole"), actor=roads, message="완료")
    client.force_login(roads)
    everything = client.get(LIST).json()
    assert everything["count"] == 2
    assert [row["number"] for row in everything["results"]] == [answered.number, case.number]
    row = everything["results"][1]
    assert (row["status"], row["category"], row["department"], row["dong"]) == (
        "received",
        "streetlight",
        "road-lighting",
        "호원1동",
    )
    assert "contact" not in row and "description" not in row
    assert [r["number"] for r in client.get(f"{LIST}?status=answered").json()["results"]] == [answered.number]
    assert [r["number"] for r in client.get(f"{LIST}?dong=호원1동").json()["results"]] == [case.number]
    assert len(client.get(f"{LIST}?limit=1").json()["results"]) == 1


def test_the_detail_has_the_full_timeline_and_photos_but_no_contact_without_the_permission(client, roads, case):
    services.complaint_add_note(complaint=case, actor=roads, message="현장 확인 예정")
    client.force_login(roads)
    detail = client.get(f"{LIST}{case.pk}/").json()
    assert detail["number"] == case.number and detail["description"] == "민원 내용입니다"
    assert [(e["kind"], e["is_public"], e["actor"]) for e in detail["timeline"]] == [
        ("status", True, None),
        ("note", False, "roads"),
    ]
    assert detail["photos"] == [f"http://testserver/complaints/photos/{case.photos.get().uuid}.jpg"]
    assert detail["contact"] is None
    assert not ContactAccess.objects.exists()


def test_contact_details_in_the_api_need_the_permission_and_are_logged(client, case, city):
    chief = staff_user("chief", group=CITY_WIDE)
    client.force_login(chief)
    detail = client.get(f"{LIST}{case.pk}/", REMOTE_ADDR="10.0.0.7").json()
    assert detail["contact"]["phone"] == "010-2345-6789" and detail["contact"]["name"] == "김민원"
    access = ContactAccess.objects.get()
    assert (access.complaint, access.user, access.route, access.ip_address) == (case, chief, "api", "10.0.0.7")
    # The list never carries contact details, so it logs nothing.
    client.get(LIST)
    assert ContactAccess.objects.count() == 1


def test_only_a_signed_in_session_with_the_permission_gets_in(client, django_user_model, case, city):
    assert client.get(LIST).status_code == 403
    key = services.api_client_create(municipality=city, name="챗봇")[1]
    assert client.get(LIST, HTTP_AUTHORIZATION=f"Token {key}").status_code in (401, 403)
    client.force_login(django_user_model.objects.create_user("resident", password="x"))
    assert client.get(LIST).status_code == 403
    assert client.get(f"{LIST}{case.pk}/").status_code == 403


def test_the_schema_documents_the_staff_api(client, city):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert "/api/v1/staff/complaints/" in schema["paths"]
    assert "/api/v1/staff/complaints/{id}/" in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/api/v1/staff/complaints/"]["get"]["parameters"]}
    assert {"overdue", "due_soon", "dong", "status", "q", "received_from"} <= parameters
