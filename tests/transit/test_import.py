"""Importing a GTFS feed: the seed feed lands with a place per stop, a re-import changes nothing a
visitor holds (the stops' /t/ codes), and a broken feed is refused whole, each problem by file and line."""

import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from apps.transit.models import Feed, Stop, StopTime
from apps.transit.services import FeedInvalid, gtfs_feed_import
from tests.transit.conftest import SEED_FEED


def test_seed_feed_is_imported_labelled_illustrative_with_a_short_url_per_stop(city, client):
    feed = Feed.objects.get(municipality=city)
    assert feed.is_illustrative
    station = Stop.objects.get(feed=feed, stop_id="rail-hoeryong")
    assert (station.name, station.place.latitude) == ("회룡역", 37.7245)
    # Both lines stop at 회룡역: one stop, two routes.
    assert set(station.stop_times.values_list("trip__route__route_id", flat=True)) == {"line1", "uline"}
    response = client.get(f"/t/{station.place.code}", HTTP_ACCEPT_LANGUAGE="ko")
    assert response.status_code == 302
    assert response["Location"].split("#")[0] == "/ko/mobility/stops/rail-hoeryong/"


def test_reimport_keeps_every_stop_place_and_replaces_the_timetable(city):
    codes_before = dict(Stop.objects.values_list("stop_id", "place__code"))
    stop_times_before = StopTime.objects.count()
    gtfs_feed_import(municipality=city, source=SEED_FEED)
    assert dict(Stop.objects.values_list("stop_id", "place__code")) == codes_before
    assert StopTime.objects.count() == stop_times_before


def _broken_copy(folder: Path) -> Path:
    feed = folder / "feed"
    shutil.copytree(SEED_FEED, feed)
    stops = (feed / "stops.txt").read_text(encoding="utf-8").splitlines()
    (feed / "stops.txt").write_text("\n".join([*stops, stops[1]]) + "\n", encoding="utf-8")  # duplicate stop_id
    with (feed / "trips.txt").open("a", encoding="utf-8") as trips:
        trips.write("bus-99,weekday,ghost-trip,0\n")  # unknown route_id
        trips.write("bus-1,holidays,holiday-trip,0\n")  # unknown service_id
    with (feed / "stop_times.txt").open("a", encoding="utf-8") as stop_times:
        stop_times.write("ghost-trip,25:61:00,25:61:00,rail-nowhere,1\n")  # bad time, unknown stop_id
        stop_times.write("no-such-trip,06:00:00,06:00:00,rail-balgok,1\n")  # unknown trip_id
    return feed


def test_a_broken_feed_is_refused_whole_with_every_problem_by_file_and_line(city, tmp_path):
    feed = _broken_copy(tmp_path)
    trips_lines = len((feed / "trips.txt").read_text().splitlines())
    stop_times_lines = len((feed / "stop_times.txt").read_text().splitlines())
    stops_lines = len((feed / "stops.txt").read_text().splitlines())
    before = (Feed.objects.get(municipality=city).pk, StopTime.objects.count())
    with pytest.raises(FeedInvalid) as refused:
        gtfs_feed_import(municipality=city, source=feed)
    assert [str(problem) for problem in refused.value.problems] == [
        f"stops.txt:{stops_lines}: Duplicate stop_id 233001701.",
        f"trips.txt:{trips_lines - 1}: Unknown route_id bus-99.",
        f"trips.txt:{trips_lines}: Unknown service_id holidays.",
        f"stop_times.txt:{stop_times_lines - 1}: Unknown stop_id rail-nowhere.",
        f"stop_times.txt:{stop_times_lines - 1}: departure_time 25:61:00 is not a time (HH:MM:SS).",
        f"stop_times.txt:{stop_times_lines}: Unknown trip_id no-such-trip.",
    ]
    assert (Feed.objects.get(municipality=city).pk, StopTime.objects.count()) == before


def test_missing_files_and_columns_are_named_and_the_command_fails(city, tmp_path):
    feed = tmp_path / "feed"
    shutil.copytree(SEED_FEED, feed)
    (feed / "calendar.txt").unlink()
    (feed / "routes.txt").unlink()
    stops = (feed / "stops.txt").read_text(encoding="utf-8").replace("stop_lat,", "latitude,", 1)
    (feed / "stops.txt").write_text(stops, encoding="utf-8")
    with pytest.raises(CommandError, match="3 problem"):
        call_command("import_gtfs", str(feed), verbosity=0)
    with pytest.raises(FeedInvalid) as refused:
        gtfs_feed_import(municipality=city, source=feed)
    assert [str(problem) for problem in refused.value.problems] == [
        "routes.txt: Required file is missing.",
        "calendar.txt: calendar.txt or calendar_dates.txt is required.",
        "stops.txt:1: Required column missing: stop_lat",
    ]
