"""River walkway questions answered from the portal's live river state (GET /api/v1/rivers/):
"중랑천 산책로 열려 있어요?", "Is the Jungnangcheon walkway open?". The river named is open, closed
as a whole (by its water level or by staff: with the reason and since when), or open with some
entrances' gates closed (with the nearest open entrance: to the resident when they shared their
location, else to the first closed one). With no river named: every river's walkway in one line each.

The bot repeats what the portal says (its reasons come worded in the conversation's language) and
never judges the water level itself: the portal's rule closes the walkway."""

import math
from datetime import datetime
from zoneinfo import ZoneInfo

from rasa_sdk.executor import CollectingDispatcher

from actions import texts
from actions.portal import Portal, PortalError

SEOUL = ZoneInfo("Asia/Seoul")
EARTH_RADIUS_M = 6_371_000
# The river guide's section page (data/demo/<city>.json): the answer about every river links it.
RIVER_GUIDE = "river-guide"

# The city's streams as residents name them, in both languages (the portal's slug among them).
RIVERS = {
    "중랑천": ["중랑천", "jungnangcheon", "jungnang"],
    "부용천": ["부용천", "buyongcheon", "buyong"],
    "백석천": ["백석천", "baekseokcheon", "baekseok"],
    "회룡천": ["회룡천", "hoeryongcheon", "hoeryong"],
    "호원천": ["호원천", "howoncheon"],
}
RIVER_NAMES_EN = {
    "중랑천": "Jungnangcheon",
    "부용천": "Buyongcheon",
    "백석천": "Baekseokcheon",
    "회룡천": "Hoeryongcheon",
    "호원천": "Howoncheon",
}

WORDS = {
    "ko": {
        "open": "열림",
        "closed": "통제 중",
        "some_closed": "열림 (일부 진입로 닫힘)",
        "no_open_entrance": "지금 열려 있는 진입로가 없어요.",
        "nearest_open": "가장 가까운 열린 진입로: {name} ({distance})",
        "time": "{month}월 {day}일 {clock}",
    },
    "en": {
        "open": "open",
        "closed": "closed",
        "some_closed": "open (some entrances closed)",
        "no_open_entrance": "No entrance is open right now.",
        "nearest_open": "Nearest open entrance: {name} ({distance})",
        "time": "{day} {month_name} {clock}",
    },
}


def river_named(text: str) -> str | None:
    """The stream the question names (its Korean name), in either language; None when none is."""
    lowered = (text or "").lower()
    return next((river for river, names in RIVERS.items() if any(name in lowered for name in names)), None)


def river_in_answer(rivers: list[dict], named: str) -> dict | None:
    """The portal's river for a name the resident used: by its slug or its name in the answer."""
    names = RIVERS[named]
    return next(
        (river for river in rivers if river["slug"] in names or river["name"].lower().split(" ")[0] in names), None
    )


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lng2 - lng1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def distance_text(metres: float) -> str:
    return f"{metres / 1000:.1f} km" if metres >= 1000 else f"{round(metres / 10) * 10:.0f} m"


def time_text(value: str | None, lang: str) -> str:
    if not value:
        return ""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(SEOUL)
    return WORDS[lang]["time"].format(
        month=moment.month, day=moment.day, month_name=texts.MONTHS_EN[moment.month - 1][:3], clock=f"{moment:%H:%M}"
    )


def nearest_open_entrance(river: dict, point: dict[str, float] | None) -> tuple[dict, float] | None:
    """The open entrance nearest the resident (when they shared where they are), else nearest the
    first closed entrance (the one they would have used); None when none is open."""
    opened = [entrance for entrance in river["entrances"] if entrance["open"]]
    closed = [entrance for entrance in river["entrances"] if not entrance["open"]]
    origin = point or (closed[0] if closed else None)
    if not opened or origin is None:
        return None
    found = [
        (entrance, distance_m(origin["latitude"], origin["longitude"], entrance["latitude"], entrance["longitude"]))
        for entrance in opened
    ]
    return min(found, key=lambda pair: pair[1])


def nearest_text(river: dict, point: dict[str, float] | None, lang: str) -> str:
    nearest = nearest_open_entrance(river, point)
    if nearest is None:
        return WORDS[lang]["no_open_entrance"]
    entrance, metres = nearest
    return WORDS[lang]["nearest_open"].format(name=entrance["name"], distance=distance_text(metres))


def river_state_line(river: dict, lang: str) -> str:
    """ "• 중랑천: 통제 중 (reason)" and the like, for the answer about every river."""
    if river["walkway"]["closed"]:
        reason = river["walkway"]["reason"]
        return f"• {river['name']}: {WORDS[lang]['closed']}" + (f" ({reason})" if reason else "")
    if any(not entrance["open"] for entrance in river["entrances"]):
        return f"• {river['name']}: {WORDS[lang]['some_closed']}"
    return f"• {river['name']}: {WORDS[lang]['open']}"


def answer_river(dispatcher: CollectingDispatcher, portal: Portal, river: dict, lang: str, point) -> None:
    url = portal.public_link(river["url"])
    walkway = river["walkway"]
    if walkway["closed"]:
        dispatcher.utter_message(
            response="utter_walkway_closed",
            river=river["name"],
            reason=walkway["reason"] or "-",
            since=time_text(walkway["since"], lang),
            entrances=nearest_text(river, point, lang),
            url=url,
        )
        return
    closed = [entrance for entrance in river["entrances"] if not entrance["open"]]
    if closed:
        dispatcher.utter_message(
            response="utter_walkway_entrances_closed",
            river=river["name"],
            closed="\n".join(
                f"• {entrance['name']}" + (f": {entrance['reason']}" if entrance["reason"] else "")
                for entrance in closed
            ),
            entrances=nearest_text(river, point, lang),
            url=url,
        )
        return
    dispatcher.utter_message(
        response="utter_walkway_open",
        river=river["name"],
        time=time_text(datetime.now(SEOUL).isoformat(), lang),
        url=url,
    )


async def answer_walkway(
    dispatcher: CollectingDispatcher, portal: Portal, lang: str, text: str, point: dict[str, float] | None = None
) -> None:
    """The walkway answer for the river the question names, or for every river."""
    try:
        rivers = await portal.rivers(lang)
    except PortalError:
        dispatcher.utter_message(response="utter_portal_unreachable")
        return
    named = river_named(text)
    river = river_in_answer(rivers, named) if named else None
    if river is not None:
        answer_river(dispatcher, portal, river, lang, point)
    elif named is None and rivers:
        dispatcher.utter_message(
            response="utter_walkway_rivers",
            rivers="\n".join(river_state_line(river, lang) for river in rivers),
            url=portal.public_link(f"/{lang}/{RIVER_GUIDE}/"),
        )
    else:
        # A stream the portal keeps no walkway state for (호원천), or a city without rivers yet.
        place = (RIVER_NAMES_EN[named] if lang == "en" else named) if named else texts.word(lang, "rivers_and_walkways")
        dispatcher.utter_message(
            response="utter_walkway_not_watched", place=place, url=portal.public_link(f"/{lang}/{RIVER_GUIDE}/")
        )
