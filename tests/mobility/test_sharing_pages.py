"""Resident-priority sharing through its pages and the admin: a driver finds a free time with its
fee, requests it (consent required, rate-limited), follows it by its link; the holder offers times
and decides by theirs; staff register spaces and decide. Tokens open only their own rows, and the
pages that carry them are never stored and send no Referer."""

import re
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry

from apps.common.tokens import token_hash
from apps.mobility import sharing_selectors, sharing_services
from apps.mobility.fees import SEOUL
from apps.mobility.models import ResidentSpace, SharingBooking, SharingSlot
from apps.mobility.sharing_admin import CONTACT_SHOWN_ACTION

SHARING = "/ko/mobility/parking/sharing/"
TYPED = "%Y-%m-%dT%H:%M"
DRIVER = {"driver_name": "이운전", "driver_phone": "010-9876-5432", "licence_plate": "12가3456"}


def tomorrow(hour: int, minute: int = 0):
    day = timezone.localdate(timezone=SEOUL) + timedelta(days=1)
    return timezone.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SEOUL)


def register(city, place, zone: str):
    space, token = sharing_services.resident_space_register(
        municipality=city,
        place=place,
        zone_name=zone,
        holder_name="김주민",
        holder_phone="010-1234-5678",
        hourly_fee=1_250,
    )
    sharing_services.slot_offer(space, starts_at=tomorrow(9), ends_at=tomorrow(18))
    return space, token


@pytest.fixture
def shared(city, station_east):
    """A space offered tomorrow 09:00-18:00 at ₩1,250 an hour, and its management token."""
    return register(city, station_east.place, "의정부1동 A-12")


@pytest.fixture
def driver_address() -> str:
    """A client address of this test alone: the request limit counts per client, in a cache that
    outlives the test (Redis)."""
    return f"fd00::{uuid.uuid4().hex[:4]}:{uuid.uuid4().hex[:4]}"


def booking_form(starts_at, ends_at, **changes) -> dict:
    typed = {"starts_at": starts_at.strftime(TYPED), "ends_at": ends_at.strftime(TYPED)}
    return typed | DRIVER | {"consent": "on"} | changes


def assert_private(response) -> None:
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"


def test_a_driver_requests_the_holder_approves_and_the_driver_follows_it(client, shared, station_east, driver_address):
    space, holder_token = shared
    finder = client.get(
        f"{SHARING}?from={station_east.place.code}&day={tomorrow(0).date().isoformat()}&start=10%3A00&hours=2.5"
    )
    found = finder.content.decode()
    assert finder.status_code == 200 and "의정부1동 A-12" in found
    # 2.5 h × ₩1,250 = ₩3,125, under ₩10 cut off; the holder's name and phone are nowhere public.
    assert "₩3,120" in found and "김주민" not in found and "1234-5678" not in found
    assert_private(finder)
    # What a browser sends is already the page's one address: no redirect.
    assert client.get(f"{SHARING}?day={tomorrow(0).date().isoformat()}&start=09%3A30&hours=2").status_code == 200
    request_url = re.search(r'href="([^"]*/sharing/spaces/\d+/request/[^"]*)"', found)[1].replace("&amp;", "&")
    form_page = client.get(request_url)
    assert form_page.status_code == 200 and "₩3,120" in form_page.content.decode()

    sent = client.post(
        f"{SHARING}spaces/{space.pk}/request/",
        booking_form(tomorrow(10), tomorrow(12, 30)),
        REMOTE_ADDR=driver_address,
    )
    assert sent.status_code == 302
    tracking_url = sent["Location"]
    booking = SharingBooking.objects.get(space=space)
    assert booking.fee == 3_120 and booking.consent_purpose and booking.consent_at
    assert re.fullmatch(r"/ko/mobility/parking/sharing/bookings/[\w-]{40,}/", tracking_url)
    tracking = client.get(tracking_url)
    page = tracking.content.decode()
    assert_private(tracking)
    assert 'data-booking-status="requested"' in page and "12가****" in page and "3456" not in page

    holder_url = f"{SHARING}manage/{holder_token}/"
    holder = client.get(holder_url)
    assert_private(holder)
    seen = holder.content.decode()
    assert "이**" in seen and "010-****-****" in seen and "12가****" in seen
    assert "이운전" not in seen and "9876" not in seen and "3456" not in seen
    approved = client.post(holder_url, {"action": "approve", "id": booking.pk})
    assert approved.status_code == 302 and approved["Location"] == holder_url
    assert 'data-booking-status="approved"' in client.get(tracking_url).content.decode()

    cancelled = client.post(tracking_url, {"action": "cancel"})
    assert cancelled.status_code == 302
    booking.refresh_from_db()
    assert booking.status == SharingBooking.Status.CANCELLED
    again = client.post(tracking_url, {"action": "cancel"})
    assert again.status_code == 409 and "이 예약은" in again.content.decode()


def test_a_holder_offers_and_withdraws_times_and_bad_times_are_refused_on_the_field(client, shared):
    space, holder_token = shared
    holder_url = f"{SHARING}manage/{holder_token}/"
    offered = client.post(
        holder_url,
        {
            "action": "offer",
            "offer-starts_at": tomorrow(19).strftime(TYPED),
            "offer-ends_at": tomorrow(22).strftime(TYPED),
        },
    )
    assert offered.status_code == 302
    slot = space.slots.get(starts_at=tomorrow(19))
    off_the_half_hour = client.post(
        holder_url,
        {
            "action": "offer",
            "offer-starts_at": tomorrow(22, 10).strftime(TYPED),
            "offer-ends_at": tomorrow(23).strftime(TYPED),
        },
    )
    text = off_the_half_hour.content.decode()
    assert off_the_half_hour.status_code == 400 and "시간은 정각 또는 30분 단위여야 합니다." in text
    assert 'aria-invalid="true" aria-describedby="id_offer-starts_at_helptext id_offer-starts_at_error"' in text
    assert client.post(holder_url, {"action": "withdraw", "id": slot.pk}).status_code == 302
    slot.refresh_from_db()
    assert slot.withdrawn_at is not None
    assert client.post(holder_url, {"action": "withdraw", "id": "x"}).status_code == 404
    assert client.post(holder_url, {"action": "delete-everything"}).status_code == 404


def test_no_request_without_consent_nor_with_input_that_makes_no_sense(client, shared, driver_address):
    space, _token = shared
    url = f"{SHARING}spaces/{space.pk}/request/"
    cases = {
        "consent": (booking_form(tomorrow(10), tomorrow(11), consent=""), "개인정보 수집·이용에 동의해 주세요"),
        "driver_name": (booking_form(tomorrow(10), tomorrow(11), driver_name="가" * 10_000), "최대 100"),
        "licence_plate": (
            booking_form(tomorrow(10), tomorrow(11), licence_plate="12가\x073456"),
            'id="id_licence_plate_error"',
        ),
        "driver_phone": (
            booking_form(tomorrow(10), tomorrow(11), driver_phone="010\n1234\n5678"),
            'id="id_driver_phone_error"',
        ),
        "starts_at": (booking_form(tomorrow(10, 15), tomorrow(11)), "시간은 정각 또는 30분 단위여야 합니다."),
    }
    for field, (data, message) in cases.items():
        answer = client.post(url, data, REMOTE_ADDR=driver_address)
        text = answer.content.decode()
        # In Korean, on the field it concerns, and tied to it for screen readers.
        assert answer.status_code == 400 and message in text, field
        assert f'id="id_{field}_error"' in text and re.search(f'aria-describedby="[^"]*id_{field}_error"', text), field
    for starts_at, ends_at in [("0001-01-01T00:00", "0001-01-01T01:00"), ("9999-12-31T23:00", "9999-12-31T23:30")]:
        absurd = client.post(
            url, booking_form(tomorrow(10), tomorrow(11)) | {"starts_at": starts_at, "ends_at": ends_at}
        )
        assert absurd.status_code == 400 and "id_starts_at_error" in absurd.content.decode()
    nonsense = client.post(url, booking_form(tomorrow(10), tomorrow(11)) | {"starts_at": "99999-01-01T00:00"})
    assert nonsense.status_code == 400
    odd_link = client.get(f"{url}?starts_at=%07{'9' * 5000}&ends_at=0001-01-01T00:00")
    assert odd_link.status_code == 200 and "\x07" not in odd_link.content.decode()
    assert not SharingBooking.objects.filter(space=space).exists()


def test_requests_are_limited_per_client_whatever_it_writes_in_x_forwarded_for(client, shared, driver_address):
    space, _token = shared
    url = f"{SHARING}spaces/{space.pk}/request/"
    for hour in range(9, 14):
        sent = client.post(
            url,
            booking_form(tomorrow(hour), tomorrow(hour + 1)),
            REMOTE_ADDR=driver_address,
            HTTP_X_FORWARDED_FOR=f"10.0.0.{hour}",
        )
        assert sent.status_code == 302
    refused = client.post(
        url, booking_form(tomorrow(15), tomorrow(16)), REMOTE_ADDR=driver_address, HTTP_X_FORWARDED_FOR="10.9.9.9"
    )
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert SharingBooking.objects.filter(space=space).count() == 5
    # Another client is not held back.
    other = client.post(url, booking_form(tomorrow(15), tomorrow(16)), REMOTE_ADDR=f"{driver_address}1")
    assert other.status_code == 302


def test_a_forged_token_opens_nothing_and_a_holder_cannot_touch_another_spaces_rows(client, city, station_east, shared):
    space, holder_token = shared
    other_space, _other_token = register(city, station_east.place, "신곡1동 B-3")
    theirs, _ = sharing_services.booking_request(
        other_space, starts_at=tomorrow(10), ends_at=tomorrow(11), consented=True, **DRIVER
    )
    for forged in ("x" * 43, holder_token[:-1], holder_token.swapcase(), "ö" * 5000):
        for kind in ("manage", "bookings"):
            answer = client.get(f"{SHARING}{kind}/{forged}/")
            assert answer.status_code == 404, forged
            assert_private(answer)
            assert "A-12" not in answer.content.decode() and "B-3" not in answer.content.decode()
        assert client.post(f"{SHARING}manage/{forged}/", {"action": "approve", "id": theirs.pk}).status_code == 404
    assert client.get(f"{SHARING}manage/%00/").status_code == 400
    holder_url = f"{SHARING}manage/{holder_token}/"
    for action in ("approve", "refuse", "cancel"):
        answer = client.post(holder_url, {"action": action, "id": theirs.pk})
        assert answer.status_code == 404 and "B-3" not in answer.content.decode()
    assert client.post(holder_url, {"action": "withdraw", "id": other_space.slots.get().pk}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == SharingBooking.Status.REQUESTED and other_space.slots.get().withdrawn_at is None
    assert client.get(f"{SHARING}spaces/999999/request/").status_code == 404


def test_staff_register_a_space_see_drivers_masked_decide_and_a_shown_contact_is_logged(
    admin_client, city, station_east
):
    fields = {"zone_name": "호원2동 C-7", "holder_name": "박보유", "holder_phone": "010-2222-3333", "hourly_fee": 1_000}
    answer = admin_client.post(
        "/admin/resident_spaces/new/", {"municipality": city.pk, "place": station_east.place.pk, **fields}
    )
    link = re.search(
        r"<code data-management-link>(http://testserver/ko/mobility/parking/sharing/manage/([\w-]{40,})/)</code>",
        answer.content.decode(),
    )
    space = ResidentSpace.objects.get(zone_name="호원2동 C-7")
    assert link and space.management_token_hash == token_hash(link[2])
    space_page = f"/admin/resident_spaces/inspect/{space.pk}/"
    assert link[2] not in admin_client.get(space_page).content.decode()
    assert link[2] not in admin_client.get("/admin/resident_spaces/").content.decode()
    assert admin_client.get(f"/admin/resident_spaces/edit/{space.pk}/").status_code != 200

    sharing_services.slot_offer(space, starts_at=tomorrow(9), ends_at=tomorrow(12))
    booking, _ = sharing_services.booking_request(
        space, starts_at=tomorrow(9), ends_at=tomorrow(10), consented=True, **DRIVER
    )
    listed = admin_client.get(space_page).content.decode()
    assert "이** · 010-****-**** · 12가****" in listed and "9876" not in listed and "3456" not in listed

    shown = admin_client.post(f"{space_page}bookings/{booking.pk}/contact/")
    assert (
        shown.status_code == 200 and "010-9876-5432" in shown.content.decode() and "no-store" in shown["Cache-Control"]
    )
    entry = ModelLogEntry.objects.get(action=CONTACT_SHOWN_ACTION, object_id=str(booking.pk))
    assert entry.user.is_superuser and entry.data["ip_address"] == "127.0.0.1"

    assert admin_client.post(f"{space_page}bookings/{booking.pk}/approve/").status_code == 302
    twice = admin_client.post(f"{space_page}bookings/{booking.pk}/refuse/")
    assert twice.status_code == 409 and "이 예약은" in twice.content.decode()
    booking.refresh_from_db()
    assert booking.status == SharingBooking.Status.APPROVED
    other_space, _ = register(city, station_east.place, "D-1")
    assert (
        admin_client.post(f"/admin/resident_spaces/inspect/{other_space.pk}/bookings/{booking.pk}/cancel/").status_code
        == 404
    )
    assert SharingSlot.objects.filter(space=space).count() == 1


def test_free_times_leave_out_held_ones_and_start_on_the_next_half_hour(city, shared):
    space, _token = shared
    sharing_services.booking_request(space, starts_at=tomorrow(10), ends_at=tomorrow(11), consented=True, **DRIVER)
    periods = sharing_selectors.free_periods(city, now=tomorrow(9, 17))
    assert [(period.starts_at, period.ends_at) for period in periods] == [
        (tomorrow(9, 30), tomorrow(10)),
        (tomorrow(11), tomorrow(18)),
    ]
    asked = sharing_selectors.free_periods(city, starts_at=tomorrow(12), ends_at=tomorrow(14), now=tomorrow(9, 17))
    assert [(period.starts_at, period.ends_at) for period in asked] == [(tomorrow(11), tomorrow(18))]
    assert sharing_selectors.free_periods(city, starts_at=tomorrow(10), ends_at=tomorrow(12), now=tomorrow(9)) == []
