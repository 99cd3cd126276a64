"""Processing deadlines in Korean working days.

A period of six days or more is counted in days under the Civil Petitions Act (민원 처리에 관한
법률 제19조): the day of receipt counts as the first day, and Saturdays, Sundays and public
holidays (substitute holidays and election days included) do not count. Public holidays come
from the maintained `holidays` package, which follows each year's designations.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=32)
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.KR(years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _public_holidays(day.year)


def add_working_days(received: date, days: int) -> date:
    """The last day of a period of `days` working days that begins on the day of receipt."""
    if days < 1:
        raise ValueError("a processing period is at least one working day")
    day, counted = received, 0
    while True:
        if is_working_day(day):
            counted += 1
            if counted == days:
                return day
        day += timedelta(days=1)


def working_days_between(first: date, last: date) -> int:
    """Working days from `first` to `last`, both counted; 0 when `last` comes before `first`."""
    return sum(is_working_day(first + timedelta(days=offset)) for offset in range((last - first).days + 1))
