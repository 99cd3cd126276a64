from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from wagtail.models import Site

from apps.municipalities.selectors import municipality_for_request
from content.selectors import site_alerts_showing, site_alerts_version


def site_chrome(request: HttpRequest) -> dict:
    """What the header and footer of every page need: the city, its menu and live alerts."""
    if request.path.startswith(("/admin/", "/django-admin/", "/api/")):
        return {}
    site = Site.find_for_request(request)
    home = site.root_page.localized.specific if site else None
    alerts = site_alerts_showing(language_code=translation.get_language())
    return {
        "municipality": municipality_for_request(request),
        "home_page": home,
        "menu_pages": home.get_children().live().public().in_menu() if home else [],
        "site_alerts": alerts,
        "site_alerts_version": site_alerts_version(alerts),
    }


def map_tiles(request: HttpRequest) -> dict:
    """The tile server every map on the site uses (static/js reads it from data attributes)."""
    return {"map_tiles": {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION}}
