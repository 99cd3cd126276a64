from datetime import date

import pytest

from apps.complaints.deadlines import add_working_days, is_working_day


@pytest.mark.parametrize(
    ("received", "days", "due"),
    [
        (date(2026, 11, 23), 7, date(2026, 12, 1)),  # Monday: the day of receipt counts, weekends do not
        (date(2026, 11, 21), 7, date(2026, 12, 1)),  # Saturday: counting starts on Monday
        (date(2026, 9, 23), 7, date(2026, 10, 6)),  # 추석 (24-26 Sep) and 개천절's substitute (5 Oct)
        (date(2026, 2, 13), 7, date(2026, 2, 26)),  # 설날 (16-18 Feb)
        (date(2026, 2, 27), 7, date(2026, 3, 10)),  # 삼일절 on a Sunday, substitute Monday 2 Mar
        (date(2026, 12, 24), 14, date(2027, 1, 14)),  # across a year end, 성탄절 and 신정
        (date(2026, 11, 23), 1, date(2026, 11, 23)),
    ],
)
def test_deadlines_count_korean_working_days(received, days, due):
    assert add_working_days(received, days) == due


def test_substitute_and_election_holidays_are_not_working_days():
    assert not is_working_day(date(2026, 3, 2))  # 삼일절 대체공휴일
    assert not is_working_day(date(2026, 6, 3))  # 전국동시지방선거
    assert is_working_day(date(2026, 6, 4))


def test_a_period_must_be_at_least_one_day():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 11, 23), 0)
