"""`manage.py prepare` seeds the nine 소풍길 courses (load_demo_trails): the demo site's /trails/
section becomes the trails index in place, and running it again changes nothing."""

import csv

import pytest
from django.conf import settings
from django.core.management import call_command
from wagtail.models import Page, Revision

from apps.places.models import Place
from apps.trails.models import TrailIndexPage, TrailMarker, TrailPage

pytestmark = pytest.mark.django_db


def _state() -> tuple:
    return (
        Page.objects.count(),
        Revision.objects.count(),
        Place.objects.count(),
        TrailMarker.objects.count(),
        sorted(TrailPage.objects.values_list("pk", "distance_m", "kcal")),
    )


def test_the_nine_courses_are_seeded_once_into_the_converted_section(demo_site, client):
    section = demo_site.root_page.get_children().get(slug="trails")
    english_section = section.get_translations().get(locale__language_code="en")

    call_command("load_demo_trails", verbosity=0)

    # The same pages (address, translations, menu entry), now of the trail index type.
    index = TrailIndexPage.objects.get(pk=section.pk)
    assert TrailIndexPage.objects.filter(pk=english_section.pk).exists()
    assert index.show_in_menus and index.url == "/ko/trails/" and index.live
    assert index.get_latest_revision().content["summary"] == index.summary

    with open(settings.BASE_DIR / "data" / "opendata" / "sopung-gil-courses.csv", encoding="utf-8") as file:
        reference = {int(row["코스번호"]): row for row in csv.DictReader(file)}
    courses = TrailPage.objects.child_of(index).order_by("course_number")
    assert [page.course_number for page in courses] == list(range(1, 10))
    for page in courses:
        row = reference[page.course_number]
        assert (page.title, page.start_name, page.end_name) == (row["코스명"], row["시점"], row["종점"])
        assert str(page.official_distance_km) == row["거리_km"]
        # The generated track is as long as the published course (within 1 %), and labelled approximate.
        assert page.distance_m == pytest.approx(float(row["거리_km"]) * 1000, rel=0.01)
        assert page.track_is_approximate and page.live
        assert page.track[0][:2] == [float(row["위도"]), float(row["경도"])]
        markers = list(page.markers.select_related("place"))
        assert len(markers) >= 5 and all(m.name_ko and m.name_en and m.text_ko and m.text_en for m in markers)
        assert {marker.place.owner for marker in markers} == {page}
        # The ecology of every season at every marker, said to be illustrative where walkers read it.
        for marker in markers:
            seasons = {block.value["season"]: block.value for block in marker.ecology}
            assert set(seasons) == {"spring", "summer", "autumn", "winter"}
            assert all(season["flowers"]["ko"].endswith("(예시)") for season in seasons.values())
            assert all(season["birds"]["en"].endswith("(illustrative)") for season in seasons.values())
        english = page.get_translations().get(locale__language_code="en")
        assert english.title.endswith(")") and english.live
        # Two courses for tourists in Japanese and Chinese: the page and every marker's name and text.
        tourist = set(page.get_translations().filter(live=True).values_list("locale__language_code", flat=True))
        translated = page.course_number in (1, 9)
        assert tourist == ({"en", "ja", "zh-hans"} if translated else {"en"})
        assert all(bool(m.name_ja and m.text_ja and m.name_zh_hans and m.text_zh_hans) == translated for m in markers)

    assert courses.get(course_number=6).difficulty == "hard"
    assert courses.get(course_number=9).difficulty == "easy"
    listing = client.get("/en/trails/").content.decode()
    assert "Jangjaeul-gil (Jangjaeul Trail)" in listing and "approximate track" in listing
    japanese = client.get("/ja/trails/").content.decode()
    assert 'href="/ja/trails/myeongsang-gil/"' in japanese and "ミョンサンギル（瞑想の道）" in japanese
    assert "冥想之路（Myeongsang-gil）" in client.get("/zh-hans/trails/myeongsang-gil/").content.decode()

    before = _state()
    call_command("load_demo_trails", verbosity=0)
    assert _state() == before
