from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from apps.municipalities.models import Department, Dong, Municipality


class MunicipalityViewSet(ModelViewSet):
    model = Municipality
    icon = "site"
    menu_label = _("Municipalities")
    menu_order = 10
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
    menu_order = 20
    list_display = ["name_ko", "name_en", "code", "parent_ko", "email", "municipality"]
    list_filter = ["municipality", "is_active"]
    search_fields = ["name_ko", "name_en", "code", "handles"]
    # email receives the deadline reminders; staff are the members who answer its cases.
    form_fields = [
        "municipality",
        "code",
        "name_ko",
        "name_en",
        "name_ja",
        "name_zh_hans",
        "parent_ko",
        "handles",
        "phone",
        "office_hours_ko",
        "office_hours_en",
        "email",
        "staff",
        "is_active",
    ]


class DongViewSet(ModelViewSet):
    model = Dong
    icon = "globe"
    menu_label = _("Administrative dongs")
    menu_order = 50
    list_display = ["name_ko", "name_en", "aliases", "municipality"]
    list_filter = ["municipality"]
    search_fields = ["name_ko", "name_en", "aliases"]
    form_fields = ["municipality", "name_ko", "name_en", "aliases"]


# Other apps add their city-owned lists to this menu through this hook (complaints: its categories),
# so this app needs none of their models.
CITY_SETUP_MENU_HOOK = "register_city_setup_menu_item"


class CityAdministrationGroup(ViewSetGroup):
    menu_label = _("City set-up")
    menu_icon = "cogs"
    menu_order = 300
    submenu_hook = CITY_SETUP_MENU_HOOK
    items = (MunicipalityViewSet, DepartmentViewSet, DongViewSet)


@hooks.register("register_admin_viewset")
def register_city_administration() -> CityAdministrationGroup:
    return CityAdministrationGroup()
