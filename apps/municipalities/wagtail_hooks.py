from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from apps.complaints.models import Category, CategoryQuestion
from apps.municipalities.models import Department, Dong, Municipality


class MunicipalityViewSet(ModelViewSet):
    model = Municipality
    icon = "site"
    menu_label = _("Municipalities")
    list_display = ["name_ko", "name_en", "code", "site"]
    form_fields = [
        "code",
        "name_ko",
        "name_en",
        "site",
        "phone",
        "office_hours_ko",
        "office_hours_en",
        "address_ko",
        "address_en",
        "latitude",
        "longitude",
    ]


class DepartmentViewSet(ModelViewSet):
    model = Department
    icon = "group"
    menu_label = _("Departments")
    list_display = ["name_ko", "name_en", "code", "parent_ko", "email", "municipality"]
    list_filter = ["municipality", "is_active"]
    search_fields = ["name_ko", "name_en", "code", "handles"]
    # email receives the deadline reminders; staff are the members who answer its cases.
    form_fields = [
        "municipality",
        "code",
        "name_ko",
        "name_en",
        "parent_ko",
        "handles",
        "phone",
        "office_hours_ko",
        "office_hours_en",
        "email",
        "staff",
        "is_active",
    ]


class CategoryViewSet(ModelViewSet):
    model = Category
    icon = "tag"
    menu_label = _("Complaint categories")
    list_display = ["name_ko", "code", "department", "kind", "processing_days"]
    list_filter = ["municipality", "kind", "department", "is_active"]
    search_fields = ["name_ko", "name_en", "code"]
    form_fields = [
        "municipality",
        "code",
        "name_ko",
        "name_en",
        "department",
        "kind",
        "processing_days",
        "needs_location",
        "public_by_default",
        "example_ko",
        "is_active",
    ]


class CategoryQuestionViewSet(ModelViewSet):
    model = CategoryQuestion
    icon = "help"
    menu_label = _("Category questions")
    list_display = ["category", "code", "datatype", BooleanColumn("required", label=_("required")), "order"]
    list_filter = ["category__municipality", "datatype", "required"]
    search_fields = ["code", "description_ko", "description_en"]
    form_fields = ["category", "code", "datatype", "required", "order", "description_ko", "description_en", "values"]


class DongViewSet(ModelViewSet):
    model = Dong
    icon = "globe"
    menu_label = _("Administrative dongs")
    list_display = ["name_ko", "name_en", "aliases", "municipality"]
    list_filter = ["municipality"]
    search_fields = ["name_ko", "name_en", "aliases"]
    form_fields = ["municipality", "name_ko", "name_en", "aliases"]


class CityAdministrationGroup(ViewSetGroup):
    menu_label = _("City set-up")
    menu_icon = "cogs"
    menu_order = 300
    items = (MunicipalityViewSet, DepartmentViewSet, CategoryViewSet, CategoryQuestionViewSet, DongViewSet)


@hooks.register("register_admin_viewset")
def register_city_administration() -> CityAdministrationGroup:
    return CityAdministrationGroup()
