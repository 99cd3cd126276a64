"""소풍길 questions answered from the portal's open dataset of the courses (CKAN package_show and
datastore_search on its table): the list of courses, or the one the resident named by number, by
name (Korean or English), by where it starts or ends, or as the shortest or longest.

A question with the time the resident has ("1시간 정도 걸을 만한 길") or about whether a trail is
open is answered from the live trails API instead (actions/trails_live.py)."""

import re
from dataclasses import dataclass

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import language, latest_text
from actions.portal import Portal, PortalError
from actions.trails_live import (
    answer_all_statuses,
    answer_for_time,
    answer_trail_status,
    is_open_question,
    minutes_asked,
    portal_trails,
)

TRAILS_DATASET = "sopung-gil-courses"
TRAILS_PAGE = "trails"
# The dataset has lengths, not times: the time is estimated at an easy pace on hill paths.
WALKING_KMH = 3.0

# The dataset's columns (data/opendata/sopung-gil-courses.csv in the portal).
COLUMNS = {
    "number": "코스번호",
    "name_ko": "코스명",
    "name_en": "코스명_영문",
    "kind": "구분",
    "start": "시점",
    "end": "종점",
    "distance": "거리_km",
}
# One visitor count column a year (방문자수_2022); the newest year with a count is told.
VISITORS_COLUMN = re.compile(r"방문자수_(\d{4})$")
KINDS_EN = {"대구간": "long section", "소구간": "short section"}

COURSE_NUMBER = re.compile(
    r"(\d{1,2})\s*(?:번\s*)?코스|(?:코스|course|trail)\s*(?:no\.?\s*|number\s*|#\s*)?(\d{1,2})\b", re.I
)
SHORTEST = re.compile(r"(제일|가장)\s*짧|shortest", re.I)
LONGEST = re.compile(r"(제일|가장)\s*(긴|길게)|longest", re.I)
# A word before 코스 that names no course: "어떤 코스", "걷기 좋은 코스", "출발하는 코스".
NAMED_COURSE = re.compile(r"([가-힣]{2,})\s*코스")
NOT_A_NAME = {
    "소풍길", "전체", "모든", "무슨", "어느", "어떤", "추천", "제일", "가장", "다른", "걷기", "산책", "둘레길",
    "초보", "초보자", "가족", "아이", "등산", "인기", "대표", "순환", "구간", "다음", "이번",
}  # fmt: skip
NOT_A_NAME_ENDINGS = ("는", "은", "운", "한", "던", "된", "인", "의", "로", "을", "를", "힌", "린")


@dataclass(frozen=True)
class Course:
    number: int
    name_ko: str
    name_en: str
    kind: str
    start: str
    end: str
    distance_km: float
    visitors: tuple[int, int] | None  # (year, count)

    def name(self, lang: str) -> str:
        return f"{self.name_en} ({self.name_ko})" if lang == "en" and self.name_en else self.name_ko

    def kind_text(self, lang: str) -> str:
        return KINDS_EN.get(self.kind, self.kind) if lang == "en" else self.kind


def _number(value: object) -> float | None:
    try:
        return float(str(value).replace(",", "").strip())
    except ValueError:
        return None


def courses_from_records(records: list[dict]) -> list[Course]:
    """The dataset's rows as courses, in course order; rows without a number or a length are skipped."""
    courses = []
    for row in records:
        number, distance = _number(row.get(COLUMNS["number"])), _number(row.get(COLUMNS["distance"]))
        if number is None or distance is None:
            continue
        counts = {
            int(match.group(1)): _number(value)
            for key, value in row.items()
            if (match := VISITORS_COLUMN.match(str(key))) and _number(value) is not None
        }
        visitors = (max(counts), int(counts[max(counts)])) if counts else None
        courses.append(
            Course(
                number=int(number),
                name_ko=str(row.get(COLUMNS["name_ko"]) or "").strip(),
                name_en=str(row.get(COLUMNS["name_en"]) or "").strip(),
                kind=str(row.get(COLUMNS["kind"]) or "").strip(),
                start=str(row.get(COLUMNS["start"]) or "").strip(),
                end=str(row.get(COLUMNS["end"]) or "").strip(),
                distance_km=distance,
                visitors=visitors,
            )
        )
    return sorted(courses, key=lambda course: course.number)


def _squeezed(text: str) -> str:
    return re.sub(r"[\s\-_]+", "", text.lower())


def _stem_ko(name: str) -> str:
    """명상의길 -> 명상, 부용길 -> 부용: residents say 명상의 길, 명상길 or 명상 코스."""
    return re.sub(r"(의)?길$", "", name)


def _stem_en(name: str) -> str:
    return _squeezed(re.sub(r"\s*(trail|course|path|walk)$", "", name.strip(), flags=re.I))


def course_asked(text: str, courses: list[Course]) -> Course | None:
    """The one course the words name, if they name exactly one."""
    squeezed = _squeezed(text)
    number = COURSE_NUMBER.search(text or "")
    if number:
        wanted = int(number.group(1) or number.group(2))
        return next((course for course in courses if course.number == wanted), None)
    for course in courses:
        # A stem alone is not enough: 부용 is also a stream (부용천) and a hill (부용산).
        stem = _stem_ko(course.name_ko)
        if stem and re.search(rf"{re.escape(stem)}(의)?(길|코스)", squeezed):
            return course
        stem = _stem_en(course.name_en)
        if stem and re.search(rf"{re.escape(stem)}(trail|course|path|walk|gil)", squeezed):
            return course
    if courses and SHORTEST.search(text or ""):
        return min(courses, key=lambda course: course.distance_km)
    if courses and LONGEST.search(text or ""):
        return max(courses, key=lambda course: course.distance_km)
    return None


def courses_at(text: str, courses: list[Course]) -> list[Course]:
    """The courses that start or end at a place the resident named (망월사역, 녹양역...)."""
    squeezed = _squeezed(text)
    return [
        course
        for course in courses
        if any(place and _squeezed(place) in squeezed for place in (course.start, course.end))
    ]


def unknown_course_named(text: str, courses: list[Course]) -> str | None:
    """A course the resident named that the dataset does not have: "12코스", "회룡 코스"."""
    number = COURSE_NUMBER.search(text or "")
    if number:
        wanted = int(number.group(1) or number.group(2))
        return None if any(course.number == wanted for course in courses) else number.group(0).strip()
    for word in NAMED_COURSE.findall(text or ""):
        if word not in NOT_A_NAME and not word.endswith(NOT_A_NAME_ENDINGS):
            return f"{word} 코스"
    return None


def walking_time(distance_km: float, lang: str) -> str:
    minutes = max(10, round(distance_km / WALKING_KMH * 60 / 10) * 10)
    hours, minutes = divmod(minutes, 60)
    if lang == "en":
        return " ".join(part for part in (f"{hours} h" if hours else "", f"{minutes} min" if minutes else "") if part)
    return " ".join(part for part in (f"{hours}시간" if hours else "", f"{minutes}분" if minutes else "") if part)


def _km(distance_km: float) -> str:
    return f"{distance_km:g}"


def course_line(course: Course, lang: str) -> str:
    if lang == "en":
        return (
            f"• Course {course.number} {course.name(lang)}: {_km(course.distance_km)} km, "
            f"about {walking_time(course.distance_km, lang)}, {course.start} → {course.end}"
        )
    return (
        f"• {course.number}코스 {course.name(lang)}: {_km(course.distance_km)} km, "
        f"약 {walking_time(course.distance_km, lang)}, {course.start} → {course.end}"
    )


def visitors_text(course: Course, lang: str) -> str:
    if course.visitors is None:
        return ""
    year, count = course.visitors
    if lang == "en":
        return f" {count:,} visitors were counted on it in {year}."
    return f" {year}년에 {count:,}명이 걸었어요."


# A trail numbered by no course (a walk the city added) is matched by name only.
UNNUMBERED_FROM = 1000


def courses_from_trails(trails: list[dict]) -> dict[int, list[tuple[Course, dict]]]:
    """The API's trails as courses to match names against, by number: the Korean title, and the
    romanised and the translated English names ("Myeongsang-gil (Meditation Trail)")."""
    found = {}
    for index, trail in enumerate(trails):
        number = trail.get("course_number") or UNNUMBERED_FROM + index
        titles = trail.get("titles") or {}
        english = titles.get("en", "")
        romanised, _, translated = english.partition(" (")
        for name_en in (re.sub(r"-gil$", " Trail", romanised.strip()), translated.rstrip(")").strip()):
            course = Course(
                number=number,
                name_ko=titles.get("ko", trail["title"]),
                name_en=name_en,
                kind="",
                start=trail["start"]["name"],
                end=trail["end"]["name"],
                distance_km=(trail.get("distance_m") or 0) / 1000,
                visitors=None,
            )
            found.setdefault(number, []).append((course, trail))
    return found


SOPUNG_GIL = re.compile(r"소풍\s*길|sopung", re.I)


async def answer_if_a_trail_is_named(dispatcher: CollectingDispatcher, portal: Portal, lang: str, text: str) -> bool:
    """For the walkway question ("행복길 지금 통제됐나요" read as one about river walkways): when the
    words name a trail (or 소풍길 as a whole) and the trails API answers, the trail's closures are
    told and True returned; otherwise nothing is said."""
    try:
        trails = await portal.trails(lang)
    except PortalError:
        return False
    variants = courses_from_trails(trails)
    course = course_asked(text, [course for pairs in variants.values() for course, _trail in pairs])
    if course is not None:
        answer_trail_status(dispatcher, portal, lang, variants[course.number][0][1])
        return True
    if SOPUNG_GIL.search(text):
        answer_all_statuses(dispatcher, portal, lang, trails)
        return True
    return False


async def answer_open_question(dispatcher: CollectingDispatcher, portal: Portal, lang: str, text: str) -> None:
    """Whether the trail named can be walked now (closures in force, with reason and until when);
    without a trail named, the closures on all of them."""
    trails = await portal_trails(dispatcher, portal, lang)
    if trails is None:
        return
    variants = courses_from_trails(trails)
    courses = [course for pairs in variants.values() for course, _trail in pairs]
    course = course_asked(text, courses)
    if course is not None:
        answer_trail_status(dispatcher, portal, lang, variants[course.number][0][1])
        return
    unknown = unknown_course_named(text, courses)
    if unknown:
        dispatcher.utter_message(response="utter_trail_not_found", name=unknown)
    answer_all_statuses(dispatcher, portal, lang, trails)


class ActionAnswerTrail(Action):
    def name(self) -> str:
        return "action_answer_trail"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        portal, lang = Portal(), language(tracker)
        text = latest_text(tracker)
        minutes = minutes_asked(text)
        if minutes is not None:
            await answer_for_time(dispatcher, portal, lang, minutes)
            return []
        if is_open_question(text):
            await answer_open_question(dispatcher, portal, lang, text)
            return []
        data_url = portal.public_link(f"/{lang}/open-data/datasets/{TRAILS_DATASET}/")
        try:
            records = await portal.dataset_records(TRAILS_DATASET)
        except PortalError as error:
            if error.unreachable:
                dispatcher.utter_message(response="utter_portal_unreachable")
            else:
                # The city has not published the dataset (or took it down): the page has the basics.
                dispatcher.utter_message(
                    response="utter_trail_data_missing", url=portal.public_link(f"/{lang}/{TRAILS_PAGE}/")
                )
            return []
        courses = courses_from_records(records)
        if not courses:
            dispatcher.utter_message(
                response="utter_trail_data_missing", url=portal.public_link(f"/{lang}/{TRAILS_PAGE}/")
            )
            return []

        course = course_asked(text, courses)
        if course is not None:
            dispatcher.utter_message(
                response="utter_trail_course",
                number=course.number,
                name=course.name(lang),
                kind=course.kind_text(lang),
                start=course.start,
                end=course.end,
                distance=_km(course.distance_km),
                time=walking_time(course.distance_km, lang),
                speed=_km(WALKING_KMH),
                visitors=visitors_text(course, lang),
                url=data_url,
            )
            return []
        unknown = unknown_course_named(text, courses)
        if unknown:
            dispatcher.utter_message(response="utter_trail_not_found", name=unknown)
        shown = courses_at(text, courses) if not unknown else []
        dispatcher.utter_message(
            response="utter_trail_courses" if not shown else "utter_trail_courses_at",
            count=len(shown or courses),
            total=_km(round(sum(course.distance_km for course in courses), 1)),
            courses="\n".join(course_line(course, lang) for course in shown or courses),
            speed=_km(WALKING_KMH),
            url=data_url,
        )
        return []
