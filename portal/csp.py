"""Content-Security-Policy: strict on the public site (settings.CONTENT_SECURITY_POLICY), with a
policy of their own for the parts whose third-party code needs inline scripts or styles (the Wagtail
admin, the API documentation): settings.CONTENT_SECURITY_POLICY_BY_PATH."""

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase


class PortalCSPMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None:  # a view's own @csp decorator still wins
            for prefix, directives in settings.CONTENT_SECURITY_POLICY_BY_PATH.items():
                if request.path_info.startswith(prefix):
                    parts.config = default_config(directives)
                    break
        return parts
