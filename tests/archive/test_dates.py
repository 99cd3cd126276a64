import pytest

from apps.archive.dates import date_in_english, year_range

DATES = {
    "1950년대": (1950, 1959),
    "1950년대 후반": (1955, 1959),
    "1960년경": (1955, 1965),
    "c. 1960": (1955, 1965),
    "1950s": (1950, 1959),
    "1887년": (1887, 1887),
    "1970년 3월 2일": (1970, 1970),
    "1950-1953": (1950, 1953),
    "17세기 후반": (1650, 1699),
    "17세기 초": (1600, 1632),
    "late 17th century": (1667, 1699),
    "조선 후기": (1729, 1897),
    "고려": (918, 1392),
    "모름": (None, None),
    "1953-1950": (None, None),
    "": (None, None),
}


def test_uncertain_dates_read_into_years():
    assert {text: year_range(text) for text in DATES} == DATES


@pytest.mark.parametrize(
    ("text", "english"),
    [
        ("1950년대", "1950s"),
        ("1950년대 초", "early 1950s"),
        ("1960년경", "c. 1960"),
        ("1887년", "1887"),
        ("17세기 후반", "second half of the 17th century"),
        ("19세기", "19th century"),
        ("조선 후기", "late Joseon"),
        ("고려 말", "late Goryeo"),
        ("1950-1960", "1950-1960"),
        ("1963년 5월", "1963년 5월"),  # a form not worded here stays as written
        ("", ""),
    ],
)
def test_dates_are_worded_in_english_for_english_readers(text, english):
    assert date_in_english(text) == english
