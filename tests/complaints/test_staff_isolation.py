"""A department's staff see their own cases only, on every route; the city-wide role sees all."""

import pytest
from django.contrib.auth.models import Permission

from apps.complaints.models import Complaint, ComplaintEvent, ContactAccess
from apps.municipalities.models import Department
from tests.complaints.photo_files import phone_photo
from tests.complaints.test_staff_support import CITY_WIDE, CONSENTED, ROADS, SANITATION, file_case, staff_user


@pytest.fixture
def roads(city):
    """도로과 staff with every right but the city-wide ones, contact details included."""
    return staff_user("roads", departments=ROADS, permissions=["view_complaint_contact"])


@pytest.fixture
def rubbish_case(city):
    """A 청소행정팀 case of a category the city does not publish, with a photo and contact details."""
    return file_case(city, "missed-collection", photo_uploads=[phone_photo()], contact=CONSENTED)


@pytest.fixture
def streetlight_case(city):
    return file_case(city, "streetlight", description="보안등 고장")


ACTIONS = {
    "accept": {},
    "answer": {"answer-message": "처리했습니다."},
    "note": {"note-message": "현장 확인"},
    "transfer": {"transfer-agency": "한국전력공사", "transfer-reason": "한전 소관"},
    "duplicate": {"duplicate-original": "2026-000001"},
    "close": {"close-reason": "사유지"},
    "extend": {"extend-working_days": "3", "extend-reason": "부품 대기"},
}


def test_another_departments_case_is_a_404_on_every_page_and_api(client, roads, rubbish_case):
    client.force_login(roads)
    photo = rubbish_case.photos.get()
    for url in [
        f"/admin/complaints/{rubbish_case.pk}/",
        f"/api/v1/staff/complaints/{rubbish_case.pk}/",
        f"/complaints/photos/{photo.uuid}.jpg",
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/admin/complaints/{rubbish_case.pk}/contact/").status_code == 404
    assert not ContactAccess.objects.exists()


@pytest.mark.parametrize("action", ACTIONS)
def test_no_action_reaches_another_departments_case(client, roads, rubbish_case, action):
    client.force_login(roads)
    response = client.post(f"/admin/complaints/{rubbish_case.pk}/{action}/", ACTIONS[action])
    assert response.status_code == 404
    rubbish_case.refresh_from_db()
    assert rubbish_case.status == Complaint.Status.RECEIVED
    assert list(rubbish_case.events.values_list("kind", flat=True)) == [ComplaintEvent.Kind.STATUS]


def test_a_case_that_does_not_exist_is_a_404_alike(client, roads):
    client.force_login(roads)
    assert client.get("/admin/complaints/999999/").status_code == 404
    assert client.post("/admin/complaints/999999/accept/").status_code == 404
    assert client.get("/api/v1/staff/complaints/999999/").status_code == 404


def test_another_departments_cases_are_absent_from_the_lists(client, roads, rubbish_case, streetlight_case):
    client.force_login(roads)
    shown, hidden = f"/admin/complaints/{streetlight_case.pk}/", f"/admin/complaints/{rubbish_case.pk}/"
    for page in ("/admin/complaints/", "/admin/complaints/map/"):
        html = client.get(page).content.decode()
        assert shown in html and hidden not in html, page
    export = b"".join(client.get("/admin/complaints/export.csv").streaming_content).decode()
    assert streetlight_case.number in export and rubbish_case.number not in export
    listed = client.get("/api/v1/staff/complaints/").json()
    assert [case["number"] for case in listed["results"]] == [streetlight_case.number]
    # Searching for the other case's number finds nothing either.
    assert hidden not in client.get(f"/admin/complaints/?q={rubbish_case.number}").content.decode()
    assert client.get(f"/api/v1/staff/complaints/?q={rubbish_case.number}").json()["count"] == 0


def test_a_case_transferred_to_another_department_leaves_the_first_ones_inbox(client, roads, streetlight_case):
    client.force_login(roads)
    client.post(
        f"/admin/complaints/{streetlight_case.pk}/transfer/",
        {"transfer-department": Department.objects.get(code="sanitation").pk, "transfer-reason": "쓰레기 문제"},
    )
    assert client.get(f"/admin/complaints/{streetlight_case.pk}/").status_code == 404


def test_the_city_wide_role_sees_every_department(client, city, rubbish_case, streetlight_case):
    client.force_login(staff_user("chief", group=CITY_WIDE))
    inbox = client.get("/admin/complaints/").content.decode()
    assert f"/admin/complaints/{rubbish_case.pk}/" in inbox and f"/admin/complaints/{streetlight_case.pk}/" in inbox
    assert client.get(f"/admin/complaints/{rubbish_case.pk}/").status_code == 200
    assert client.get(f"/api/v1/staff/complaints/{rubbish_case.pk}/").status_code == 200
    assert client.get(f"/complaints/photos/{rubbish_case.photos.get().uuid}.jpg").status_code == 200
    assert client.get("/api/v1/staff/complaints/").json()["count"] == 2


def test_a_sanitation_member_sees_the_sanitation_case_only(client, city, rubbish_case, streetlight_case):
    client.force_login(staff_user("cleaner", departments=SANITATION))
    assert client.get(f"/admin/complaints/{rubbish_case.pk}/").status_code == 200
    assert client.get(f"/admin/complaints/{streetlight_case.pk}/").status_code == 404


def test_people_outside_the_staff_roles_are_kept_out(client, django_user_model, city, streetlight_case):
    assert client.get("/admin/complaints/").status_code == 302  # to the sign-in page
    assert client.get(f"/api/v1/staff/complaints/{streetlight_case.pk}/").status_code == 403
    editor = django_user_model.objects.create_user("editor", password="x")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert client.get("/admin/complaints/").status_code == 302
    assert client.get("/api/v1/staff/complaints/").status_code == 403
    assert client.post(f"/admin/complaints/{streetlight_case.pk}/accept/").status_code == 403
    streetlight_case.refresh_from_db()
    assert streetlight_case.status == Complaint.Status.RECEIVED
