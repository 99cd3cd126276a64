"""What a new user hit: titles naming the site twice, a sitemap with two origins, admin lists
showing "True"."""

import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse
from wagtail.admin.viewsets import viewsets
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import Site

from apps.complaints.models import CategoryQuestion
from content.models import SiteAlert


def title_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


@pytest.mark.parametrize(
    ("language", "site_name"), [("ko", "의정부시 시민 포털"), ("en", "Uijeongbu City Citizen Portal")]
)
def test_the_home_page_title_is_the_site_name_once(client, demo_site, language, site_name):
    assert title_of(client, f"/{language}/") == site_name


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/ko/trails/", "소풍길 · 의정부시 시민 포털"),
        ("/en/trails/", "Sopung-gil trails · Uijeongbu City Citizen Portal"),
        ("/ko/archive/", "역사문화 아카이브 · 의정부시 시민 포털"),
    ],
)
def test_a_section_page_title_is_page_then_site(client, demo_site, url, title):
    assert title_of(client, url) == title


def test_an_editors_seo_title_is_used_once(client, demo_site):
    trails = demo_site.root_page.get_children().get(slug="trails").specific
    trails.seo_title = "소풍길 9개 코스 안내"
    trails.save_revision().publish()
    assert title_of(client, "/ko/trails/") == "소풍길 9개 코스 안내 · 의정부시 시민 포털"


# --- The sitemap ---------------------------------------------------------------------------------


def sitemap_origins(client) -> tuple[set[str], list[str]]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    locations = re.findall(r"<loc>(.*?)</loc>", response.content.decode())
    return {"{0.scheme}://{0.netloc}".format(urlsplit(location)) for location in locations}, locations


def test_every_sitemap_address_shares_the_sites_origin_port_included(client, demo_site, make_dataset):
    make_dataset("bus-stops", title_ko="버스정류장 위치")
    site = Site.objects.get(is_default_site=True)
    assert site.root_url == "http://localhost:8000"  # SITE_URL's port, not a dropped :80

    origins, locations = sitemap_origins(client)

    assert origins == {"http://localhost:8000"}
    assert "http://localhost:8000/ko/trails/" in locations
    assert "http://localhost:8000/en/open-data/datasets/bus-stops/" in locations


def test_a_site_moved_to_its_public_address_moves_every_sitemap_address(client, demo_site, make_dataset):
    make_dataset("bus-stops", title_ko="버스정류장 위치")
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "portal.uijeongbu.go.kr", 443
    site.save()

    origins, _locations = sitemap_origins(client)

    assert origins == {"https://portal.uijeongbu.go.kr"}


def test_demo_site_answers_on_the_host_and_port_of_site_url(settings, city):
    settings.SITE_URL = "https://portal.example.kr"
    call_command("load_demo_data", verbosity=0)
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_url) == ("portal.example.kr", 443, "https://portal.example.kr")


# --- Admin lists ---------------------------------------------------------------------------------


def admin_index_urls() -> list[str]:
    urls = []
    for viewset in viewsets.viewsets:
        if isinstance(viewset, ModelViewSet):
            try:
                urls.append(reverse(viewset.get_url_name("index")))
            except NoReverseMatch:
                continue
    return urls


def test_no_admin_list_shows_a_bare_true_or_false(admin_client, demo_site, make_dataset):
    make_dataset("bus-stops", title_ko="버스정류장 위치")
    assert CategoryQuestion.objects.filter(required=True).exists() and SiteAlert.objects.filter(live=True).exists()
    urls = set(admin_index_urls()) | {reverse("wagtailsnippets_content_sitealert:list")}
    for url in sorted(urls):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        cells = re.findall(r"<td[^>]*>(.*?)</td>", response.content.decode(), re.S)
        bare = [cell for cell in cells if re.sub(r"<[^>]+>", "", cell).strip() in ("True", "False")]
        assert not bare, f"{url}: {bare[:3]}"
    assert len(urls) >= 6


def test_a_boolean_column_is_a_tick_or_a_cross_read_out_in_the_editors_language(admin_client, city):
    html = admin_client.get(reverse("categoryquestion:index")).content.decode()
    assert "icon-check" in html and "icon-cross" in html
    labels = {re.sub(r"\s+", "", label) for label in re.findall(r'<span class="w-sr-only">(.*?)</span>', html, re.S)}
    assert {"예", "아니요"} <= labels
