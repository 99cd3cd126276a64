from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from apps.trails import admin_views
from apps.trails.models import TrailPage


@hooks.register("register_admin_urls")
def register_trails_urls():
    return [path("trails/<int:page_id>/print-sheet.svg", admin_views.print_sheet, name="trails_print_sheet")]


def _print_sheet_button(page, user, priority: int) -> list[Button]:
    if page.specific_class is not TrailPage or not page.permissions_for_user(user).can_edit():
        return []
    url = reverse("trails_print_sheet", args=[page.pk])
    return [Button(_("Print sheet of QR codes (SVG)"), url, icon_name="download", priority=priority)]


@hooks.register("register_page_header_buttons")
def trail_header_buttons(page, user, view_name, next_url=None):
    return _print_sheet_button(page, user, priority=70)


@hooks.register("register_page_listing_more_buttons")
def trail_listing_buttons(page, user, next_url=None):
    return _print_sheet_button(page, user, priority=70)
