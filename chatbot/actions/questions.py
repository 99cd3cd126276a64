"""Questions answered from the portal's live data: river walkways (actions/rivers_live.py) and
departments (phone and office hours). Car parks: actions/parking_live.py; buses and trains:
actions/transit_live.py; trails: actions/trails.py."""

import math
import re
from collections import Counter

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import texts
from actions.conversation import language, latest_text
from actions.parking_live import answer_parking
from actions.portal import Portal, PortalError
from actions.report_common import shared_point
from actions.rivers_live import answer_walkway, river_named
from actions.trails import answer_if_a_trail_is_named
from actions.transit_live import answer_bus


class ActionAnswerParking(Action):
    def name(self) -> str:
        return "action_answer_parking"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        await answer_parking(dispatcher, Portal(), language(tracker), latest_text(tracker))
        return []


class ActionAnswerBus(Action):
    def name(self) -> str:
        return "action_answer_bus"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        await answer_bus(dispatcher, Portal(), language(tracker), latest_text(tracker))
        return []


# --- River walkways --------------------------------------------------------------------------------


class ActionAnswerWalkway(Action):
    def name(self) -> str:
        return "action_answer_walkway"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        portal, lang, text = Portal(), language(tracker), latest_text(tracker)
        # A trail's closures are the trails API's, not the rivers': "행복길 지금 통제됐나요".
        if river_named(text) is None and await answer_if_a_trail_is_named(dispatcher, portal, lang, text):
            return []
        await answer_walkway(dispatcher, portal, lang, text, shared_point(tracker))
        return []


# --- Departments -------------------------------------------------------------------------------------

# Words of the question itself ("which department", "phone number"), which say nothing about which one.
QUESTION_WORDS = {
    "부서",
    "담당",
    "전화",
    "번호",
    "연락",
    "연락처",
    "알려",
    "알려줘",
    "알려주세요",
    "어디",
    "어디예요",
    "시간",
    "업무",
    "몇시",
    "department",
    "phone",
    "number",
    "hours",
    "office",
    "which",
    "what",
    "call",
    "contact",
    "team",
    "the",
    "for",
    "who",
    "handles",
    "open",
}
TRAILING_PARTICLES = re.compile(r"(은|는|이|가|을|를|에|의|와|도|에서|으로|로)$")
DEPARTMENT_MIN_SCORE = 1.0


def _grams(text: str) -> Counter:
    """Korean words as character bigrams (particles and spacing vary), English words whole."""
    grams: Counter = Counter()
    for word in re.findall(r"[0-9a-z\uac00-\ud7a3]+", (text or "").lower()):
        if word in QUESTION_WORDS:
            continue
        if word.isascii():
            if len(word) >= 3:
                grams[word] += 1
            continue
        if len(word) > 2:
            word = TRAILING_PARTICLES.sub("", word)
        grams.update([word[i : i + 2] for i in range(len(word) - 1)] if len(word) > 1 else [word])
    return grams


def department_profiles(departments: list[dict], categories: dict[str, dict]) -> dict[str, Counter]:
    """What each department is called and does: its names, its division, what it handles, and the
    complaint categories routed to it."""
    routed: dict[str, list[str]] = {}
    for category in categories.values():
        routed.setdefault(category.get("department", ""), []).extend(
            [category.get("name_ko", ""), category.get("name_en", "")]
        )
    return {
        row["code"]: _grams(
            " ".join([row.get("name_ko", ""), row.get("name_en", ""), row.get("parent_ko", ""), row.get("handles", "")])
            + " "
            + " ".join(routed.get(row["code"], []))
        )
        for row in departments
    }


def departments_matching(text: str, departments: list[dict], categories: dict[str, dict]) -> list[dict]:
    """The departments the resident's words point to, best first (several when they tie); a word
    shared by many departments counts for little."""
    query = _grams(text)
    if not query:
        return []
    profiles = department_profiles(departments, categories)
    spread = Counter(gram for grams in profiles.values() for gram in grams)
    total = len(profiles)
    scores = {
        code: sum(math.log((1 + total) / (1 + spread[gram])) for gram in query if gram in grams)
        for code, grams in profiles.items()
    }
    best = max(scores.values(), default=0.0)
    if best < DEPARTMENT_MIN_SCORE:
        return []
    by_code = {row["code"]: row for row in departments}
    return [by_code[code] for code, score in sorted(scores.items(), key=lambda item: -item[1]) if score == best][:3]


class ActionAnswerDepartment(Action):
    def name(self) -> str:
        return "action_answer_department"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        portal, lang = Portal(), language(tracker)
        try:
            departments, categories = await portal.departments(), await portal.categories()
        except PortalError:
            dispatcher.utter_message(response="utter_portal_unreachable")
            return []
        found = departments_matching(latest_text(tracker), departments, categories)
        hours_field = "office_hours_en" if lang == "en" else "office_hours_ko"
        for row in found:
            phone = row.get("phone") or texts.word(lang, "city_call_centre", phone=row.get("call_centre_phone", ""))
            dispatcher.utter_message(
                response="utter_department_contact",
                name=texts.named(lang, row),
                parent=row.get("parent_ko") or "-",
                phone=phone,
                hours=row.get(hours_field, ""),
            )
        if not found:
            # The triage desk's hours are the city's own unless it set others.
            desk = next(
                (row for row in departments if row["code"] == "civil-affairs"), departments[0] if departments else {}
            )
            dispatcher.utter_message(
                response="utter_department_not_found",
                phone=desk.get("call_centre_phone", ""),
                hours=desk.get(hours_field, ""),
            )
        return []
