"""Arrivals for the illustrative feed's bus stops when no GBIS key is configured: a
getBusArrivalListv2 answer made from the illustrative timetable, so the live path (parser, cache,
pages, API, GTFS-Realtime) runs end to end on the embedded defaults. Shown as "demo", never as live."""

from datetime import datetime, timedelta
from typing import Any

from apps.transit.models import Route, Stop
from apps.transit.selectors import BUS_ROUTE_TYPE, departures_between

HORIZON = timedelta(minutes=60)
SECONDS_PER_STOP = 120  # a city bus between two stops, roughly
# Made-up plates: clearly not a registered vehicle's.
DEMO_PLATE = "예시{:02d}"


def demo_arrival_answer(stop: Stop, *, now: datetime) -> dict[str, Any]:
    """The GBIS v2 answer this stop would give if each bus kept to the illustrative timetable:
    the next two buses of each route within the hour."""
    by_route: dict[str, list] = {}
    for departure in departures_between(stop, now, now + HORIZON):
        if departure.route_type == BUS_ROUTE_TYPE and departure.leaves_at >= now:
            by_route.setdefault(departure.route_id, []).append(departure)
    if not by_route:
        return {"response": {"msgHeader": {"resultCode": 4, "resultMessage": "결과가 존재하지 않습니다."}}}
    # GBIS names a route as its sign does, the GTFS route_short_name ("3"), not the page's "3번".
    signs = dict(Route.objects.filter(feed=stop.feed, route_id__in=by_route).values_list("route_id", "short_name"))
    items = []
    for number, (route_id, departures) in enumerate(sorted(by_route.items())):
        first = departures[0]
        item = {
            "routeId": route_id,
            "routeName": signs[route_id],
            "flag": "PASS",
            "staOrder": first.sequence,
            # GBIS counts out and back in one sequence: turnSeq at or past this stop means "on the way out".
            "turnSeq": first.sequence if first.direction_id != 1 else max(0, first.sequence - 1),
        }
        for slot, departure in zip(("1", "2"), departures[:2], strict=False):
            seconds = int((departure.leaves_at - now).total_seconds())
            item |= {
                f"predictTimeSec{slot}": seconds,
                f"predictTime{slot}": seconds // 60,
                f"locationNo{slot}": max(1, seconds // SECONDS_PER_STOP),
                f"plateNo{slot}": DEMO_PLATE.format(number * 2 + int(slot)),
                f"lowPlate{slot}": int(slot == "1"),
                f"remainSeatCnt{slot}": -1,
                f"crowded{slot}": 0,
            }
        items.append(item)
    return {
        "response": {
            "msgHeader": {"resultCode": 0, "resultMessage": "정상적으로 처리되었습니다."},
            "msgBody": {"busArrivalList": items},
        }
    }
