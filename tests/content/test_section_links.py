"""Section pages for areas still being built link to what exists: their datasets, the report form
with the right category, and the chat assistant; editors keep the links in the page."""

import re
from html import unescape

import pytest
from django.core.management import call_command

from apps.opendata.models import Dataset
from content.models import SectionPage

# slug: (datasets, report categories, the assistant's question in Korean)
EXPECTED = {
    "trails": (["sopung-gil-courses"], ["tree-trail"], "소풍길 코스 알려주세요"),
    "mobility": (["public-parking-lots", "bus-stops"], ["illegal-parking"], ""),
    "river-guide": ([], ["river-walkway", "flooding"], "중랑천 산책로 지금 다닐 수 있어요?"),
    "archive": (["cultural-heritage"], ["culture-archive"], ""),
}


@pytest.fixture
def demo_with_datasets(demo_site):
    call_command("load_demo_datasets", verbosity=0)
    return demo_site


def quick_links(html: str) -> str:
    found = re.search(r'<section class="quick-links".*?</section>', html, re.S)
    assert found, "no quick links"
    return found.group(0)


def hrefs(html: str) -> list[str]:
    return [unescape(href) for href in re.findall(r'href="([^"]*)"', html)]


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_each_section_links_its_datasets_the_report_form_and_the_assistant(client, demo_with_datasets, slug, language):
    datasets, categories, question = EXPECTED[slug]
    links = quick_links(client.get(f"/{language}/{slug}/").content.decode())
    urls = hrefs(links)

    for dataset in datasets:
        assert f"/{language}/open-data/datasets/{dataset}/" in urls
    for category in categories:
        assert f"/{language}/complaints/report/?category={category}" in urls
    assert links.count("data-chat-start=") == 1
    if language == "ko" and question:
        assert f'data-chat-start="{question}"' in links
    for url in urls:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(("language", "title"), [("ko", "의정부 소풍길 코스 정보"), ("en", "Sopung-gil")])
def test_a_dataset_link_carries_the_datasets_title_in_the_readers_language(client, demo_with_datasets, language, title):
    assert title in quick_links(client.get(f"/{language}/trails/").content.decode())


def test_the_report_link_opens_the_form_with_its_category_chosen(client, demo_with_datasets):
    html = client.get("/ko/complaints/report/?category=tree-trail").content.decode()
    assert re.search(r'<option value="tree-trail"[^>]*selected', html)


def test_a_dataset_taken_off_the_portal_drops_out_of_the_page(client, demo_with_datasets):
    Dataset.objects.filter(slug="sopung-gil-courses").update(is_published=False)
    links = quick_links(client.get("/ko/trails/").content.decode())
    assert "sopung-gil-courses" not in links
    assert "/ko/complaints/report/?category=tree-trail" in hrefs(links)


def test_a_category_the_city_no_longer_takes_opens_the_form_without_one(client, demo_with_datasets, city):
    city.categories.filter(code="tree-trail").update(is_active=False)
    links = quick_links(client.get("/ko/trails/").content.decode())
    assert "?category=" not in links and "/ko/complaints/report/" in hrefs(links)


def test_editors_edit_the_links_in_the_page(admin_client, demo_with_datasets):
    trails = SectionPage.objects.get(slug="trails", locale__language_code="ko")
    assert [block.block_type for block in trails.quick_links] == ["dataset", "report", "assistant"]
    response = admin_client.get(f"/admin/pages/{trails.pk}/edit/")
    assert response.status_code == 200
    assert "quick_links" in response.content.decode()

    trails.quick_links = [("dataset", {"dataset": "urban-parks", "description": ""})]
    trails.save_revision().publish()
    links = quick_links(client_get(admin_client, "/ko/trails/"))
    assert "/ko/open-data/datasets/urban-parks/" in hrefs(links) and "sopung-gil-courses" not in links


def client_get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()
