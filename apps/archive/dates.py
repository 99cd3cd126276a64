"""Dates as archivists write them ("1950년대", "1960년경", "17세기 후반", "조선 후기", "1887"), read
into the earliest and latest year they allow, so that the search can facet by decade and the
timeline place an item, and worded in English for English readers ("1950s", "c. 1960", "late 17th
century", "late Joseon"); the text as written is what Korean readers and harvesters get."""

import re

# "About 1960" spans this many years either side.
CIRCA_YEARS = 5
# Eras named in Korean heritage records: (first year, last year), and their thirds.
ERAS = {"조선": (1392, 1897), "고려": (918, 1392), "대한제국": (1897, 1910), "일제강점기": (1910, 1945)}
PARTS = {
    "초": (0, 1 / 3),
    "전기": (0, 1 / 3),
    "초기": (0, 1 / 3),
    "중": (1 / 3, 2 / 3),
    "중기": (1 / 3, 2 / 3),
    "중반": (1 / 3, 2 / 3),
    "말": (2 / 3, 1),
    "후기": (2 / 3, 1),
    "후반": (1 / 2, 1),
    "전반": (0, 1 / 2),
    "early": (0, 1 / 3),
    "mid": (1 / 3, 2 / 3),
    "late": (2 / 3, 1),
}
_PART = r"\s*(?P<part>" + "|".join(sorted(PARTS, key=len, reverse=True)) + r")?"

_RANGE = re.compile(r"^(?P<a>\d{3,4})\s*[-–~]\s*(?P<b>\d{3,4})(년)?$")
_DECADE = re.compile(r"^(?P<decade>\d{3}0)(년대|s)" + _PART + r"$")
_CIRCA = re.compile(r"^(?:(?:c\.|ca\.|circa|about)\s*(?P<y1>\d{3,4})|(?P<y2>\d{3,4})\s*년?\s*(경|무렵|쯤))$")
_YEAR = re.compile(r"^(?P<year>\d{3,4})(년)?(\s*\d{1,2}\s*월(\s*\d{1,2}\s*일)?|-\d{2}(-\d{2})?)?$")
_CENTURY_KO = re.compile(r"^(?P<century>\d{1,2})\s*세기" + _PART + r"$")
_CENTURY_EN = re.compile(r"^(?P<part>early|mid|late)?[\s-]*(?P<century>\d{1,2})(st|nd|rd|th)\s+century$")
_ERA = re.compile(r"^(?P<era>" + "|".join(ERAS) + r")(\s*시대)?" + _PART + r"$")


def _part_of(first: int, last: int, part: str | None) -> tuple[int, int]:
    if not part:
        return first, last
    start, end = PARTS[part]
    span = last - first + 1
    return first + round(span * start), first + round(span * end) - 1 if end < 1 else last


def year_range(text: str) -> tuple[int | None, int | None]:
    """(earliest, latest) years the text allows; (None, None) when it cannot be read, so the item
    is shown without a decade rather than in a wrong one."""
    value = " ".join(text.strip().lower().split())
    if match := _RANGE.match(value):
        first, last = int(match["a"]), int(match["b"])
        return (first, last) if first <= last else (None, None)
    if match := _DECADE.match(value):
        decade = int(match["decade"])
        return _part_of(decade, decade + 9, match["part"])
    if match := _CIRCA.match(value):
        year = int(match["y1"] or match["y2"])
        return year - CIRCA_YEARS, year + CIRCA_YEARS
    if match := _YEAR.match(value):
        return int(match["year"]), int(match["year"])
    if match := _CENTURY_KO.match(value) or _CENTURY_EN.match(value):
        century = int(match["century"])
        if century < 1:
            return None, None
        return _part_of((century - 1) * 100, century * 100 - 1, match["part"])
    if match := _ERA.match(value):
        return _part_of(*ERAS[match["era"]], match["part"])
    return None, None


ERAS_EN = {"조선": "Joseon", "고려": "Goryeo", "대한제국": "the Korean Empire", "일제강점기": "the Japanese occupation"}
PARTS_EN = {
    "초": "early",
    "전기": "early",
    "초기": "early",
    "중": "mid",
    "중기": "mid",
    "중반": "mid",
    "말": "late",
    "후기": "late",
    "후반": "second half of the",
    "전반": "first half of the",
}


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _with_part(words: str, part: str | None) -> str:
    return f"{PARTS_EN[part]} {words}" if part in PARTS_EN else words


def date_in_english(text: str) -> str:
    """The date worded in English where its form is known ("1950년대 초" -> "early 1950s"); the text
    as written otherwise (a range, a date already in English, a form not known here)."""
    value = " ".join(text.strip().split())
    if match := _DECADE.match(value.lower()):
        return _with_part(f"{match['decade']}s", match["part"])
    if match := _CIRCA.match(value.lower()):
        return f"c. {match['y1'] or match['y2']}"
    if match := _YEAR.match(value.lower()):
        # "1887년" is 1887; a year with its month or day keeps its Korean words.
        return match["year"] if value in (match["year"], f"{match['year']}년") else value
    if match := _CENTURY_KO.match(value):
        return _with_part(f"{_ordinal(int(match['century']))} century", match["part"])
    if match := _ERA.match(value):
        return _with_part(ERAS_EN[match["era"]], match["part"])
    return value
