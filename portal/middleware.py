from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import get_language_from_path
from django.utils.translation import gettext as _


class RememberLanguageMiddleware:
    """Keeps the language a visitor chose: the next visit to "/" goes to it, not to whatever
    the browser's Accept-Language says."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        chosen = get_language_from_path(request.path_info)
        if chosen and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != chosen and response.status_code < 400:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                translation.get_supported_language_variant(chosen),
                max_age=365 * 24 * 3600,
                samesite="Lax",
            )
        return response


class PageLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, minus its habit of answering a 404 outside the language-prefixed
    pages with a redirect into them: an API client asking for a missing record must get its 404."""

    UNPREFIXED = (
        "/api/",
        "/open311/",
        "/healthz",
        "/readyz",
        "/admin/",
        "/documents/",
        "/media/",
        "/complaints/photos/",
        "/open-data/files/",
    )

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if request.path_info.startswith(self.UNPREFIXED):
            return response
        return super().process_response(request, response)


class RequestSizeLimitMiddleware:
    """Refuses a body larger than the site ever needs before it is read, with a message the
    visitor can act on (five 10 MB photos fit; editors' data files get a larger allowance)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        editor = request.path_info.startswith("/admin/")
        limit = settings.MAX_ADMIN_REQUEST_BYTES if editor else settings.MAX_REQUEST_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length <= limit:
            return self.get_response(request)
        message = _("What you sent is too large (%(size)s; at most %(limit)s).") % {
            "size": filesizeformat(length),
            "limit": filesizeformat(limit),
        }
        if request.path_info.startswith(("/api/", "/open311/")):
            return JsonResponse({"detail": message}, status=413)
        return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
