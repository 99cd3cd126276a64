"""소풍길 questions answered from the portal's live trails API (GET /api/v1/trails/): which trails fit
the time the resident has ("1시간 정도 걸을 만한 길", "a trail for an hour"), and whether a trail can
be walked now ("명상의길 지금 걸을 수 있어?", "is the Meditation Trail open?"), from the closures the
city has in force. Walking times are the portal's own (from each trail's slope), not estimates.

actions/trails.py decides which question was asked and calls these."""

import re
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from rasa_sdk.executor import CollectingDispatcher

from actions import texts
from actions.portal import Portal, PortalError

SEOUL = ZoneInfo("Asia/Seoul")
RECOMMENDED = 3  # trails named in a recommendation

# "Is it open / can I walk it now": asked of a trail, not of its length or time.
OPEN_QUESTION = re.compile(
    r"열려|열렸|열어|개방|통제|폐쇄|막혀|막혔|막힌|닫혀|닫혔|닫힌|출입|통행"
    r"|(걸을|갈|다닐|지나갈|들어갈)\s*수\s*(있|없)|(걸어|가)도\s*(돼|되)"
    r"|\bopen\b|\bclosed?\b|\bshut\b|\bclosures?\b|\bcan\s+i\s+(walk|go|hike)\b|\bwalkable\b|\baccessible\b",
    re.I,
)

KOREAN_NUMBERS = {"한": 1, "두": 2, "세": 3, "네": 4, "다섯": 5}
ENGLISH_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
HOURS_KO = re.compile(r"(\d+(?:\.\d+)?|한|두|세|네|다섯)\s*시간\s*(반)?(?:\s*(\d+)\s*분)?")
MINUTES_KO = re.compile(r"(?<![\d.])(\d+)\s*분")
HALF_HOUR_EN = re.compile(r"\bhalf\s+an?\s+hour\b", re.I)
HOURS_EN = re.compile(r"\b(\d+(?:\.\d+)?|an?|one|two|three|four|five)\s*(?:hours?|hrs?|h)\b(\s*and\s+a\s+half)?", re.I)
MINUTES_EN = re.compile(r"\b(\d+)\s*(?:minutes?|mins?)\b", re.I)
# Nobody asks for a walk shorter than this or longer than two days: such a number is something else.
MINUTES_RANGE = (10, 48 * 60)


def minutes_asked(text: str) -> int | None:
    """The time the resident has for a walk, in minutes: "1시간 정도", "한 시간 반", "30분",
    "an hour", "1.5 hours", "half an hour", "90 minutes". None when the words name no time."""
    text = text or ""
    minutes = None
    if match := HOURS_KO.search(text):
        hours = KOREAN_NUMBERS.get(match.group(1)) or float(match.group(1))
        minutes = hours * 60 + (30 if match.group(2) else 0) + int(match.group(3) or 0)
    elif match := MINUTES_KO.search(text):
        minutes = int(match.group(1))
    elif HALF_HOUR_EN.search(text):
        minutes = 30
    elif match := HOURS_EN.search(text):
        hours = ENGLISH_NUMBERS.get(match.group(1).lower()) or float(match.group(1))
        minutes = hours * 60 + (30 if match.group(2) else 0)
    elif match := MINUTES_EN.search(text):
        minutes = int(match.group(1))
    if minutes is None or not MINUTES_RANGE[0] <= minutes <= MINUTES_RANGE[1]:
        return None
    return round(minutes)


def is_open_question(text: str) -> bool:
    return bool(OPEN_QUESTION.search(text or ""))


def minutes_text(minutes: float, lang: str) -> str:
    """Walking time rounded to 5 minutes: "1시간 20분", "1 h 20 min"."""
    rounded = max(5, round(minutes / 5) * 5)
    hours, rest = divmod(rounded, 60)
    if lang == "en":
        parts = (f"{hours} h" if hours else "", f"{rest} min" if rest else "")
    else:
        parts = (f"{hours}시간" if hours else "", f"{rest}분" if rest else "")
    return " ".join(part for part in parts if part)


def _km(metres: float | None) -> str:
    return f"{(metres or 0) / 1000:.1f}"


def trail_link(portal: Portal, trail: dict) -> str:
    """The trail's page at the address residents use (the portal's own link is the city site's)."""
    return portal.public_link(urlsplit(trail["url"]).path)


def trail_line(portal: Portal, trail: dict, lang: str) -> str:
    time = minutes_text(trail["walking_minutes"], lang)
    figures = f"{_km(trail['distance_m'])} km, {trail['difficulty_label']} — {trail_link(portal, trail)}"
    if lang == "en":
        return f"• {trail['title']}: about {time}, {figures}"
    return f"• {trail['title']}: 약 {time}, {figures}"


def trails_that_fit(trails: list[dict], minutes: int) -> list[dict]:
    """Trails walked whole within the time, the ones that use it best first."""
    timed = [trail for trail in trails if trail.get("walking_minutes") is not None]
    fitting = [trail for trail in timed if trail["walking_minutes"] <= minutes]
    return sorted(fitting, key=lambda trail: -trail["walking_minutes"])[:RECOMMENDED]


def part_that_fits(trails: list[dict], minutes: int) -> tuple[dict, dict] | None:
    """When no trail is short enough: the shortest trail's farthest marker within the time, as
    (trail, marker)."""
    timed = sorted(
        (trail for trail in trails if trail.get("walking_minutes") is not None), key=lambda t: t["walking_minutes"]
    )
    for trail in timed:
        reachable = [m for m in trail.get("markers", []) if 0 < m["minutes_from_start"] <= minutes]
        if reachable:
            return trail, max(reachable, key=lambda marker: marker["minutes_from_start"])
    return None


async def answer_trails_for_time(dispatcher: CollectingDispatcher, portal: Portal, lang: str, minutes: int) -> None:
    """The open trails whose walking time fits; else the shortest ones and how far the time goes on
    the shortest."""
    trails = await portal.trails(lang, open="true")
    asked = minutes_text(minutes, lang)
    fitting = trails_that_fit(trails, minutes)
    if fitting:
        dispatcher.utter_message(
            response="utter_trail_for_time",
            time=asked,
            count=len(fitting),
            trails="\n".join(trail_line(portal, trail, lang) for trail in fitting),
        )
        return
    shortest = sorted(
        (trail for trail in trails if trail.get("walking_minutes") is not None), key=lambda t: t["walking_minutes"]
    )[:RECOMMENDED]
    part = part_that_fits(trails, minutes)
    if part:
        trail, marker = part
        template = (
            " Or walk part of one: from the start of {trail} to marker {number} ({marker}) takes about {time}."
            if lang == "en"
            else " 일부만 걸어도 좋아요: {trail} 출발점에서 {number}번 표지({marker})까지 약 {time} 걸려요."
        )
        part_text = template.format(
            trail=trail["title"],
            number=marker["number"],
            marker=marker["name"],
            time=minutes_text(marker["minutes_from_start"], lang),
        )
    else:
        part_text = ""
    dispatcher.utter_message(
        response="utter_trail_for_time_none",
        time=asked,
        trails="\n".join(trail_line(portal, trail, lang) for trail in shortest),
        part=part_text,
        url=portal.public_link(f"/{lang}/trails/"),
    )


def _moment_text(iso: str, lang: str) -> str:
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(SEOUL)
    if lang == "en":
        return f"{moment.day} {texts.MONTHS_EN[moment.month - 1][:3]} {moment:%H:%M}"
    return f"{moment.month}월 {moment.day}일 {moment:%H:%M}"


def closure_line(closure: dict, lang: str) -> str:
    """• 통제(3번 표지 구간): 낙석 위험. 우회: 마을길로. 12월 31일 18:00까지"""
    where = ""
    if closure.get("marker_number") is not None:
        number = closure["marker_number"]
        where = f" (near marker {number})" if lang == "en" else f"({number}번 표지 구간)"
    line = f"• {closure['severity_label']}{where}: {closure['reason']}"
    if closure.get("detour"):
        line += f". {'Detour' if lang == 'en' else '우회'}: {closure['detour']}"
    if closure.get("ends_at"):
        until = _moment_text(closure["ends_at"], lang)
        line += f". Until {until}" if lang == "en" else f". {until}까지"
    else:
        line += ". Until further notice" if lang == "en" else ". 해제 시까지"
    return line


STATUS_RESPONSES = {
    "open": "utter_trail_open",
    "partly-closed": "utter_trail_partly_closed",
    "closed": "utter_trail_closed",
}


def answer_trail_status(dispatcher: CollectingDispatcher, portal: Portal, lang: str, trail: dict) -> None:
    dispatcher.utter_message(
        response=STATUS_RESPONSES.get(trail["status"], "utter_trail_closed"),
        name=trail["title"],
        closures="\n".join(closure_line(closure, lang) for closure in trail.get("closures", [])),
        url=trail_link(portal, trail),
    )


def answer_all_statuses(dispatcher: CollectingDispatcher, portal: Portal, lang: str, trails: list[dict]) -> None:
    affected = [trail for trail in trails if trail["status"] != "open"]
    if not affected:
        dispatcher.utter_message(
            response="utter_trail_all_open", count=len(trails), url=portal.public_link(f"/{lang}/trails/")
        )
        return
    lines = []
    for trail in affected:
        lines.append(f"{trail['title']}:")
        lines.extend(closure_line(closure, lang) for closure in trail.get("closures", []))
    dispatcher.utter_message(
        response="utter_trail_some_closed",
        count=len(trails),
        closed=len(affected),
        closures="\n".join(lines),
        url=portal.public_link(f"/{lang}/trails/"),
    )


async def portal_trails(dispatcher: CollectingDispatcher, portal: Portal, lang: str) -> list[dict] | None:
    """Every trail with its status, or None when the portal could not answer (said so)."""
    try:
        return await portal.trails(lang)
    except PortalError as error:
        _say_portal_error(dispatcher, portal, lang, error)
        return None


def _say_portal_error(dispatcher: CollectingDispatcher, portal: Portal, lang: str, error: PortalError) -> None:
    if error.unreachable:
        dispatcher.utter_message(response="utter_portal_unreachable")
    else:
        dispatcher.utter_message(response="utter_trail_data_missing", url=portal.public_link(f"/{lang}/trails/"))


async def answer_for_time(dispatcher: CollectingDispatcher, portal: Portal, lang: str, minutes: int) -> None:
    try:
        await answer_trails_for_time(dispatcher, portal, lang, minutes)
    except PortalError as error:
        _say_portal_error(dispatcher, portal, lang, error)
