import pytest

from apps.municipalities.models import Department


@pytest.fixture
def admin_client(client, django_user_model, city):
    client.force_login(django_user_model.objects.create_superuser("admin", "admin@example.kr", "x"))
    return client


@pytest.mark.parametrize(
    "listing",
    ["municipality", "department", "category", "categoryquestion"],
)
def test_city_set_up_listings_open(admin_client, listing):
    response = admin_client.get(f"/admin/{listing}/")
    assert response.status_code == 200


def test_a_department_renamed_in_the_admin_keeps_its_new_name(admin_client):
    department = Department.objects.get(code="road-lighting")
    form = admin_client.get(f"/admin/department/edit/{department.pk}/")
    assert form.status_code == 200
    response = admin_client.post(
        f"/admin/department/edit/{department.pk}/",
        {
            "municipality": department.municipality_id,
            "code": department.code,
            "name_ko": "가로등관리팀",
            "name_en": department.name_en,
            "parent_ko": department.parent_ko,
            "handles": department.handles,
            "phone": "031-828-1234",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    department.refresh_from_db()
    assert (department.name_ko, department.phone) == ("가로등관리팀", "031-828-1234")
