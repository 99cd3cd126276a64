import pytest
from wagtail.admin.menu import admin_menu

from apps.municipalities.models import Department, Dong
from apps.municipalities.selectors import dong_in_text
from apps.municipalities.wagtail_hooks import CITY_SETUP_MENU_HOOK


@pytest.fixture
def admin_client(client, django_user_model, city):
    client.force_login(django_user_model.objects.create_superuser("admin", "admin@example.kr", "x"))
    return client


@pytest.mark.parametrize(
    "listing",
    ["municipality", "department", "category", "categoryquestion", "dong"],
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


def test_a_dong_given_another_place_name_in_the_admin_recognises_it(admin_client, city):
    dong = Dong.objects.get(municipality=city, name_ko="신곡1동")
    response = admin_client.post(
        f"/admin/dong/edit/{dong.pk}/",
        {"municipality": city.pk, "name_ko": dong.name_ko, "name_en": dong.name_en, "aliases": "발곡마을"},
    )
    assert response.status_code == 302
    assert dong_in_text(municipality=city, text="발곡마을 앞 가로등") == dong


def test_office_hours_are_edited_in_the_admin(admin_client, city):
    form = admin_client.get(f"/admin/municipality/edit/{city.pk}/").content.decode()
    assert 'name="office_hours_ko"' in form and 'name="office_hours_en"' in form
    department = Department.objects.get(code="road-lighting")
    assert 'name="office_hours_ko"' in admin_client.get(f"/admin/department/edit/{department.pk}/").content.decode()


def test_the_city_set_up_menu_lists_the_categories_complaints_adds_to_it(rf, admin_client, django_user_model):
    request = rf.get("/admin/")
    request.user = django_user_model.objects.get(username="admin")
    (group,) = [
        item
        for item in admin_menu.registered_menu_items
        if getattr(getattr(item, "menu", None), "register_hook_name", None) == CITY_SETUP_MENU_HOOK
    ]
    items = sorted(group.menu.menu_items_for_request(request), key=lambda item: item.order)
    assert [item.url for item in items] == [
        "/admin/municipality/",
        "/admin/department/",
        "/admin/category/",
        "/admin/categoryquestion/",
        "/admin/dong/",
    ]
