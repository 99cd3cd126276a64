"""Resident-priority sharing (거주자우선주차 공유): offered times, requests, decisions and fees."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from apps.mobility import sharing_selectors, sharing_services
from apps.mobility.models import SharingBooking
from apps.mobility.sharing_services import SharingRefused

SEOUL = ZoneInfo("Asia/Seoul")
NOW = datetime(2026, 12, 4, 9, 10, tzinfo=SEOUL)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=SEOUL)


@pytest.fixture
def space_and_token(city, station_east):
    return sharing_services.resident_space_register(
        municipality=city,
        place=station_east.place,
        zone_name="의정부1동 A-12",
        holder_name="김주민",
        holder_phone="010-1234-5678",
        hourly_fee=1_250,
    )


@pytest.fixture
def space(space_and_token):
    space, _token = space_and_token
    sharing_services.slot_offer(space, starts_at=at(5, 9), ends_at=at(5, 18), now=NOW)
    return space


def request(space, starts_at, ends_at, **changes):
    fields = {
        "driver_name": "이운전",
        "driver_phone": "010-9876-5432",
        "licence_plate": "12가3456",
        "consented": True,
        "now": NOW,
    } | changes
    return sharing_services.booking_request(space, starts_at=starts_at, ends_at=ends_at, **fields)


def test_a_request_inside_an_offered_time_is_recorded_with_its_fee_and_approved(space):
    booking, token = request(space, at(5, 10), at(5, 12, 30))
    # 2.5 h × ₩1,250 = ₩3,125, under ₩10 cut off.
    assert booking.fee == 3_120
    assert booking.status == SharingBooking.Status.REQUESTED
    assert sharing_selectors.booking_by_token(token) == booking
    approved = sharing_services.booking_approve(booking, now=NOW)
    assert approved.status == SharingBooking.Status.APPROVED
    with pytest.raises(SharingRefused) as again:
        sharing_services.booking_refuse(approved, now=NOW)
    assert again.value.code == "status"


def test_a_request_outside_the_offered_time_or_off_the_half_hour_is_refused(space):
    for starts_at, ends_at, code in [
        (at(5, 17), at(5, 19), "no-slot"),
        (at(6, 10), at(6, 11), "no-slot"),
        (at(5, 10, 15), at(5, 11), "granularity"),
        (at(5, 11), at(5, 10), "order"),
        (at(5, 10) + timedelta(days=400), at(5, 11) + timedelta(days=400), "horizon"),
    ]:
        with pytest.raises(SharingRefused) as refused:
            request(space, starts_at, ends_at)
        assert refused.value.code == code
    with pytest.raises(SharingRefused) as no_consent:
        request(space, at(5, 10), at(5, 11), consented=False)
    assert no_consent.value.code == "consent"
    assert not SharingBooking.objects.filter(space=space).exists()


def test_overlapping_requests_are_refused_until_the_first_is_refused_or_cancelled(space):
    first, _ = request(space, at(5, 10), at(5, 12))
    with pytest.raises(SharingRefused) as taken:
        request(space, at(5, 11, 30), at(5, 13))
    assert taken.value.code == "taken"
    adjacent, _ = request(space, at(5, 12), at(5, 13))  # touching is not overlapping
    assert adjacent.status == SharingBooking.Status.REQUESTED
    sharing_services.booking_refuse(first, now=NOW)
    again, _ = request(space, at(5, 11), at(5, 12))
    sharing_services.booking_cancel(again, now=NOW)
    assert request(space, at(5, 10), at(5, 12))[0].status == SharingBooking.Status.REQUESTED


def test_an_offered_time_cannot_be_withdrawn_while_booked_nor_offered_twice(space):
    slot = space.slots.get()
    with pytest.raises(SharingRefused) as twice:
        sharing_services.slot_offer(space, starts_at=at(5, 17), ends_at=at(5, 20), now=NOW)
    assert twice.value.code == "slot-overlap"
    booking, _ = request(space, at(5, 10), at(5, 11))
    with pytest.raises(SharingRefused) as booked:
        sharing_services.slot_withdraw(slot, now=NOW)
    assert booked.value.code == "booked"
    sharing_services.booking_cancel(booking, now=NOW)
    assert sharing_services.slot_withdraw(slot, now=NOW).withdrawn_at == NOW
    with pytest.raises(SharingRefused):
        request(space, at(5, 10), at(5, 11))


def test_the_holder_sees_the_driver_masked_and_a_wrong_token_opens_nothing(space_and_token, space):
    _space, token = space_and_token
    assert sharing_selectors.resident_space_by_token(token) == space
    for wrong in ["", "x", token[:-1]]:
        assert sharing_selectors.resident_space_by_token(wrong) is None
        assert sharing_selectors.booking_by_token(wrong) is None
    booking, _ = request(space, at(5, 10), at(5, 11))
    seen = sharing_selectors.booking_masked(booking)
    assert seen["licence_plate"] == "12가****"
    assert seen["driver_phone"] == "010-****-****"
    assert seen["driver_name"] == "이**"
    assert "3456" not in str(seen) and "5432" not in str(seen)
    # Kept 30 days after the booked time, as the consent says, then blanked.
    assert sharing_services.bookings_personal_data_purge(now=at(5, 11) + timedelta(days=30)) == 0
    assert sharing_services.bookings_personal_data_purge(now=at(5, 12) + timedelta(days=30)) == 1
    booking.refresh_from_db()
    assert (booking.driver_phone, booking.licence_plate, booking.fee) == ("", "", 1_250)


def test_a_place_of_another_city_cannot_carry_a_space(city, station_east):
    from apps.municipalities.models import Municipality

    other = Municipality.objects.create(code="yangju", name_ko="양주시", name_en="Yangju")
    with pytest.raises(SharingRefused) as refused:
        sharing_services.resident_space_register(
            municipality=other,
            place=station_east.place,
            zone_name="x",
            holder_name="x",
            holder_phone="010-0000-0000",
            hourly_fee=1000,
        )
    assert refused.value.code == "city"
