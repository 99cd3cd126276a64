"""Writes data/transit/uijeongbu-illustrative/: a small GTFS feed from the REAL names and positions
of 의정부's bus stops (data/opendata/bus-stops.csv) and Line 1 / U Line stations
(data/reference/uijeongbu/railway-stations.csv), with ILLUSTRATIVE timetables (first and last
trips and headways are plausible, not the operators'). Run: python data/transit/build_uijeongbu_illustrative.py"""

import csv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).parent / "uijeongbu-illustrative"
LABEL = "ILLUSTRATIVE timetable (예시 시간표) - not the operators' schedule"
STOPS_PER_BUS_ROUTE = 12
# route: (first departure, last departure, weekday headway, weekend headway) in minutes after midnight
BUS_ROUTES = {"1": (330, 1410, 15, 25), "3": (340, 1390, 20, 30), "5": (350, 1380, 18, 28)}
LINE_1 = ["mangwolsa", "hoeryong", "uijeongbu", "ganeung", "nogyang"]
U_LINE = ["balgok", "hoeryong", "city-hall", "tapseok"]  # the U Line's stations in this reference file
RAIL = {
    "line1": ("1호선", "Line 1", "2", LINE_1, (315, 1450, 10, 14), 3),
    "uline": ("의정부경전철", "U Line", "0", U_LINE, (330, 1470, 6, 9), 3),
}


def clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}:00"  # GTFS times go past 24:00 for late trips


def write(name: str, header: list[str], rows: list[list]) -> None:
    with (OUT / name).open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    bus_stops = list(csv.DictReader((ROOT / "data/opendata/bus-stops.csv").open(encoding="utf-8")))
    stations = {
        row["code"]: row
        for row in csv.DictReader((ROOT / "data/reference/uijeongbu/railway-stations.csv").open(encoding="utf-8"))
    }
    stops: dict[str, list] = {}
    routes, trips, stop_times = [], [], []
    patterns: dict[str, tuple[list[str], tuple[int, int, int, int], int]] = {}
    for short_name, timing in BUS_ROUTES.items():
        served = [row for row in bus_stops if short_name in [part.strip() for part in row["경유노선"].split(",")]]
        served = sorted(served, key=lambda row: float(row["위도"]))[:STOPS_PER_BUS_ROUTE]
        for row in served:
            stops[row["정류소ID"]] = [row["정류소ID"], row["정류소번호"], row["정류소명"], row["위도"], row["경도"], 0]
        routes.append([f"bus-{short_name}", "uijeongbu-bus", short_name, f"{short_name}번", 3])
        patterns[f"bus-{short_name}"] = ([row["정류소ID"] for row in served], timing, 2)
    for route_id, (name_ko, name_en, route_type, codes, timing, minutes_between) in RAIL.items():
        for code in codes:
            station = stations[code]
            stops[f"rail-{code}"] = [
                f"rail-{code}",
                "",
                station["name_ko"],
                station["latitude"],
                station["longitude"],
                0,
            ]
        routes.append([route_id, "korail" if route_id == "line1" else "uline", name_en, name_ko, int(route_type)])
        patterns[route_id] = ([f"rail-{code}" for code in codes], timing, minutes_between)
    for route_id, (stop_ids, (first, last, weekday_headway, weekend_headway), minutes_between) in patterns.items():
        for service_id, headway in (("weekday", weekday_headway), ("weekend", weekend_headway)):
            for direction, ordered in ((0, stop_ids), (1, stop_ids[::-1])):
                for start in range(first, last + 1, headway):
                    trip_id = f"{route_id}-{service_id}-{direction}-{clock(start)[:5].replace(':', '')}"
                    trips.append([route_id, service_id, trip_id, direction])
                    for sequence, stop_id in enumerate(ordered, start=1):
                        at = clock(start + (sequence - 1) * minutes_between)
                        stop_times.append([trip_id, at, at, stop_id, sequence])
    write(
        "agency.txt",
        ["agency_id", "agency_name", "agency_url", "agency_timezone", "agency_lang"],
        [
            ["uijeongbu-bus", f"의정부 시내버스 ({LABEL})", "https://www.ui4u.go.kr", "Asia/Seoul", "ko"],
            ["korail", f"코레일 1호선 ({LABEL})", "https://www.letskorail.com", "Asia/Seoul", "ko"],
            ["uline", f"의정부경전철 ({LABEL})", "https://www.ulrt.co.kr", "Asia/Seoul", "ko"],
        ],
    )
    write(
        "feed_info.txt",
        ["feed_publisher_name", "feed_publisher_url", "feed_lang", "feed_version"],
        [[f"Uijeongbu citizen portal - {LABEL}", "https://www.ui4u.go.kr", "ko", "illustrative-1"]],
    )
    write(
        "stops.txt",
        ["stop_id", "stop_code", "stop_name", "stop_lat", "stop_lon", "location_type"],
        list(stops.values()),
    )
    write("routes.txt", ["route_id", "agency_id", "route_short_name", "route_long_name", "route_type"], routes)
    write(
        "calendar.txt",
        [
            "service_id",
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
            "start_date",
            "end_date",
        ],
        [
            ["weekday", 1, 1, 1, 1, 1, 0, 0, "20250101", "20291231"],
            ["weekend", 0, 0, 0, 0, 0, 1, 1, "20250101", "20291231"],
        ],
    )
    write("trips.txt", ["route_id", "service_id", "trip_id", "direction_id"], trips)
    write("stop_times.txt", ["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"], stop_times)


if __name__ == "__main__":
    main()
