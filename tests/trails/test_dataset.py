"""Courses and markers as an open dataset: the GeoJSON of the published trail pages becomes a version
of the city's trails resource through the open data services, a new one each time publishing
changes it and none when it does not."""

import json

import pytest

from apps.opendata.models import Dataset, Resource, ResourceVersion
from apps.opendata.services import version_ingest
from apps.opendata.trails_dataset import TRAILS_DATASET_SLUG, city_trails_dataset_publish
from apps.trails.models import TrailPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def trails_resource(city) -> Resource:
    dataset = Dataset.objects.create(
        municipality=city,
        slug=TRAILS_DATASET_SLUG,
        title_ko="소풍길",
        department=city.departments.get(code="green-forestry"),
        category="culture",
        update_cycle="irregular",
    )
    return Resource.objects.create(dataset=dataset, name_ko="소풍길 (GeoJSON)", format=Resource.Format.GEOJSON)


def features(version: ResourceVersion) -> list[dict]:
    with version.upload.open("rb") as file:
        return json.load(file)["features"]


def test_publishing_a_trail_adds_a_dataset_version_only_when_the_geojson_changes(
    city, trail, trails_resource, django_capture_on_commit_callbacks
):
    # The trail was published before the city had the dataset: its first version comes from the
    # catalogue's load (city_trails_dataset_publish), and loads as one row per course and marker.
    first = version_ingest(version=city_trails_dataset_publish(city))
    assert (first.number, first.status, first.row_count) == (1, ResourceVersion.Status.READY, 4)
    course, *markers = features(first)
    assert course["geometry"] == {
        "type": "LineString",
        "coordinates": [[127.0, 37.7], [127.0, 37.709], [127.0, 37.718], [127.0, 37.727]],
    }
    expected = {
        "kind": "course",
        "course_number": 1,
        "name_ko": "명상의길",
        "name_en": "Myeongsang-gil",
        "distance_km": 3.0,
        "difficulty": "easy",
        "approximate": True,
    }
    assert {key: course["properties"][key] for key in expected} == expected
    assert course["properties"]["gpx_url"].endswith("/ko/trails/myeongsang-gil/gpx/")
    second_marker = trail.markers.select_related("place").get(number=2)
    assert markers[1]["geometry"]["coordinates"] == [second_marker.longitude, second_marker.latitude]
    assert markers[1]["properties"]["code"] == second_marker.place.code
    assert markers[1]["properties"]["url"].endswith(f"/t/{second_marker.place.code}")

    # Publishing again with nothing the dataset holds changed: no new version.
    korean = TrailPage.objects.get(pk=trail.pk)
    korean.intro = "<p>새 소개</p>"
    with django_capture_on_commit_callbacks(execute=True):
        korean.save_revision().publish()
    assert trails_resource.versions.count() == 1

    # An editor renames the English page: the next version, queued for ingest like any upload.
    english = korean.get_translations().get(locale__language_code="en").specific
    english.title = "Meditation Trail"
    with django_capture_on_commit_callbacks(execute=True):
        english.save_revision().publish()
    second = trails_resource.versions.get(number=2)
    assert second.status == ResourceVersion.Status.QUEUED
    assert features(second)[0]["properties"]["name_en"] == "Meditation Trail"
    assert version_ingest(version=second).status == ResourceVersion.Status.READY
