"""Car park questions answered from the portal's live parking API (GET /api/v1/mobility/car-parks/):
"의정부역 공영주차장 빈자리 있어요?", "is there space at the Hoeryong Station car park?". The car
parks whose names (or addresses) have the places the resident named, with free spaces now as the
car park last counted them; a count the portal calls stale is "unknown", never a number. With no
place named: the car parks with the most free spaces now.

Car park names are Korean; English questions name places by their romanised names, which PLACES
maps to the Korean words in the names."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from rasa_sdk.executor import CollectingDispatcher

from actions.portal import Portal, PortalError

SEOUL = ZoneInfo("Asia/Seoul")
SHOWN = 3  # car parks named in one answer
PARKING_PAGE = "mobility/parking"

# Romanised place names residents use in English, to the Korean word in car park names.
PLACES = {
    "uijeongbu station": "의정부역",
    "city hall": "의정부시청",
    "hoeryong": "회룡",
    "ganeung": "가능",
    "singok": "신곡",
    "minrak": "민락",
    "jeil market": "제일시장",
    "budae": "부대찌개",
    "haengbok": "행복로",
    "howon": "호원",
    "nogyang": "녹양",
    "jangam": "장암",
    "songsan": "송산",
    "geumo": "금오",
    "tapseok": "탑석",
    "balgok": "발곡",
    "heungseon": "흥선",
    "mangwolsa": "망월사",
    "rodeo": "로데오",
    "sports complex": "종합운동장",
    "arts center": "예술의전당",
    "art center": "예술의전당",
    "jungnangcheon": "중랑천",
}
# Words of every car park name or every question, which name no place.
COMMON_WORDS = {"공영주차장", "주차장", "노상공영주차장", "부설주차장", "공영", "노상", "부설", "주차", "근처", "지금"}
KOREAN_WORD = re.compile(r"[가-힣0-9]{2,}")
# Particles and endings after a place name: "의정부역에", "회룡역은", "시청근처".
ENDINGS = re.compile(r"(근처|주변|앞|쪽|에서|에는|에|은|는|이|가|의|도|요)$")


def _place_words(text: str) -> list[str]:
    """The words of the question that may name a place, in Korean."""
    lowered = text.lower()
    words = [korean for english, korean in PLACES.items() if english in lowered]
    # "Hoeryong Station" is the station's car park, not Hoeryong-ro's.
    words += [f"{korean}역" for english, korean in PLACES.items() if f"{english} station" in lowered]
    for word in KOREAN_WORD.findall(text):
        stem = ENDINGS.sub("", word)
        if len(stem) >= 2 and stem not in COMMON_WORDS and not stem.startswith(("주차", "빈자리", "자리")):
            words.append(stem)
    return words


def named_car_parks(car_parks: list[dict], text: str) -> list[dict]:
    """The car parks the question names, best match first: most place words in the name, then in
    the address; none when no word matches."""
    words = _place_words(text)
    scored = []
    for car_park in car_parks:
        name = car_park["name"].replace(" ", "")
        in_name = sum(1 for word in words if word in name)
        in_address = sum(1 for word in words if word in (car_park.get("address") or ""))
        if in_name or in_address:
            scored.append((in_name * 10 + in_address, car_park))
    if not scored:
        return []
    best = max(score for score, _ in scored)
    return [car_park for score, car_park in scored if score == best]


def _clock(value: str) -> str:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(SEOUL).strftime("%H:%M")


def car_park_line(car_park: dict, lang: str) -> str:
    """ "의정부역 동부 공영주차장: 42면 남음 (04:13 기준)" and the like."""
    live = car_park["live"]
    if car_park["closed_by_event"]:
        state = ("closed: " if lang == "en" else "폐쇄: ") + (car_park["closed_reason"] or "")
    elif not car_park["is_open"]:
        state = "closed now" if lang == "en" else "지금 운영 시간이 아님"
    elif live["status"] == "live":
        free, at = live["free_spaces"], _clock(live["read_at"])
        if lang == "en":
            state = f"{free} space{'s' if free != 1 else ''} free (counted at {at})"
        else:
            state = f"{free}면 남음 ({at} 기준)" if free else f"만차 ({at} 기준)"
    else:
        state = "free spaces unknown right now" if lang == "en" else "지금은 빈자리 정보가 없음"
    total = car_park["spaces_total"]
    size = f"{total} spaces" if lang == "en" else f"전체 {total}면"
    return f"- {car_park['name']}: {state} · {size}"


def most_free(car_parks: list[dict]) -> list[dict]:
    counted = [c for c in car_parks if c["is_open"] and c["live"]["status"] == "live" and c["live"]["free_spaces"]]
    return sorted(counted, key=lambda c: -c["live"]["free_spaces"])[:SHOWN]


async def answer_parking(dispatcher: CollectingDispatcher, portal: Portal, lang: str, text: str) -> None:
    list_url = portal.public_link(f"/{lang}/{PARKING_PAGE}/")
    try:
        car_parks = await portal.car_parks(lang)
    except PortalError as error:
        response = "utter_portal_unreachable" if error.unreachable else "utter_parking_unavailable"
        dispatcher.utter_message(response=response, url=list_url)
        return
    named = named_car_parks(car_parks, text)
    if named:
        lines = "\n".join(car_park_line(car_park, lang) for car_park in named[:SHOWN])
        page = portal.public_link(f"/{lang}/{PARKING_PAGE}/{named[0]['code']}/") if len(named) == 1 else list_url
        dispatcher.utter_message(response="utter_parking_named", car_parks=lines, url=page)
        return
    with_space = most_free(car_parks)
    if with_space:
        lines = "\n".join(car_park_line(car_park, lang) for car_park in with_space)
        dispatcher.utter_message(response="utter_parking_most_free", car_parks=lines, url=list_url)
    else:
        dispatcher.utter_message(response="utter_parking_no_counts", url=list_url)
