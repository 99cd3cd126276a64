import json
import re
from xml.etree import ElementTree

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.urls import translate_url
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import get_language_from_path
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

# The languages the portal's own screens (report form, tracking, open data) are translated into;
# Chinese and Japanese exist only for the Wagtail pages an editor translates.
RESIDENT_LANGUAGES = {"ko", "en"}


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
        "/t/",
        "/files/",
    )

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if request.path_info.startswith(self.UNPREFIXED):
            return response
        return super().process_response(request, response)

    def process_view(self, request: HttpRequest, view_func, view_args: tuple, view_kwargs: dict) -> HttpResponse | None:
        """Sends a reader who asks for a page in a language it is not written in to the page as it
        exists (a 302, the query string kept): Wagtail would otherwise serve the Korean page, and
        Django the untranslated screens, under lang="ja" or "zh-hans"."""
        language = get_language_from_path(request.path_info)
        if language is None or request.method not in ("GET", "HEAD"):
            return None  # a form posted under such a prefix is still answered, not lost
        if request.resolver_match and request.resolver_match.url_name == "wagtail_serve":
            path = view_args[0] if view_args else view_kwargs.get("path", "")
            target = _page_in_its_language(request, path, language)
        elif language not in RESIDENT_LANGUAGES and not getattr(view_func, "tourist_languages", False):
            # A view translated for tourists too (the stamp passport) says so with this attribute.
            target = translate_url(request.path_info, settings.LANGUAGE_CODE)
        else:
            target = None
        if not target or target == request.path_info:
            return None
        query = request.META.get("QUERY_STRING")
        return HttpResponseRedirect(f"{target}?{query}" if query else target)


def _page_in_its_language(request: HttpRequest, path: str, language: str) -> str | None:
    """The address of the page at `path` when it is not written in `language`: Wagtail routes from
    the Korean home when the language has none, and a page missing below a translated home is
    looked for among the Korean pages."""
    page = Page.find_for_request(request, path)
    if page is None:
        site = Site.find_for_request(request)
        if site is None:
            return None
        try:
            page = site.root_page.specific.route(request, [part for part in path.split("/") if part]).page
        except Http404:
            return None
    if page.locale.language_code == language:
        return None
    return page.get_url(request)


class MalformedInputMiddleware:
    """Refuses, with a 400 in the caller's format, input no view can store or parse safely:
    a NUL character in the path, a query parameter, a form field or any JSON string (PostgreSQL
    refuses NUL in text, which would surface as a 500), and JSON nested deeper than
    MAX_JSON_DEPTH (Python's parser would hit its recursion limit)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = self.problem(request)
        if problem is None:
            return self.get_response(request)
        return bad_request(request, problem)

    def problem(self, request: HttpRequest) -> str | None:
        nul = _("The request contains a NUL character (U+0000), which is not allowed.")
        if "\x00" in request.path or _has_nul(request.GET):
            return nul
        content_type = request.content_type or ""
        if content_type == "application/x-www-form-urlencoded" and _has_nul(request.POST):
            return nul
        if content_type == "application/json" or content_type.endswith("+json"):
            try:
                text = request.body.decode(request.encoding or "utf-8")
            except UnicodeDecodeError:
                return None  # the view's parser answers that
            if json_depth(text) > MAX_JSON_DEPTH:
                return _("The JSON sent is nested too deeply (more than %(limit)s levels).") % {"limit": MAX_JSON_DEPTH}
            if "\\u0000" in text and _json_has_nul(text):
                return nul
        return None


MAX_JSON_DEPTH = 64
# A JSON string literal, possessive so that a long one is matched without backtracking.
JSON_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
JSON_BRACKETS = re.compile(r"[\[\]{}]")


def json_depth(text: str) -> int:
    """How deeply the arrays and objects of a JSON text nest, counted without parsing (so without
    recursion): brackets outside string literals."""
    depth = deepest = 0
    for bracket in JSON_BRACKETS.findall(JSON_STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _json_has_nul(text: str) -> bool:
    try:
        value = json.loads(text)
    except ValueError:
        return False  # not JSON: the view's parser answers that
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def _has_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in data.lists())


def bad_request(request: HttpRequest, message: str) -> HttpResponse:
    """A 400 in the shape each kind of caller reads: CKAN's for its Action API, Open311's error
    list, DRF's {"detail"} for the other APIs, a short page for browsers."""
    path = request.path_info
    if path.startswith(("/api/3/action/", "/api/action/")):
        body = {"success": False, "error": {"__type": "Bad Request", "message": message}}
        return JsonResponse(body, status=400, json_dumps_params={"ensure_ascii": False})
    if path.startswith("/open311/"):
        if path.endswith(".xml"):
            errors = ElementTree.Element("errors")
            error = ElementTree.SubElement(errors, "error")
            ElementTree.SubElement(error, "code").text = "400"
            ElementTree.SubElement(error, "description").text = message
            document = b'<?xml version="1.0" encoding="utf-8"?>' + ElementTree.tostring(errors, encoding="utf-8")
            return HttpResponse(document, status=400, content_type="text/xml; charset=utf-8")
        body = [{"code": 400, "description": message}]
        return JsonResponse(body, safe=False, status=400, json_dumps_params={"ensure_ascii": False})
    if path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=400, json_dumps_params={"ensure_ascii": False})
    page = f'<!doctype html><html lang="{translation.get_language()}"><meta charset="utf-8">'
    page += f"<title>{escape(message)}</title><p>{escape(message)}</p></html>"
    return HttpResponse(page, status=400)
