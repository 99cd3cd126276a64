"""Car park questions answered from the portal's live parking API (GET /api/v1/mobility/car-parks/):
"의정부역 공영주차장 빈자리 있어요?", "is there space at the Hoeryong Station car park?". The car
parks whose names (or addresses) have the places the resident named, with free spaces now as the
car park last counted them; a count the portal calls stale is "unknown", never a number. With no
place named: the car parks with the most free spaces now.

Car park names are Korean; English questions name places by their romanised names (actions/places.py)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from rasa_sdk.executor import CollectingDispatcher

from actions.places import place_words
from actions.portal import Portal, PortalError

SEOUL = ZoneInfo("Asia/Seoul")
SHOWN = 3  # car parks named in one answer
PARKING_PAGE = "mobility/parking"

# Words of every car park name or every question, which name no place.
COMMON_WORDS = {"공영주차장", "주차장", "노상공영주차장", "부설주차장", "공영", "노상", "부설", "주차", "근처", "지금"}


def _place_words(text: str) -> list[str]:
    """The words of the question that may name a car park's place, in Korean."""
    return place_words(text, ignore=COMMON_WORDS, ignore_prefixes=("주차", "빈자리", "자리"))


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
