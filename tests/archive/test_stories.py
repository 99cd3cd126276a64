"""The archive's story pages (exhibitions, a person, everyday culture) made by the demo seed under
the 아카이브 section, in Korean and English, with the archive's items in them; an item made private
leaves every page."""

import pytest
from django.core.management import call_command

from apps.archive.models import Item
from apps.archive.pages import ArchiveStoryPage


@pytest.fixture
def stories(demo_site):
    call_command("load_demo_archive", verbosity=0)
    return demo_site


def test_the_seed_makes_the_story_pages_once_in_both_languages(client, stories):
    call_command("load_demo_archive", verbosity=0)
    assert ArchiveStoryPage.objects.filter(locale__language_code="ko").count() == 5
    assert ArchiveStoryPage.objects.filter(locale__language_code="en").count() == 5
    section = client.get("/ko/archive/").content.decode()
    assert "캠프 스탠리와 빼벌마을" in section and "서계 박세당" in section

    exhibition = client.get("/ko/archive/budae-jjigae-street/").content.decode()
    assert "<h1>부대찌개거리의 시작</h1>" in exhibition
    assert '<p class="notice notice--warning">' in exhibition  # written for the demonstration, and says so
    oral = Item.objects.get(identifier="UA-O-001")
    assert f'href="/ko/archive/items/{oral.pk}/"' in exhibition  # the item block and the collection list
    english = client.get("/en/archive/park-se-dang/").content.decode()
    assert "<h1>Seogye Park Se-dang</h1>" in english and "1629-1703" in english
    assert "Tomb of Seogye Park Se-dang" in english


def test_a_private_item_leaves_the_story_pages(client, stories):
    oral = Item.objects.get(identifier="UA-O-001")
    Item.objects.filter(pk=oral.pk).update(is_public=False)
    page = client.get("/ko/archive/budae-jjigae-street/").content.decode()
    assert f"/ko/archive/items/{oral.pk}/" not in page
