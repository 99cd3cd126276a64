"""The stamp tour's pages (the passport, a certificate) and the two calls the phone makes (a stamp
for a scan, a certificate for a completed course). Thin: the rules are in services."""

import json
import math
from datetime import UTC, datetime

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe
from wagtail.models import Site

from apps.common.ratelimit import Limit, rate_limit_hit
from apps.stamps import selectors, services

# A request names one proof or one course's tokens: a few kilobytes at most.
MAX_BODY_BYTES = 32 * 1024
STAMP_RATE_SCOPE = "stamps-stamp"
# Walkers behind one address (a tour group on the city's Wi-Fi) share these.
STAMP_LIMITS = (Limit(count=60, seconds=10 * 60), Limit(count=500, seconds=24 * 60 * 60))
CERTIFICATE_RATE_SCOPE = "stamps-certificate"
CERTIFICATE_LIMITS = (Limit(count=10, seconds=10 * 60), Limit(count=60, seconds=24 * 60 * 60))
LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def _refuse(code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse({"code": code, "message": message}, status=status, json_dumps_params={"ensure_ascii": False})


def _json_object(request: HttpRequest) -> dict | None:
    """The body as a JSON object; None when it is not one (or is too long, which is refused before)."""
    try:
        data = json.loads(request.read(MAX_BODY_BYTES + 1).decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def _too_long(request: HttpRequest) -> bool:
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return declared > MAX_BODY_BYTES


def _rate_limited(request: HttpRequest, scope: str, limits) -> JsonResponse | None:
    if wait := rate_limit_hit(request, scope=scope, limits=limits):
        minutes = math.ceil(wait / 60)
        message = ngettext(
            "Too many tries. Please wait %(minutes)s minute and try again.",
            "Too many tries. Please wait %(minutes)s minutes and try again.",
            minutes,
        ) % {"minutes": minutes}
        response = _refuse("rate_limited", message, 429)
        response["Retry-After"] = str(wait)
        return response
    return None


def _json_call(view):
    """What both calls share: POST only, a bounded JSON object, the reader's language, a limit per
    client. No cookie gives these calls any right (the passport travels in the body), so there is
    nothing for another site to forge: no CSRF token, and the pages that call them stay cacheable."""

    @csrf_exempt
    @require_POST
    def wrapped(request: HttpRequest) -> JsonResponse:
        if _too_long(request):
            return _refuse("too_large", _("The request is too large."), 413)
        data = _json_object(request)
        language = data.get("language") if data else None
        with translation.override(language if language in LANGUAGE_CODES else translation.get_language()):
            if data is None:
                return _refuse("bad_request", _("The request could not be read."), 400)
            response = view(request, data)
        patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapped


def _scanned_at(value: object) -> datetime | None:
    if type(value) is not int or not 0 < value < 2**40:
        return None
    return datetime.fromtimestamp(value, tz=UTC)


@_json_call
def stamp(request: HttpRequest, data: dict) -> JsonResponse:
    """POST {"proof", "passport" (none the first time), "scanned_at" (seconds, for a scan made
    offline), "language"}: 201 {"passport", "stamp": {"token", "code", "trail", "at"}, "course_points"}."""
    if limited := _rate_limited(request, STAMP_RATE_SCOPE, STAMP_LIMITS):
        return limited
    try:
        issued = services.stamp_issue(
            proof=data.get("proof"), passport=data.get("passport"), scanned_at=_scanned_at(data.get("scanned_at"))
        )
    except services.StampError as error:
        return _refuse(error.code, error.message, 400)
    return JsonResponse(
        {
            "passport": issued.passport,
            "stamp": {
                "token": issued.token,
                "code": issued.stamp.code,
                "trail": issued.stamp.trail_id,
                "at": issued.stamp.at.isoformat(),
            },
            "course_points": issued.course_points,
        },
        status=201,
    )


@_json_call
def certificate_request(request: HttpRequest, data: dict) -> JsonResponse:
    """POST {"passport", "trail", "stamps": [token, ...], "language"}: 201 {"code", "url"}."""
    if limited := _rate_limited(request, CERTIFICATE_RATE_SCOPE, CERTIFICATE_LIMITS):
        return limited
    try:
        certificate = services.certificate_request(
            passport=data.get("passport"), trail_id=data.get("trail"), tokens=data.get("stamps")
        )
    except services.StampError as error:
        return _refuse(error.code, error.message, 400)
    url = reverse("stamps:certificate", kwargs={"code": certificate.display_code})
    return JsonResponse({"code": certificate.display_code, "url": url}, status=201)


@require_safe
def passport(request: HttpRequest) -> HttpResponse:
    """The stamp passport: every course with stamp points; the phone's script marks what it holds.
    The same page for everyone, so it is cached and can be saved for offline use."""
    courses = selectors.stamp_courses(Site.find_for_request(request), translation.get_language())
    return render(
        request,
        "stamps/passport.html",
        {
            "courses": courses,
            "passport_data": [
                {"trail": course.trail_id, "codes": [point.code for point in course.points]} for course in courses
            ],
        },
    )


# A walker's screens, translated into the tourist languages too: not sent on to the Korean ones
# (portal/middleware.py PageLocaleMiddleware).
passport.tourist_languages = True


@require_safe
def certificate(request: HttpRequest, code: str) -> HttpResponse:
    found = selectors.certificate_by_code(code)
    if found is None:
        raise Http404("no certificate has this code")
    course = found.course.localized_for(translation.get_language()) if found.course_id else None
    response = render(request, "stamps/certificate.html", {"certificate": found, "course": course})
    # Its verification changes: never kept by the page cache (which certificates do not empty).
    patch_cache_control(response, private=True, no_cache=True)
    return response


certificate.tourist_languages = True
