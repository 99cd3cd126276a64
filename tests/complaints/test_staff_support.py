"""What the staff tests share: people in the two staff roles and cases filed the way residents file
them. No tests here; the test_staff_* modules build their fixtures from these helpers."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from apps.complaints import services
from apps.complaints.models import Category, Complaint
from apps.municipalities.models import Department, Municipality

# 도로과 has two teams; 자원순환과's 청소행정팀 collects rubbish.
ROADS = ("road-maintenance", "road-lighting")
SANITATION = ("sanitation",)
DEPARTMENT_STAFF = "민원 담당자"
CITY_WIDE = "민원 총괄"
JUNGNANGCHEON = {"latitude": 37.7381, "longitude": 127.0456}
CONSENTED = services.Contact(name="김민원", phone="010-2345-6789", email="reporter@example.kr", consented=True)


def staff_user(username: str, *, group: str = DEPARTMENT_STAFF, departments=(), permissions=()):
    user = get_user_model().objects.create_user(username, password="x", first_name=username)
    user.groups.add(Group.objects.get(name=group))
    for codename in permissions:
        user.user_permissions.add(Permission.objects.get(content_type__app_label="complaints", codename=codename))
    for department in Department.objects.filter(code__in=departments):
        department.staff.add(user)
    return user


def file_case(city: Municipality, category_code: str, **fields) -> Complaint:
    fields = {"description": "민원 내용입니다", "channel": "web", **JUNGNANGCHEON, **fields}
    category = Category.objects.get(municipality=city, code=category_code)
    return services.complaint_submit(category=category, **fields).complaint
