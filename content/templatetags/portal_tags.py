from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page, Site

from content.models import HomePage
from portal.middleware import RESIDENT_LANGUAGES

register = template.Library()

# Resident-facing languages are always offered; tourist languages only where a page has them
# (the portal redirects any other address under them to the page's own language).
ALWAYS_OFFERED = RESIDENT_LANGUAGES


@register.inclusion_tag("content/includes/language_switcher.html", takes_context=True)
def language_switcher(context: template.Context) -> dict:
    request = context["request"]
    page: Page | None = context.get("page") if isinstance(context.get("page"), Page) else None
    site = Site.find_for_request(request)
    current = translation.get_language()
    links = []
    for code, name in settings.LANGUAGES:
        url = _translated_url(request, page, site, code)
        if url is None:
            continue
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return {"links": links}


def _translated_url(request, page: Page | None, site: Site | None, code: str) -> str | None:
    if page is None:
        return translate_url(request.get_full_path(), code) if code in ALWAYS_OFFERED else None
    locale = Locale.objects.filter(language_code=code).first()
    translated = page.get_translation_or_none(locale) if locale else None
    if translated is not None and translated.live:
        return translated.get_url(request) + _route_below(request, page)
    if code in ALWAYS_OFFERED and site is not None:
        home = site.root_page.get_translation_or_none(locale) if locale else None
        return home.get_url(request) if home is not None else None
    return None


def _route_below(request, page: Page) -> str:
    """The part of the address below the page itself: a routable page's own route (a trail's
    marker), which its translation answers too."""
    own = page.get_url(request) or ""
    return request.path[len(own) :] if own and request.path.startswith(own) else ""


@register.filter
def is_within(page: object, section: Page) -> bool:
    """Whether the page being shown is this menu section or a page inside it."""
    return isinstance(page, Page) and page.path.startswith(section.path)


@register.simple_tag(takes_context=True)
def page_title(context: template.Context) -> str:
    """The document title: the site's name alone on its home page, "Page · Site" everywhere else,
    so a home page titled after the city does not name it twice."""
    municipality = context.get("municipality")
    site_name = f"{municipality.name if municipality else '의정부시'} {_('Citizen Portal')}"
    page = context.get("page") if isinstance(context.get("page"), Page) else None
    if page is None:
        return site_name
    if issubclass(page.specific_class, HomePage):
        return page.seo_title or site_name
    return f"{page.seo_title or page.title} · {site_name}"
