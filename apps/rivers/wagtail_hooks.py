from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button

from apps.rivers import admin_views
from apps.rivers.models import (
    GateChange,
    LevelChange,
    River,
    RiverDevice,
    RiverEntrance,
    WalkwayClosure,
    WaterLevelReading,
    WaterLevelStation,
)
from apps.rivers.pages import RiverPointPage


class RiverViewSet(ModelViewSet):
    model = River
    icon = "pick"
    menu_label = _("Rivers")
    add_to_admin_menu = False
    list_display = ["name_ko", "slug", "closing_level"]
    form_fields = ["municipality", "slug", "name_ko", "name_en", "closing_level", "also_closes", "sort_order"]


class StationViewSet(ModelViewSet):
    model = WaterLevelStation
    icon = "pick"
    menu_label = _("Water-level stations")
    add_to_admin_menu = False
    list_display = ["name_ko", "code", "river", "water_level_m", "alert_level", "read_at", "caution_m"]
    # The alert levels and the current level are HRFCO's and the gauges': shown, never typed in.
    form_fields = ["river", "code", "name_ko", "name_en", "latitude", "longitude", "illustrative"]
    inspect_view_enabled = True


class EntranceViewSet(ModelViewSet):
    model = RiverEntrance
    icon = "pick"
    menu_label = _("River entrances")
    add_to_admin_menu = False
    list_display = ["name_ko", "river", "has_gate", "gate_closed", "gate_changed_at"]
    # New entrances come with their place (load_demo_rivers, or a later import): renaming here.
    add_view_enabled = False
    form_fields = ["name_ko", "name_en", "has_gate"]


class DeviceViewSet(ModelViewSet):
    model = RiverDevice
    icon = "radio-full"
    menu_label = _("River devices")
    add_to_admin_menu = False
    add_view_class = admin_views.RiverDeviceCreateView
    list_display = ["name", "kind", "station", "entrance", "is_active", "created_at"]
    form_fields = ["name", "is_active"]

    def get_form_class(self, for_update=False):
        if not for_update:
            return admin_views.RiverDeviceForm
        return super().get_form_class(for_update)


class LogViewSet(ModelViewSet):
    """History is what gauges, gates and staff did: kept as received, never edited."""

    add_to_admin_menu = False
    add_view_enabled = False
    edit_view_enabled = False
    inspect_view_enabled = True
    icon = "time"


class ReadingViewSet(LogViewSet):
    model = WaterLevelReading
    menu_label = _("Water-level readings")
    list_display = ["station", "water_level_m", "alert_level", "read_at", "source", "message_id"]
    list_filter = ["source", "alert_level"]
    form_fields = ["station", "water_level_m", "read_at", "source", "message_id"]


class LevelChangeViewSet(LogViewSet):
    model = LevelChange
    menu_label = _("Alert level changes")
    list_display = ["station", "level_from", "level_to", "water_level_m", "at"]
    form_fields = ["station", "level_from", "level_to", "water_level_m", "at"]


class GateChangeViewSet(LogViewSet):
    model = GateChange
    menu_label = _("Gate changes")
    list_display = ["entrance", "closed", "at", "source", "user", "reason", "applied"]
    list_filter = ["source", "closed", "applied"]
    form_fields = ["entrance", "closed", "at", "source", "reason"]


class WalkwayClosureViewSet(LogViewSet):
    model = WalkwayClosure
    menu_label = _("Walkway closures")
    list_display = ["river", "cause", "closed_at", "closed_by", "reopened_at", "reopened_by", "reopen_note"]
    list_filter = ["cause"]
    form_fields = ["river", "cause", "reason_ko", "closed_at", "reopened_at", "reopen_note"]


class RiversMenuGroup(ViewSetGroup):
    menu_label = _("Rivers")
    menu_icon = "pick"
    menu_order = 270
    items = (
        RiverViewSet("river_rivers"),
        StationViewSet("river_stations"),
        EntranceViewSet("river_entrances"),
        DeviceViewSet("river_devices"),
        ReadingViewSet("river_readings"),
        LevelChangeViewSet("river_level_changes"),
        GateChangeViewSet("river_gate_changes"),
        WalkwayClosureViewSet("river_walkway_closures"),
    )


@hooks.register("register_admin_viewset")
def register_rivers_menu() -> RiversMenuGroup:
    return RiversMenuGroup()


@hooks.register("register_admin_urls")
def register_rivers_urls():
    return [
        path("rivers/walkways/", admin_views.WalkwayBoardView.as_view(), name="rivers_walkways"),
        path("rivers/points/<int:page_id>/print-sheet.svg", admin_views.guide_print_sheet, name="rivers_print_sheet"),
    ]


def _print_sheet_button(page, user) -> list[Button]:
    if page.specific_class is not RiverPointPage or not page.permissions_for_user(user).can_edit():
        return []
    url = reverse("rivers_print_sheet", args=[page.pk])
    return [Button(_("Print sheet of the river's QR codes (SVG)"), url, icon_name="download", priority=70)]


@hooks.register("register_page_header_buttons")
def guide_point_header_buttons(page, user, view_name, next_url=None):
    return _print_sheet_button(page, user)


@hooks.register("register_page_listing_more_buttons")
def guide_point_listing_buttons(page, user, next_url=None):
    return _print_sheet_button(page, user)


@hooks.register("register_admin_menu_item")
def walkways_menu_item() -> MenuItem:
    return MenuItem(_("River walkways"), reverse("rivers_walkways"), icon_name="warning", order=271)
