"""The staff roles, reply templates, the contact details log and department membership in the admin."""

import pytest
from django.contrib.auth.models import Group

from apps.complaints import services
from apps.complaints.models import ContactAccess, ReplyTemplate
from apps.municipalities.models import Department
from tests.complaints.test_staff_support import CITY_WIDE, DEPARTMENT_STAFF, ROADS, file_case, staff_user


def codenames(group_name: str) -> set[str]:
    group = Group.objects.get(name=group_name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


def test_the_migration_made_the_two_staff_roles(db):
    department = {
        "wagtailadmin.access_admin",
        "complaints.view_complaint",
        "complaints.change_complaint",
        "complaints.view_replytemplate",
        "complaints.add_replytemplate",
        "complaints.change_replytemplate",
    }
    assert codenames(DEPARTMENT_STAFF) == department
    assert codenames(CITY_WIDE) == department | {
        "complaints.view_all_complaints",
        "complaints.view_complaint_contact",
        "complaints.view_contactaccess",
    }


@pytest.fixture
def templates(city):
    lighting = Department.objects.get(municipality=city, code="road-lighting")
    return {
        "own": ReplyTemplate.objects.create(municipality=city, department=lighting, title="교체 완료", body_ko="교체"),
        "shared": ReplyTemplate.objects.create(municipality=city, title="공통 안내", body_ko="안내"),
        "other": ReplyTemplate.objects.create(
            municipality=city, department=Department.objects.get(code="sanitation"), title="수거 완료", body_ko="수거"
        ),
    }


def test_department_staff_manage_their_own_departments_reply_templates(client, city, templates):
    client.force_login(staff_user("roads", departments=ROADS))
    listing = client.get("/admin/complaints/reply-templates/").content.decode()
    assert "교체 완료" in listing and "수거 완료" not in listing and "공통 안내" not in listing
    assert client.get(f"/admin/complaints/reply-templates/edit/{templates['other'].pk}/").status_code == 404
    lighting = Department.objects.get(code="road-lighting")
    response = client.post(
        "/admin/complaints/reply-templates/new/",
        {"municipality": city.pk, "department": lighting.pk, "title": "부품 대기", "body_ko": "부품을 기다립니다."},
    )
    assert response.status_code == 302
    assert ReplyTemplate.objects.get(title="부품 대기").department == lighting
    # Another department's or a shared template is not theirs to write.
    for department in (Department.objects.get(code="sanitation").pk, ""):
        refused = client.post(
            "/admin/complaints/reply-templates/new/",
            {"municipality": city.pk, "department": department, "title": "남의 것", "body_ko": "x"},
        )
        assert refused.status_code == 200
    assert not ReplyTemplate.objects.filter(title="남의 것").exists()


def test_the_city_wide_role_keeps_the_shared_templates(client, city, templates):
    client.force_login(staff_user("chief", group=CITY_WIDE))
    listing = client.get("/admin/complaints/reply-templates/").content.decode()
    assert all(template.title in listing for template in templates.values())
    response = client.post(
        "/admin/complaints/reply-templates/new/",
        {"municipality": city.pk, "department": "", "title": "이송 안내", "body_ko": "이송했습니다."},
    )
    assert response.status_code == 302
    assert ReplyTemplate.objects.get(title="이송 안내").department is None


def test_the_contact_details_log_is_read_only_and_for_the_city_wide_role(client, django_user_model, city):
    case = file_case(city, "streetlight")
    chief = staff_user("chief", group=CITY_WIDE)
    access = services.contact_access_record(complaint=case, user=chief, route=ContactAccess.Route.CASE_PAGE)
    client.force_login(chief)
    listing = client.get("/admin/complaints/contact-log/")
    assert listing.status_code == 200 and case.number in listing.content.decode()
    assert "/admin/complaints/contact-log/new/" not in listing.content.decode()
    assert client.get(f"/admin/complaints/contact-log/inspect/{access.pk}/").status_code == 200
    for superuser in (False, True):
        if superuser:
            client.force_login(django_user_model.objects.create_superuser("root", password="x"))
        assert client.get("/admin/complaints/contact-log/new/").status_code == 302
        assert client.post(f"/admin/complaints/contact-log/delete/{access.pk}/").status_code == 302
        assert ContactAccess.objects.filter(pk=access.pk).exists()

    client.force_login(staff_user("roads", departments=ROADS))
    assert client.get("/admin/complaints/contact-log/").status_code == 302


def test_a_departments_email_and_staff_are_set_in_its_form(client, django_user_model, city):
    member = django_user_model.objects.create_user("lighting-member", password="x")
    client.force_login(django_user_model.objects.create_superuser("admin", password="x"))
    department = Department.objects.get(code="road-lighting")
    form = client.get(f"/admin/department/edit/{department.pk}/").content.decode()
    assert 'name="email"' in form and 'name="staff"' in form
    response = client.post(
        f"/admin/department/edit/{department.pk}/",
        {
            "municipality": city.pk,
            "code": department.code,
            "name_ko": department.name_ko,
            "name_en": department.name_en,
            "parent_ko": department.parent_ko,
            "handles": department.handles,
            "phone": department.phone,
            "email": "lighting@uijeongbu.go.kr",
            "staff": [member.pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    department.refresh_from_db()
    assert department.email == "lighting@uijeongbu.go.kr"
    assert list(department.staff.all()) == [member]
    assert "lighting@uijeongbu.go.kr" in client.get("/admin/department/").content.decode()
