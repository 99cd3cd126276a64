from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from apps.common.permissions import ViewOnlyPermissionPolicy
from apps.stamps import admin_views
from apps.stamps.models import CertificateCheck

register_permission_policy(CertificateCheck, ViewOnlyPermissionPolicy(CertificateCheck))


@hooks.register("register_admin_urls")
def register_stamps_urls():
    return [path("stamps/certificates/", admin_views.CertificateCheckView.as_view(), name="stamps_admin_check")]


class VerifyMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.VERIFY_PERMISSION)


@hooks.register("register_admin_menu_item")
def verify_menu_item() -> MenuItem:
    return VerifyMenuItem(_("Stamp certificates"), reverse("stamps_admin_check"), icon_name="tick", order=260)


class CertificateCheckViewSet(ModelViewSet):
    model = CertificateCheck
    icon = "view"
    url_prefix = "stamps/checks"
    menu_label = _("Certificate checks log")
    add_to_admin_menu = True
    menu_order = 261
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["checked_at", "user", "action", "code_typed", "certificate", "ip_address"]
    list_filter = ["action", "checked_at"]
    search_fields = ["code_typed", "user__username"]
    search_backend_name = None
    # ModelViewSet needs a form; ViewOnlyPermissionPolicy keeps its add and edit views closed.
    form_fields = ["code_typed"]


@hooks.register("register_admin_viewset")
def register_certificate_checks() -> CertificateCheckViewSet:
    return CertificateCheckViewSet()
