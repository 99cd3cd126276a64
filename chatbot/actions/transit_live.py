"""Bus and train questions answered from the portal's stops API: "시청 정류장에 1번 버스 언제
와요?", "when is the last U Line train at Tapseok?". The stop is found by the place the resident
names (GET /api/v1/mobility/stops/?q=), its arrivals come live from the province's bus
information or, failing that, from the timetable (GET /api/v1/mobility/stops/<id>/arrivals), and
the answer says which: a timetable time is never given as live."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from rasa_sdk.executor import CollectingDispatcher

from actions.places import place_words
from actions.portal import Portal, PortalError

SEOUL = ZoneInfo("Asia/Seoul")
STOPS_ANSWERED = 2  # a stop usually has one sign each side of the road
NEXT_SHOWN = 2
ROUTE_KO = re.compile(r"(\d{1,4}(?:-\d{1,2})?)\s*번")
ROUTE_EN = re.compile(r"\b(?:bus|route|number|no\.?)\s*(\d{1,4}(?:-\d{1,2})?)\b", re.I)
ROUTE_ALONE_EN = re.compile(r"\bthe\s+(\d{1,4}(?:-\d{1,2})?)\b", re.I)
# The question's own words, which name no stop.
QUESTION_WORDS = {
    "버스",
    "정류장",
    "정류소",
    "도착",
    "언제",
    "다음",
    "막차",
    "첫차",
    "경전철",
    "열차",
    "전철",
    "지하철",
    "시간",
    "와요",
    "오나요",
    "남았어요",
    "남았어",
    "알려줘",
    "알려주세요",
    "가는",
    "지금",
    "도착정보",
}


def route_asked(text: str) -> str | None:
    """ "1번", "bus 1", "the 106": the route's number; None when the question names none."""
    for pattern in (ROUTE_KO, ROUTE_EN, ROUTE_ALONE_EN):
        if match := pattern.search(text or ""):
            return match.group(1)
    return None


def stop_words(text: str) -> list[str]:
    """The words that may name the stop, without the route number and the question's words."""
    without_route = ROUTE_KO.sub(" ", text or "")
    return place_words(without_route, ignore=QUESTION_WORDS, ignore_prefixes=("몇", "언제", "버스"))


# The pieces of an answer's lines; whole sentences are the domain's responses.
WORDS = {
    "ko": {
        "live": "{minutes}분 후",
        "stops_away": " ({stops}정거장 전)",
        "departs": "{time} ({minutes}분 후)",
        "none_today": "오늘 운행 종료",
        "last": " · 막차 {time}",
        "source_live": "실시간",
        "source_demo": "예시 도착 정보 (예시 시간표로 계산, 실제 버스 아님)",
        "source_timetable": "시간표 기준",
        "illustrative": ", 예시 시간표",
    },
    "en": {
        "live": "{minutes} min",
        "stops_away": " ({stops} stops away)",
        "departs": "{time} ({minutes} min)",
        "none_today": "no more today",
        "last": " · last {time}",
        "source_live": "live",
        "source_demo": "demo arrivals (worked out from the illustrative timetable, not real buses)",
        "source_timetable": "timetable",
        "illustrative": ", illustrative timetable",
    },
}


def _clock(value: str) -> str:
    return datetime.fromisoformat(value).astimezone(SEOUL).strftime("%H:%M")


def _route_number(name: str) -> str:
    return name.removesuffix("번").strip()


def arrival_lines(arrivals: dict, asked: str | None, lang: str) -> list[str]:
    """One line per route at the stop (only the asked one, if any): live arrivals where there are
    any, else the timetable's next departures; and the day's last."""
    words = WORDS["en" if lang == "en" else "ko"]
    live_by_route: dict[str, list[dict]] = {}
    for arrival in arrivals["live"]:
        live_by_route.setdefault(arrival["route_name"], []).append(arrival)
    lines = []
    for route in arrivals["routes"]:
        if asked and _route_number(route["route_name"]) != asked:
            continue
        if live := live_by_route.get(route["route_name"], [])[:NEXT_SHOWN]:
            times = [
                words["live"].format(minutes=arrival["predict_seconds"] // 60)
                + (words["stops_away"].format(stops=arrival["stops_away"]) if arrival["stops_away"] else "")
                for arrival in live
            ]
        else:
            times = [
                words["departs"].format(time=_clock(departure["leaves_at"]), minutes=departure["minutes"])
                for departure in route["next"][:NEXT_SHOWN]
            ] or [words["none_today"]]
        last = words["last"].format(time=_clock(route["last"]["leaves_at"])) if route["last"] else ""
        lines.append(f"- {route['route_name']}: {', '.join(times)}{last}")
    return lines


def _source(arrivals: dict, lang: str) -> str:
    words = WORDS["en" if lang == "en" else "ko"]
    if arrivals["source"] in ("live", "demo"):
        return words[f"source_{arrivals['source']}"]
    return words["source_timetable"] + (words["illustrative"] if arrivals["illustrative"] else "")


async def answer_bus(dispatcher: CollectingDispatcher, portal: Portal, lang: str, text: str) -> None:
    asked = route_asked(text)
    try:
        stops = []
        for word in stop_words(text):
            stops = await portal.stops_named(word, lang)
            if stops:
                break
        if not stops:
            dispatcher.utter_message(response="utter_bus_stop_not_found")
            return
        answered, served = [], []
        for stop in stops[:STOPS_ANSWERED]:
            arrivals = await portal.stop_arrivals(stop["id"], lang)
            served += [route["route_name"] for route in arrivals["routes"]]
            if lines := arrival_lines(arrivals, asked, lang):
                sign = f" ({stop['code']})" if stop["code"] else ""
                answered.append(f"{stop['name']}{sign} · {_source(arrivals, lang)}\n" + "\n".join(lines))
    except PortalError as error:
        dispatcher.utter_message(response="utter_portal_unreachable" if error.unreachable else "utter_bus_unavailable")
        return
    url = portal.public_link(f"/{lang}/mobility/stops/{stops[0]['id']}/")
    if answered:
        dispatcher.utter_message(response="utter_bus_arrivals", arrivals="\n".join(answered), url=url)
    else:
        routes = ", ".join(dict.fromkeys(served)) or "-"
        dispatcher.utter_message(
            response="utter_bus_route_not_here", route=asked, stop=stops[0]["name"], routes=routes, url=url
        )
