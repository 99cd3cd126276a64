"""Live arrivals in the GBIS v2 shape from recorded answers replayed by a local server that counts
its calls; the per-stop cache; the timetable answering, labelled "scheduled", when there is no
provider or it fails; the arrivals published as GTFS-Realtime; and the endpoints and page refusing
odd requests with a 4xx."""

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from google.transit import gtfs_realtime_pb2

from apps.municipalities.models import Municipality
from apps.transit.arrivals import CACHE_PREFIX, parse_arrivals, stop_board
from apps.transit.models import Stop
from tests.transit.conftest import RECORDED

BUS_STOP = "233000101"  # 의정부역.신세계백화점
# The recorded answer's queryTime, a Friday (weekday timetable).
ASKED_AT = datetime(2026, 12, 4, 8, 10, 21, tzinfo=ZoneInfo("Asia/Seoul"))


class Provider(BaseHTTPRequestHandler):
    """Answers every request with `body` (bytes) and `status`, counting the calls."""

    body = b""
    status = 200
    delay = 0.0
    calls = 0

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        type(self).calls += 1
        time.sleep(self.delay)
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json;charset=UTF-8")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError):  # the client gave up first (the timeout case)
            self.wfile.write(self.body)

    def log_message(self, *args) -> None:
        pass


@contextmanager
def provider(settings, body: bytes, *, status: int = 200, delay: float = 0.0) -> Iterator[type[Provider]]:
    handler = type("Recorded", (Provider,), {"body": body, "status": status, "delay": delay, "calls": 0})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.TRANSIT_GBIS_URL = f"http://127.0.0.1:{server.server_port}/getBusArrivalListv2"
    settings.TRANSIT_GBIS_KEY = "test-key"
    settings.TRANSIT_GBIS_TIMEOUT = 0.5
    cache.delete(f"{CACHE_PREFIX}{BUS_STOP}")
    try:
        yield handler
    finally:
        cache.delete(f"{CACHE_PREFIX}{BUS_STOP}")
        server.shutdown()
        server.server_close()


def recorded(name: str) -> bytes:
    return (RECORDED / f"{name}.json").read_bytes()


def test_recorded_gbis_answer_is_read_field_by_field():
    arrivals = parse_arrivals(json.loads(recorded("gbis-arrivals-233000101")), observed_at=ASKED_AT)
    assert [(a.route_name, a.predict_seconds, a.stops_away, a.plate) for a in arrivals] == [
        ("3", 70, 1, "경기77자4321"),
        ("1", 251, 2, "경기70바1234"),
        ("1", 903, 7, "경기70바5678"),
    ]
    first_1 = arrivals[1]
    assert (first_1.low_floor, first_1.remaining_seats, first_1.crowding, first_1.flag) == (True, None, 2, "PASS")
    assert (arrivals[0].remaining_seats, arrivals[0].crowding) == (12, None)
    assert arrivals[0].arrives_at == datetime(2026, 12, 4, 8, 11, 31, tzinfo=ZoneInfo("Asia/Seoul"))
    assert {arrival.direction_id for arrival in arrivals} == {0}  # staOrder before turnSeq: the way out
    assert parse_arrivals(json.loads(recorded("gbis-no-bus")), observed_at=ASKED_AT) == []
    with pytest.raises(ValueError, match="resultCode 30"):
        parse_arrivals(json.loads(recorded("gbis-key-error")), observed_at=ASKED_AT)


def test_many_requests_in_one_window_make_one_provider_call(city, settings, client):
    with provider(settings, recorded("gbis-arrivals-233000101")) as replay:
        answers = [client.get(f"/api/v1/mobility/stops/{BUS_STOP}/arrivals").json() for _ in range(50)]
        assert replay.calls == 1
        assert {answer["source"] for answer in answers} == {"live"}
        # A live bus is named as the timetable names its route (GBIS says "3"): 3번 in Korean, 3 in English.
        assert answers[0]["live"][0]["route_name"] == "3번"
        assert {arrival["route_name"] for arrival in answers[0]["live"]} <= {
            route["route_name"] for route in answers[0]["routes"]
        }
        english = client.get(f"/api/v1/mobility/stops/{BUS_STOP}/arrivals", HTTP_ACCEPT_LANGUAGE="en").json()
        assert english["live"][0]["route_name"] == "3"
        cache.delete(f"{CACHE_PREFIX}{BUS_STOP}")  # the window ends
        client.get(f"/api/v1/mobility/stops/{BUS_STOP}/arrivals")
        assert replay.calls == 2


@pytest.mark.parametrize(
    ("body", "status", "delay"),
    [
        (b"", 500, 0.0),
        (b"<html>not json</html>", 200, 0.0),
        (b'{"response": {"msgHeader": {"resultCode": 0}, "msgBody": {"busArrivalList": "x"}}}', 200, 0.0),
        (None, 200, 1.0),  # slower than the timeout
    ],
    ids=["error", "html", "malformed", "timeout"],
)
def test_a_failing_provider_falls_back_to_the_timetable_labelled_scheduled(city, settings, body, status, delay):
    body = recorded("gbis-key-error") if body is None else body
    stop = Stop.objects.get(stop_id=BUS_STOP)
    with provider(settings, body, status=status, delay=delay) as replay:
        boards = [stop_board(stop, now=stop.feed.imported_at) for _ in range(3)]
        assert replay.calls == 1  # a failure is cached too: a provider that is down is not hammered
    assert {board.source for board in boards} == {"scheduled"}
    assert boards[0].live == [] and boards[0].routes


def test_arrivals_fetched_for_visitors_are_published_as_gtfs_realtime_trip_updates(city, settings, client):
    url = "/api/v1/mobility/gtfs-rt/trip-updates"
    with provider(settings, recorded("gbis-arrivals-233000101")) as replay:
        assert not _feed_message(client.get(url)).entity  # nothing fetched yet, and the feed asks nobody
        stop_board(Stop.objects.get(stop_id=BUS_STOP), now=ASKED_AT)
        message = _feed_message(client.get(url))
        readable = client.get(url, {"format": "json"}).json()
        assert replay.calls == 1
    assert message.header.gtfs_realtime_version == "2.0"
    # Each live bus is taken for the scheduled trip of its route and direction nearest its prediction.
    assert [
        (
            entity.trip_update.trip.trip_id,
            entity.trip_update.trip.start_date,
            entity.trip_update.vehicle.label,
            [
                (update.stop_id, update.arrival.time - int(ASKED_AT.timestamp()), update.arrival.delay)
                for update in entity.trip_update.stop_time_update
            ],
        )
        for entity in message.entity
    ] == [
        ("bus-1-weekday-0-0800", "20261204", "경기70바1234", [(BUS_STOP, 251, 251 + 141)]),  # due 08:08, 6½ min late
        ("bus-1-weekday-0-0815", "20261204", "경기70바5678", [(BUS_STOP, 903, 903 - 759)]),
        ("bus-3-weekday-0-0800", "20261204", "경기77자4321", [(BUS_STOP, 70, 70 - 99)]),
    ]
    low_floor = gtfs_realtime_pb2.VehicleDescriptor.WHEELCHAIR_ACCESSIBLE
    assert message.entity[0].trip_update.vehicle.wheelchair_accessible == low_floor
    assert [entity["id"] for entity in readable["entity"]] == [entity.id for entity in message.entity]
    other = Municipality.objects.create(code="yangju", name_ko="양주시", name_en="Yangju")
    assert not _feed_message(client.get(url, {"municipality": other.code})).entity
    assert client.get(url, {"format": "xml"}).status_code == 404


def _feed_message(response) -> gtfs_realtime_pb2.FeedMessage:
    assert (response.status_code, response["Content-Type"]) == (200, "application/x-protobuf")
    message = gtfs_realtime_pb2.FeedMessage()
    message.ParseFromString(response.content)
    return message


def test_without_a_provider_the_page_shows_the_timetable_labelled_scheduled_and_illustrative(city, client, settings):
    settings.TRANSIT_DEMO_ARRIVALS = False
    response = client.get(f"/ko/mobility/stops/{BUS_STOP}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-source="scheduled"' in page and "예시 시간표" in page
    assert response.wsgi_request.resolver_match.url_name == "stop"
    assert "Scheduled" in client.get(f"/en/mobility/stops/{BUS_STOP}/").content.decode()
    arrivals = client.get(f"/api/v1/mobility/stops/{BUS_STOP}/arrivals")
    assert (arrivals.json()["source"], arrivals.json()["illustrative"]) == ("scheduled", True)
    assert arrivals["Cache-Control"] == "public, max-age=30" and arrivals["ETag"]


def test_without_a_provider_the_illustrative_feeds_bus_stops_get_demo_arrivals_from_its_timetable(
    city, client, settings
):
    cache.delete(f"{CACHE_PREFIX}{BUS_STOP}")
    stop = Stop.objects.select_related("feed").get(feed__municipality=city, stop_id=BUS_STOP)
    board = stop_board(stop, now=ASKED_AT)
    assert board.source == "demo" and board.live
    first_bus = {}
    for arrival in board.live:
        first_bus.setdefault(arrival.route_id, arrival.arrives_at)
    within_the_hour = {
        route.route_id: route.next[0].leaves_at
        for route in board.routes
        if route.route_type == 3 and route.next and route.next[0].leaves_at <= ASKED_AT + timedelta(hours=1)
    }
    assert first_bus == within_the_hour

    page = client.get(f"/ko/mobility/stops/{BUS_STOP}/").content.decode()
    assert 'data-source="demo"' in page and "예시 도착 정보" in page and 'data-source="live"' not in page
    fragment = client.get(f"/ko/mobility/stops/{BUS_STOP}/board/")
    assert fragment.status_code == 200 and "data-stop-board" in fragment.content.decode()
    assert "<html" not in fragment.content.decode() and fragment["Cache-Control"].startswith("public")
    assert client.get("/api/v1/mobility/stops/rail-city-hall/arrivals").json()["source"] == "scheduled"
    # Demo arrivals match the timetable's trips, so the GTFS-Realtime feed carries them too.
    updates = _feed_message(client.get("/api/v1/mobility/gtfs-rt/trip-updates")).entity
    assert {update.trip_update.trip.route_id for update in updates} >= set(first_bus)

    stop.feed.is_illustrative = False  # a real feed's stops never get demo arrivals
    stop.feed.save(update_fields=["is_illustrative"])
    cache.delete(f"{CACHE_PREFIX}{BUS_STOP}")
    assert stop_board(stop, now=ASKED_AT).source == "scheduled"


def test_stops_near_a_point_nearest_first(city, client):
    stops = client.get("/api/v1/mobility/stops/?near=37.7394,127.0351&radius_m=800").json()
    assert stops[0]["id"] == "rail-city-hall" and stops[0]["short_url"].startswith("/t/")
    assert [stop["distance_m"] for stop in stops] == sorted(stop["distance_m"] for stop in stops)


def test_stops_by_name_for_the_bot(city, client):
    named = client.get("/api/v1/mobility/stops/", {"q": "의정부역 신세계"}).json()
    assert named and all("의정부역" in stop["name"] and "신세계" in stop["name"] for stop in named)
    assert client.get("/api/v1/mobility/stops/", {"q": "없는정류장"}).json() == []


def test_odd_requests_get_a_4xx_never_a_500(city, client):
    other = Municipality.objects.create(code="yangju", name_ko="양주시", name_en="Yangju")
    for path in [
        "/api/v1/mobility/stops/" + "9" * 500 + "/arrivals",
        "/api/v1/mobility/stops/%00%1b/arrivals",
        "/api/v1/mobility/stops/..%2F..%2Fetc/arrivals",
        f"/api/v1/mobility/stops/{BUS_STOP}/arrivals?municipality={other.code}",
        "/api/v1/mobility/stops/?near=nan,inf",
        "/api/v1/mobility/stops/?near=37.7,127.0,1",
        "/api/v1/mobility/stops/?near=" + "1" * 100,
        "/api/v1/mobility/stops/?near=37.7,127.0&radius_m=99999999",
        "/api/v1/mobility/stops/",
        "/api/v1/mobility/stops/?q=" + "가" * 51,
        "/api/v1/mobility/stops/?q=%20%20",
        "/ko/mobility/stops/%00/",
        "/en/mobility/stops/" + "x" * 300 + "/",
        "/api/v1/mobility/gtfs-rt/trip-updates?format=%00",
        "/api/v1/mobility/gtfs-rt/trip-updates?municipality=%1b" + "x" * 200,
    ]:
        status = client.get(path, HTTP_X_FORWARDED_FOR="1.2.3.4, <script>").status_code
        assert 400 <= status < 500, path
