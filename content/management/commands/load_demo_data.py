import json
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.models import Locale, Page, Site

from apps.complaints.models import ReplyTemplate
from apps.municipalities.models import Municipality
from content.models import ArchiveIndexPage, HomePage, SectionPage, SiteAlert

DEMO_DIR = settings.BASE_DIR / "data" / "demo"
ARCHIVE_SLUG = "archive"
TRANSLATIONS = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def site_url_port() -> int:
    address = urlsplit(settings.SITE_URL)
    return address.port or (443 if address.scheme == "https" else 80)


class Command(BaseCommand):
    help = (
        "Give a municipality its Wagtail site with a Korean home page, the portal's sections and their "
        "English translations, from data/demo/<code>.json. Does nothing for a city that already has a site."
    )

    def add_arguments(self, parser):
        parser.add_argument("--municipality", default=settings.DEFAULT_MUNICIPALITY)
        parser.add_argument("--hostname", help="host name the site answers to (default: the host of SITE_URL)")

    def handle(self, *args, municipality: str, hostname: str | None, **options):
        city = Municipality.objects.filter(code=municipality).first()
        if city is None:
            raise CommandError(f"Unknown municipality {municipality!r}: run load_reference_data first.")
        if city.site_id:
            self.stdout.write(f"{city.code}: site already set up, left as it is")
            return
        path = DEMO_DIR / f"{city.code}.json"
        try:
            demo = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"{path}: {error}") from error
        with transaction.atomic():
            self._create_locales()
            home = self._create_site(city, demo, hostname or urlsplit(settings.SITE_URL).hostname or "localhost")
            self.stdout.write(f"{city.code}: site {home.get_site()} with {home.get_children().count()} sections")

    def _create_locales(self) -> None:
        for code in [settings.LANGUAGE_CODE, *TRANSLATIONS]:
            Locale.objects.get_or_create(language_code=code)

    def _create_site(self, city: Municipality, demo: dict, hostname: str) -> HomePage:
        # Migrations create the tree's root; a flushed database (e.g. between tests) has none.
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
        korean = Locale.objects.get(language_code=settings.LANGUAGE_CODE)
        english = Locale.objects.get(language_code="en")

        home = HomePage(slug=city.code, locale=korean, **self._home_fields(demo["home"]["ko"]))
        root.add_child(instance=home)
        home.save_revision().publish()

        # Wagtail's install leaves a placeholder site and "Welcome" page on a fresh database; the
        # first city takes the default site over.
        site = Site.objects.filter(is_default_site=True).first()
        placeholder = site.root_page if site else None
        if site is None:
            site = Site(is_default_site=True)
        # Page addresses (sitemap, links in emails) are built from the site's host and port: SITE_URL's,
        # so they match the address the portal is served on.
        site.hostname, site.port, site.root_page = hostname, site_url_port(), home
        site.site_name = city.name_ko
        site.save()
        if placeholder is not None and placeholder.specific_class is Page and not placeholder.get_children():
            placeholder.delete()
        city.site = site
        city.save(update_fields=["site"])

        self._translate(home, english, self._home_fields(demo["home"]["en"]))
        for section in demo["sections"]:
            fields = self._section_fields(section["ko"])
            if section["slug"] == ARCHIVE_SLUG:  # the archive's landing page lists its stories
                page = ArchiveIndexPage(slug=section["slug"], show_in_menus=True, **fields)
            else:
                page = SectionPage(slug=section["slug"], icon=section["icon"], show_in_menus=True, **fields)
            home.add_child(instance=page)
            page.save_revision().publish()
            self._translate(page, english, self._section_fields(section["en"]))

        for alert in demo.get("alerts", []):
            self._create_alert(alert, korean, english)
        for template in demo.get("reply_templates", []):
            self._create_reply_template(city, template)
        return home

    @staticmethod
    def _home_fields(text: dict) -> dict:
        return {
            "title": text["title"],
            "hero_title": text["hero_title"],
            "hero_text": text["hero_text"],
            "search_description": text.get("search_description", ""),
            "facts": [("fact", fact) for fact in text["facts"]],
        }

    @staticmethod
    def _section_fields(text: dict) -> dict:
        return {
            "title": text["title"],
            "summary": text["summary"],
            "search_description": text.get("search_description", ""),
            "quick_links": [(block["type"], block["value"]) for block in text.get("quick_links", [])],
            "body": [(block["type"], block["value"]) for block in text["body"]],
        }

    @staticmethod
    def _translate(page: Page, locale: Locale, fields: dict) -> Page:
        translation = page.copy_for_translation(locale)
        for name, value in fields.items():
            setattr(translation, name, value)
        translation.save()
        translation.save_revision().publish()
        return translation

    @staticmethod
    def _create_alert(alert: dict, korean: Locale, english: Locale) -> None:
        original = SiteAlert(locale=korean, level=alert["level"], **alert["ko"])
        original.save()
        original.save_revision().publish()
        translation = original.copy_for_translation(english)
        translation.title, translation.message = alert["en"]["title"], alert["en"]["message"]
        translation.save()
        translation.save_revision().publish()

    @staticmethod
    def _create_reply_template(city: Municipality, template: dict) -> None:
        department = city.departments.get(code=template["department"]) if template["department"] else None
        ReplyTemplate.objects.create(
            municipality=city,
            department=department,
            title=template["title"],
            body_ko=template["body_ko"],
            body_en=template["body_en"],
        )
