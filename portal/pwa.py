"""The installable shell: web app manifest, service worker and the page shown offline."""

import hashlib

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control

SHELL_ASSETS = ["css/portal.css", "js/portal.js", "img/icons.svg", "img/icon-192.png"]


@cache_control(max_age=3600, public=True)
def manifest(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {
            "name": "의정부시 시민 포털",
            "short_name": "의정부 포털",
            "description": "민원 신고, 공공데이터, 소풍길, 하천, 주차·교통, 역사문화 아카이브",
            "lang": "ko",
            "start_url": "/",
            "scope": "/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#0b5394",
            "icons": [
                {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
                {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any maskable"},
            ],
        },
        json_dumps_params={"ensure_ascii": False},
        content_type="application/manifest+json",
    )


@cache_control(no_cache=True)
def service_worker(request: HttpRequest) -> HttpResponse:
    # Rendered, not a static file: it must live at the site root to control every page, and it
    # lists the hashed asset names so a new deployment replaces the cache.
    assets = [static(path) for path in SHELL_ASSETS]
    return render(
        request,
        "sw.js",
        {"assets": assets, "version": hashlib.sha256("\n".join(assets).encode()).hexdigest()[:12]},
        content_type="application/javascript",
    )


def offline(request: HttpRequest) -> HttpResponse:
    return render(request, "offline.html")
