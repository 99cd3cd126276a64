"""The fee calculator follows each car park's own rules (times in Asia/Seoul): base time and fee,
extra units rounded up, the daily maximum, hours by day type (outside them nothing is charged),
monthly passes and the largest single discount."""

from datetime import datetime

import pytest

from apps.mobility.fees import SEOUL, Discount, Pass, parking_fee
from apps.mobility.models import CarPark


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=SEOUL)  # 5th: Saturday, 7th: Monday, 25th: Christmas


@pytest.fixture
def happiness_road(city):
    """행복로 공영주차장: weekdays 09-21, Saturdays 09-18, no hours on Sundays and holidays."""
    return CarPark.objects.get(municipality=city, stable_id="366-004-1")


def test_base_then_extra_units_rounded_up(station_east):
    # 3 h 20 min on a Saturday: ₩600 for 30 min, then 17 started units of 10 min at ₩200.
    quote = parking_fee(station_east, at(5, 10), at(5, 13, 20))
    assert (quote.fee, quote.charged_minutes, quote.capped_days) == (4000, 200, 0)
    assert parking_fee(station_east, at(5, 10), at(5, 10, 31)).fee == 800  # one started unit
    assert parking_fee(station_east, at(5, 10), at(5, 10, 30)).fee == 600
    assert parking_fee(station_east, at(5, 10), at(5, 10)).fee == 0


def test_a_day_never_costs_more_than_the_day_pass(station_east):
    # Monday 08:00-20:00 would be ₩14,400 by the rule; the day pass is ₩12,000.
    quote = parking_fee(station_east, at(7, 8), at(7, 20))
    assert (quote.fee, quote.before_discount, quote.capped_days) == (12000, 12000, 1)
    # Over midnight, each day is capped on its own: ₩4,800 on Monday, then ₩12,000 (not ₩12,000+) on Tuesday.
    assert parking_fee(station_east, at(7, 20), at(8, 20)).fee == 4800 + 12000


def test_only_the_opening_hours_of_the_day_type_are_charged(happiness_road):
    # Weekday 20:00-23:00: only 20:00-21:00 is inside the hours: ₩600 + 3 × ₩200.
    assert parking_fee(happiness_road, at(7, 20), at(7, 23)).charged_minutes == 60
    assert parking_fee(happiness_road, at(7, 20), at(7, 23)).fee == 1200
    # Saturday closes at 18:00; Sunday and Christmas have no hours: nothing is charged.
    assert parking_fee(happiness_road, at(5, 17), at(5, 19)).charged_minutes == 60
    assert parking_fee(happiness_road, at(6, 10), at(6, 16)).fee == 0
    assert parking_fee(happiness_road, at(25, 10), at(25, 16)).fee == 0


def test_a_monthly_pass_holder_and_a_free_car_park_pay_nothing(station_east):
    assert parking_fee(station_east, at(7, 8), at(7, 20), parking_pass=Pass.MONTHLY).fee == 0
    station_east.monthly_pass_fee = None  # a car park that sells no monthly pass honours none
    assert parking_fee(station_east, at(7, 8), at(7, 9), parking_pass=Pass.MONTHLY).fee == 1200
    station_east.is_free = True
    assert parking_fee(station_east, at(7, 8), at(7, 20)).fee == 0


def test_the_largest_discount_applies_rounded_down_to_ten_won(station_east):
    station_east.discount_disabled, station_east.discount_ev, station_east.discount_compact = 50, 20, 30
    saturday = (at(5, 10), at(5, 13, 20))  # ₩4,000
    assert parking_fee(station_east, *saturday, discounts=[Discount.EV]).fee == 3200
    quote = parking_fee(station_east, *saturday, discounts=[Discount.EV, Discount.DISABLED, "compact"])
    assert (quote.fee, quote.discount_percent) == (2000, 50)
    # 1 h 10 min is ₩1,400; less 33 % is ₩938, charged ₩930.
    station_east.discount_compact = 33
    assert parking_fee(station_east, at(5, 10), at(5, 11, 10), discounts=["compact"]).fee == 930


def test_a_stay_ending_before_it_starts_is_an_error(station_east):
    with pytest.raises(ValueError):
        parking_fee(station_east, at(7, 10), at(7, 9))
