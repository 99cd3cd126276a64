"""What a stay costs at a car park, by the car park's own rules (a pure calculation, no writes).

The rules, as Korean public car parks publish them in the standard file:
- only minutes inside the car park's opening hours of that day type (weekday, Saturday, Sunday or
  public holiday) are charged: a car park unattended at night or closed on holidays charges nothing
  then;
- the first `base_minutes` cost `base_fee`; every started `extra_unit_minutes` after that costs
  `extra_unit_fee` (units are rounded up);
- what one calendar day (Asia/Seoul) costs never exceeds the day pass / daily maximum;
- a monthly pass holder pays nothing; a free car park charges nothing;
- of several discounts a driver is entitled to, the largest applies (they do not add up), and the
  result is rounded down to ₩10 as cashiers do.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import cache
from zoneinfo import ZoneInfo

import holidays

SEOUL = ZoneInfo("Asia/Seoul")
END_OF_DAY = time(23, 59)


class DayType(StrEnum):
    WEEKDAY = "weekday"
    SATURDAY = "saturday"
    HOLIDAY = "holiday"  # Sundays and public holidays


class Discount(StrEnum):
    EV = "ev"
    COMPACT = "compact"
    DISABLED = "disabled"
    MERIT = "merit"
    MULTICHILD = "multichild"


class Pass(StrEnum):
    MONTHLY = "monthly"


@cache
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.KR(years=year))


def day_type(day: date) -> DayType:
    if day.weekday() == 6 or day in _public_holidays(day.year):
        return DayType.HOLIDAY
    return DayType.SATURDAY if day.weekday() == 5 else DayType.WEEKDAY


def opening_hours(car_park, kind: DayType) -> tuple[time | None, time | None]:
    return getattr(car_park, f"{kind}_opens"), getattr(car_park, f"{kind}_closes")


def open_windows(opens: time | None, closes: time | None) -> list[tuple[int, int]]:
    """The minutes of a day (0..1440) the car park is open, as [from, to) pairs."""
    if opens is None or closes is None:
        return []
    start = opens.hour * 60 + opens.minute
    # 23:59 is how the standard file writes "until midnight".
    end = 1440 if closes >= END_OF_DAY else closes.hour * 60 + closes.minute
    if end > start:
        return [(start, end)]
    return [(0, end), (start, 1440)]  # open overnight: until `closes`, and again from `opens`


def charged_minutes_by_day(car_park, start: datetime, end: datetime) -> list[tuple[date, int]]:
    """Minutes of the stay inside the opening hours, per Seoul calendar day."""
    start, end = start.astimezone(SEOUL), end.astimezone(SEOUL)
    days = []
    day = start.date()
    while day <= end.date():
        midnight = datetime.combine(day, time(0), SEOUL)
        stay_from = max(0, math.floor((start - midnight).total_seconds() / 60))
        stay_to = min(1440, math.ceil((end - midnight).total_seconds() / 60))
        minutes = sum(
            max(0, min(stay_to, to) - max(stay_from, frm))
            for frm, to in open_windows(*opening_hours(car_park, day_type(day)))
        )
        days.append((day, minutes))
        day += timedelta(days=1)
    return days


def _by_the_rule(car_park, minutes: int) -> int:
    """Base fee and rounded-up extra units for `minutes` charged minutes, no cap."""
    if minutes <= 0:
        return 0
    base_minutes, base_fee = car_park.base_minutes or 0, car_park.base_fee or 0
    if minutes <= base_minutes:
        return base_fee
    unit, unit_fee = car_park.extra_unit_minutes, car_park.extra_unit_fee or 0
    if not unit:
        return base_fee
    return base_fee + math.ceil((minutes - base_minutes) / unit) * unit_fee


@dataclass(frozen=True)
class FeeQuote:
    fee: int  # what is paid, ₩
    before_discount: int
    charged_minutes: int
    discount_percent: int
    capped_days: int  # days the daily maximum applied to


def best_discount(car_park, discounts: Iterable[Discount | str]) -> int:
    return max((getattr(car_park, f"discount_{Discount(d)}") for d in discounts), default=0)


def parking_fee(
    car_park,
    start: datetime,
    end: datetime,
    *,
    discounts: Iterable[Discount | str] = (),
    parking_pass: Pass | str | None = None,
) -> FeeQuote:
    """The fee of a stay from `start` to `end` (aware datetimes) by the car park's rules above."""
    if end < start:
        raise ValueError("a stay ends after it starts")
    days = charged_minutes_by_day(car_park, start, end)
    charged = sum(minutes for _day, minutes in days)
    if car_park.is_free or (parking_pass == Pass.MONTHLY and car_park.monthly_pass_fee is not None):
        return FeeQuote(0, 0, charged, 0, 0)
    total, so_far, capped = 0, 0, 0
    for _day, minutes in days:
        day_fee = _by_the_rule(car_park, so_far + minutes) - _by_the_rule(car_park, so_far)
        so_far += minutes
        if car_park.daily_max_fee is not None and day_fee > car_park.daily_max_fee:
            day_fee, capped = car_park.daily_max_fee, capped + 1
        total += day_fee
    percent = best_discount(car_park, discounts)
    fee = total * (100 - percent) // 100 // 10 * 10
    return FeeQuote(fee, total, charged, percent, capped)
