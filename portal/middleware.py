from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import get_language_from_path


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
    )

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if request.path_info.startswith(self.UNPREFIXED):
            return response
        return super().process_response(request, response)
