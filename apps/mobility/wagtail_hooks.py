from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from apps.mobility import admin_views, sharing_admin
from apps.mobility.models import CarPark, OccupancyReading, SensorDevice


class CarParkViewSet(ModelViewSet):
    model = CarPark
    icon = "site"
    menu_label = _("Car parks")
    add_to_admin_menu = False
    list_display = ["name_ko", "kind", "spaces_total", "free_spaces", "free_spaces_read_at", "closed_by_event"]
    list_filter = ["kind", "is_free", "closed_by_event"]
    search_fields = ["name_ko", "stable_id", "address_road"]
    # Name, position, spaces, hours and fees come from the sources (a re-import would undo an edit
    # of them); staff set what no source says.
    form_fields = [
        "kind",
        "name_en",
        "spaces_accessible",
        "spaces_ev",
        "discount_ev",
        "discount_compact",
        "discount_disabled",
        "discount_merit",
        "discount_multichild",
    ]
    inspect_view_enabled = True


class SensorDeviceViewSet(ModelViewSet):
    model = SensorDevice
    icon = "radio-full"
    menu_label = _("Sensor devices")
    add_to_admin_menu = False
    add_view_class = admin_views.SensorDeviceCreateView
    list_display = ["name", "car_park", "is_active", "created_at"]
    form_fields = ["car_park", "name", "is_active"]

    def get_form_class(self, for_update=False):
        if not for_update:
            return admin_views.SensorDeviceForm
        return super().get_form_class(for_update)


class OccupancyReadingViewSet(ModelViewSet):
    model = OccupancyReading
    icon = "time"
    menu_label = _("Occupancy readings")
    add_to_admin_menu = False
    list_display = ["car_park", "free_spaces", "read_at", "received_at", "source", "message_id"]
    list_filter = ["source"]
    form_fields = ["car_park", "free_spaces", "read_at", "source", "message_id"]
    # History is what devices said: kept as received.
    add_view_enabled = False
    edit_view_enabled = False
    inspect_view_enabled = True


class ParkingMenuGroup(ViewSetGroup):
    menu_label = _("Parking")
    menu_icon = "site"
    menu_order = 260
    items = (
        CarParkViewSet("car_parks"),
        SensorDeviceViewSet("sensor_devices"),
        OccupancyReadingViewSet("readings"),
        sharing_admin.ResidentSpaceViewSet("resident_spaces"),
    )


@hooks.register("register_admin_viewset")
def register_parking_menu() -> ParkingMenuGroup:
    return ParkingMenuGroup()


@hooks.register("register_log_actions")
def register_sharing_log_actions(actions) -> None:
    actions.register_action(
        sharing_admin.CONTACT_SHOWN_ACTION, _("Show a driver's contact"), _("A driver's contact details were shown")
    )


@hooks.register("register_admin_urls")
def register_parking_urls():
    return [
        path("car-parks/import/", admin_views.CarParkImportView.as_view(), name="mobility_import"),
        path(
            "car-parks/import/<int:pk>/", admin_views.CarParkImportDetailView.as_view(), name="mobility_import_detail"
        ),
        path(
            "car-parks/import/<int:pk>/status.json",
            admin_views.CarParkImportStatusView.as_view(),
            name="mobility_import_status",
        ),
        path(
            "car-parks/import/<int:pk>/run-again/",
            admin_views.CarParkImportRerunView.as_view(),
            name="mobility_import_rerun",
        ),
    ]


@hooks.register("register_admin_menu_item")
def import_menu_item() -> MenuItem:
    return MenuItem(_("Import car parks"), reverse("mobility_import"), icon_name="upload", order=261)
