"""The tourist office's page in the admin: type a certificate's code, see what it certifies, mark
it verified. Every look-up and verification is logged (CertificateCheck), as other staff access is."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from apps.common.client import client_address
from apps.stamps import selectors, services
from apps.stamps.models import CertificateCheck

VERIFY_PERMISSION = "stamps.verify_certificate"
CODE_MAX_LENGTH = 20


class CertificateCheckView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "stamps/admin/certificate_check.html"
    page_title = gettext_lazy("Verify a stamp tour certificate")
    header_icon = "tick"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VERIFY_PERMISSION):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        typed = self.request.GET.get("code", "").strip()[:CODE_MAX_LENGTH]
        certificate = None
        if typed:
            certificate = selectors.certificate_by_code(typed)
            services.certificate_check_record(
                code_typed=typed,
                certificate=certificate,
                user=self.request.user,
                action=CertificateCheck.Action.LOOKUP,
                ip_address=client_address(self.request),
            )
        context.update(typed=typed, certificate=certificate)
        return context

    def post(self, request, *args, **kwargs):
        certificate = selectors.certificate_by_code(request.POST.get("code", "")[:CODE_MAX_LENGTH])
        if certificate is None:
            messages.error(request, _("No certificate has this code."))
            return redirect("stamps_admin_check")
        already = certificate.verified_at is not None
        certificate = services.certificate_verify(certificate, user=request.user, ip_address=client_address(request))
        if already:
            messages.warning(request, _("This certificate had already been verified."))
        else:
            messages.success(request, _("Certificate %(code)s verified.") % {"code": certificate.display_code})
        return redirect(reverse("stamps_admin_check") + f"?code={certificate.code}")
