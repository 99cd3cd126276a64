from apps.archive.dates import year_range

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
