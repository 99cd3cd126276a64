"""The archive's story pages (exhibitions, a person, everyday culture) made by the demo seed under
the 아카이브 section, in Korean and English, with the archive's items in them; an item made private
leaves every page."""

import json
import re

import pytest
from django.core.management import call_command

from apps.archive.models import Item
from apps.archive.pages import ArchiveStoryPage
from content.models import ArchiveIndexPage


@pytest.fixture
def stories(demo_site):
    call_command("load_demo_archive", verbosity=0)
    return demo_site


def test_the_seed_makes_the_story_pages_once_in_both_languages(client, stories):
    call_command("load_demo_archive", verbosity=0)
    assert ArchiveStoryPage.objects.filter(locale__language_code="ko").count() == 10
    assert ArchiveStoryPage.objects.filter(locale__language_code="en").count() == 10
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


def _section(html: str, heading_id: str) -> str:
    return re.search(rf'<section aria-labelledby="{heading_id}">(.*?)</section>', html, re.S).group(1)


def _titles(html: str) -> list[str]:
    return re.findall(r'<h3>([^<]+)</h3>|<span class="card__title">([^<]+)</span>', html)


def test_the_archive_landing_page_groups_its_stories_in_both_languages(client, stories, django_assert_num_queries):
    # The section page that load_demo_data made is now the archive's landing page, at its address.
    assert ArchiveIndexPage.objects.filter(url_path__endswith="/archive/").count() == 2
    korean = client.get("/ko/archive/").content.decode()
    assert 'action="/ko/archive/search/"' in korean and "의정부의 역사와 문화, 예술 기록을 모아" in korean
    assert _titles(_section(korean, "archive-exhibitions-title")) == [
        ("", "캠프 스탠리와 빼벌마을"),
        ("", "부대찌개거리의 시작"),
        ("", "망월사의 문화재"),
    ]
    people = [title for _topic, title in _titles(_section(korean, "archive-people-title"))]
    assert people == ["서계 박세당", "혜거국사", "천봉선사 태흘", "정문부 장군", "하석 박정"]
    assert '<span class="card__meta">고려 초기 · 고려 초기의 승려, 국사</span>' in korean  # years and role
    # Everyday culture by topic, in the order of the archive plan's categories (축제·행사 before 역사).
    assert _titles(_section(korean, "archive-culture-title")) == [
        ("축제·행사", ""),
        ("", "축제와 거리 공연"),
        ("역사", ""),
        ("", "일상의 풍경"),
    ]
    english = client.get("/en/archive/").content.decode()
    assert "National Preceptor Hyegeo" in english and '<span class="card__meta">early Goryeo · ' in english

    # An exhibition's collection is told by decade, with the way to its items on the map and timeline.
    exhibition = client.get("/en/archive/camp-stanley-ppaebeol/").content.decode()
    decades = re.findall(r'<h3 class="archive-story__decade">([^<]+)</h3>', exhibition)
    assert decades == ["1950s", "1960s", "1970s", "1980s", "2000s", "2020s"]
    assert 'href="/en/archive/search/?collection=camp-stanley-ppaebeol"' in exhibition

    # The landing page is kept for every visitor until an editor publishes a change to a story.
    with django_assert_num_queries(0):
        client.get("/ko/archive/")
    story = ArchiveStoryPage.objects.get(slug="mangwolsa", locale__language_code="ko")
    story.title = "망월사의 불화와 부도"
    story.save_revision().publish()
    assert "망월사의 불화와 부도" in client.get("/ko/archive/").content.decode()
    story.unpublish()
    assert "망월사의 불화와 부도" not in client.get("/ko/archive/").content.decode()


def test_a_person_has_a_role_a_portrait_and_a_timeline_and_a_story_maps_its_places(client, stories):
    scholar = client.get("/en/archive/park-se-dang/").content.decode()
    assert '<p class="archive-story__role">A scholar of the late Joseon period</p>' in scholar
    timeline = re.search(r'<section class="archive-timeline">(.*?)</section>', scholar, re.S).group(1)
    assert re.findall(r'archive-timeline__when">([^<]+)<', timeline) == ["1629", "1660", "1668", "Afterwards", "1703"]

    portrait = Item.objects.get(title_en="Portrait of Haseok Park Jeong")
    official = client.get("/ko/archive/park-jeong/").content.decode()
    image = re.search(r'<img class="archive-story__portrait" src="([^"]+)"[^>]* alt="([^"]+)"', official)
    assert image and portrait.media.first().uuid.hex in image.group(1) and image.group(2) == portrait.title_ko
    portrait.is_public = False  # a private item is no one's portrait
    portrait.save(update_fields=["is_public"])
    assert "archive-story__portrait" not in client.get("/ko/archive/park-jeong/").content.decode()

    # The places of the story's items and collection on a map, each linking to its item.
    exhibition = client.get("/ko/archive/camp-stanley-ppaebeol/").content.decode()
    data = re.search(r'<script id="story-points" type="application/json">(.*?)</script>', exhibition)
    points = json.loads(data.group(1))
    mapped = Item.objects.filter(collections__slug="camp-stanley-ppaebeol", is_public=True).exclude(place=None)
    assert sorted(point["url"] for point in points) == sorted(f"/ko/archive/items/{item.pk}/" for item in mapped)
    assert points and all(point["latitude"] and point["longitude"] for point in points)
