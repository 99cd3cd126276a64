import itertools
import re
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from apps.common.tokens import token_matches
from apps.complaints import services
from apps.complaints.deadlines import add_working_days
from apps.complaints.models import Category, Complaint, ComplaintEvent, ComplaintSequence, Notification, Photo
from apps.complaints.services import ComplaintError, Contact, Status
from apps.municipalities.models import Department
from tests.complaints.photo_files import phone_photo

JUNGNANGCHEON = {"latitude": 37.7381, "longitude": 127.0456}


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("roads", password="x")


@pytest.fixture
def streetlight(city):
    return Category.objects.get(municipality=city, code="streetlight")


def submit(category, **fields):
    fields = {"description": "아파트 뒤 보안등이 사흘째 꺼져 있어요", "channel": "web", **JUNGNANGCHEON, **fields}
    return services.complaint_submit(category=category, **fields)


def test_a_submission_is_numbered_routed_and_given_a_deadline(streetlight):
    submission = submit(streetlight)
    case = submission.complaint
    year = timezone.localdate().year
    assert case.number == f"{year}-000001"
    assert submit(streetlight).complaint.number == f"{year}-000002"
    assert case.department.code == "road-lighting"
    assert case.status == Status.RECEIVED
    assert case.due_date == add_working_days(timezone.localdate(case.received_at), 7)
    assert [(e.kind, e.to_status, e.is_public) for e in case.events.all()] == [("status", "received", True)]


def test_the_tracking_token_is_given_once_and_stored_only_as_a_hash(streetlight):
    submission = submit(streetlight)
    case = Complaint.objects.get(pk=submission.complaint.pk)
    assert len(submission.tracking_token) >= 32
    assert submission.tracking_token not in case.tracking_token_hash
    assert token_matches(case.tracking_token_hash, submission.tracking_token)
    assert not token_matches(case.tracking_token_hash, submission.tracking_token[:-1] + "x")


def test_numbers_restart_each_year_and_are_counted_per_city(streetlight, monkeypatch):
    submit(streetlight)
    next_year = timezone.now().replace(month=1, day=5) + timedelta(days=366)
    monkeypatch.setattr(timezone, "now", lambda: next_year)
    assert submit(streetlight).complaint.number == f"{next_year.year}-000001"
    assert ComplaintSequence.objects.count() == 2


def test_contact_details_are_kept_only_with_consent(streetlight):
    with pytest.raises(ComplaintError) as refused:
        submit(streetlight, contact=Contact(phone="010-1234-5678"))
    assert refused.value.code == "consent_missing"
    assert "동의" in refused.value.messages[0]  # residents read it in Korean
    case = submit(streetlight, contact=Contact(phone="010-1234-5678", consented=True)).complaint
    assert case.contact_phone == "010-1234-5678" and case.contact_consent_at is not None
    anonymous = submit(streetlight).complaint
    assert (anonymous.contact_phone, anonymous.contact_consent_at) == ("", None)


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"description": "   "}, "description_missing"),
        ({"description": "가" * 4001}, "description_too_long"),
        ({"latitude": None, "longitude": None}, "location_missing"),
        ({"longitude": None}, "location_partial"),
        ({"latitude": 137.7}, "location_invalid"),
        ({"channel": "fax"}, "channel_invalid"),
    ],
)
def test_bad_submissions_are_refused_and_change_nothing(streetlight, fields, code):
    with pytest.raises(ComplaintError) as refused:
        submit(streetlight, **fields)
    assert refused.value.code == code
    assert not Complaint.objects.exists()
    assert not ComplaintSequence.objects.filter(last__gt=0).exists()


def test_a_place_name_is_enough_location_and_some_categories_need_none(city):
    assert submit(
        Category.objects.get(code="streetlight"), latitude=None, longitude=None, address="신곡동 추동공원 입구"
    )
    assert submit(Category.objects.get(code="welfare"), latitude=None, longitude=None)


def perform(case, to_status, staff, city):
    """The service call that moves a case to each status."""
    other = Department.objects.get(municipality=city, code="road-maintenance")
    calls = {
        Status.ACCEPTED: lambda: services.complaint_accept(complaint=case, actor=staff),
        Status.ANSWERED: lambda: services.complaint_answer(complaint=case, actor=staff, message="교체했습니다."),
        Status.CLOSED_UNFIXED: lambda: services.complaint_close_unfixed(
            complaint=case, actor=staff, reason="사유지 시설입니다."
        ),
        Status.TRANSFERRED: lambda: services.complaint_transfer(
            complaint=case, actor=staff, reason="도로 파손 건입니다.", department=other
        ),
        Status.TRANSFERRED_OUT: lambda: services.complaint_transfer(
            complaint=case, actor=staff, reason="한전 전주 소관", agency="한국전력공사"
        ),
        Status.DUPLICATE: lambda: services.complaint_mark_duplicate(
            complaint=case, actor=staff, original=submit(case.category).complaint
        ),
        Status.REOPENED: lambda: services.complaint_reopen(complaint=case, reason="아직 꺼져 있어요."),
    }
    return calls[to_status]()


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    [(a, b) for a, b in itertools.product(Status.values, Status.values) if b != Status.RECEIVED],
)
def test_every_status_transition(streetlight, staff, city, from_status, to_status):
    case = submit(streetlight).complaint
    Complaint.objects.filter(pk=case.pk).update(status=from_status, answered_at=timezone.now())
    case.refresh_from_db()
    if to_status in services.TRANSITIONS[from_status]:
        moved = perform(case, to_status, staff, city)
        assert moved.status == to_status
        last = moved.events.filter(kind="status").last()
        assert (last.from_status, last.to_status) == (from_status, to_status)
    else:
        with pytest.raises(ComplaintError) as refused:
            perform(case, to_status, staff, city)
        assert refused.value.code == "transition_invalid"
        case.refresh_from_db()
        assert case.status == from_status


def test_a_transfer_inside_the_city_moves_the_case_to_the_new_department(streetlight, staff, city):
    case = submit(streetlight).complaint
    moved = perform(case, Status.TRANSFERRED, staff, city)
    assert moved.department.code == "road-maintenance"
    assert services.complaint_accept(complaint=moved, actor=staff).status == Status.ACCEPTED


def test_a_transfer_to_an_outside_agency_needs_a_reason_and_one_target(streetlight, staff, city):
    case = submit(streetlight).complaint
    with pytest.raises(ComplaintError):
        services.complaint_transfer(complaint=case, actor=staff, reason="", agency="한국전력공사")
    with pytest.raises(ComplaintError):
        services.complaint_transfer(
            complaint=case, actor=staff, reason="한전 소관", agency="한국전력공사", department=case.department
        )
    moved = services.complaint_transfer(complaint=case, actor=staff, reason="한전 전주 소관", agency="한국전력공사")
    assert (moved.status, moved.transferred_to_agency) == (Status.TRANSFERRED_OUT, "한국전력공사")
    assert not services.TRANSITIONS[moved.status] and not moved.is_open  # finished here
    assert moved.events.last().message == "한전 전주 소관"


def test_an_answer_needs_a_message_and_a_case_cannot_duplicate_itself(streetlight, staff):
    case = submit(streetlight).complaint
    with pytest.raises(ComplaintError) as refused:
        services.complaint_answer(complaint=case, actor=staff, message=" ")
    assert refused.value.code == "answer_missing"
    with pytest.raises(ComplaintError):
        services.complaint_mark_duplicate(complaint=case, actor=staff, original=case)


def test_a_case_can_be_reopened_only_within_14_days_of_its_answer(streetlight, staff):
    case = services.complaint_answer(complaint=submit(streetlight).complaint, actor=staff, message="교체 완료")
    Complaint.objects.filter(pk=case.pk).update(answered_at=timezone.now() - timedelta(days=15))
    case.refresh_from_db()
    with pytest.raises(ComplaintError) as refused:
        services.complaint_reopen(complaint=case, reason="여전히 꺼져 있어요")
    assert refused.value.code == "reopen_late"
    Complaint.objects.filter(pk=case.pk).update(answered_at=timezone.now() - timedelta(days=13))
    case.refresh_from_db()
    reopened = services.complaint_reopen(complaint=case, reason="여전히 꺼져 있어요")
    assert reopened.status == Status.REOPENED and reopened.answered_at is None


def test_an_extension_moves_the_deadline_by_working_days_and_is_public(streetlight, staff):
    case = submit(streetlight).complaint
    extended = services.complaint_extend_deadline(
        complaint=case, actor=staff, working_days=5, reason="부품 수급에 시간이 걸립니다"
    )
    assert extended.due_date == add_working_days(case.due_date + timedelta(days=1), 5)
    event = extended.events.get(kind=ComplaintEvent.Kind.DEADLINE)
    assert event.is_public and event.actor == staff
    answered = services.complaint_answer(complaint=extended, actor=staff, message="완료")
    with pytest.raises(ComplaintError):
        services.complaint_extend_deadline(complaint=answered, actor=staff, working_days=1, reason="x")


def test_internal_notes_are_never_public(streetlight, staff):
    note = services.complaint_add_note(complaint=submit(streetlight).complaint, actor=staff, message="현장 확인 예정")
    assert not note.is_public


def file_in_own_connection(category, description: str, **fields) -> str | None:
    """A filing from a thread of its own (its own database connection): its number, or None when refused."""
    try:
        return submit(category, description=description, **fields).complaint.number
    except ComplaintError:
        return None
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_distinct_consecutive_numbers(city):
    if connection.vendor == "sqlite":
        pytest.skip("the in-memory SQLite test database is one connection; the PostgreSQL run checks this")
    category = Category.objects.get(municipality=city, code="illegal-parking")

    def file_one(index: int) -> str | None:
        # Every fifth names a photo nobody uploaded: refused after its case was stored, it takes no number.
        photos = [str(uuid.uuid4())] if index % 5 == 4 else []
        return file_in_own_connection(category, f"불법 주차 {index}", photo_ids=photos)

    with ThreadPoolExecutor(max_workers=8) as pool:
        numbers = list(pool.map(file_one, range(50)))
    assert numbers.count(None) == 10
    sequence = sorted(int(re.sub(r"^\d{4}-", "", number)) for number in numbers if number)
    assert sequence == list(range(1, 41))
    assert Complaint.objects.count() == 40


@pytest.mark.django_db(transaction=True)
def test_a_filing_slow_to_write_its_photos_does_not_hold_up_the_others(city, monkeypatch):
    """A filing's photos are written before it takes its number, and the city's counter row is locked
    only by the statement that stores the case, until it commits: another filing goes through meanwhile."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite has one writer at a time: every filing holds the whole database until it commits")
    category = Category.objects.get(municipality=city, code="illegal-parking")
    storing, go_on = threading.Event(), threading.Event()
    storage = Photo._meta.get_field("image").storage
    write = storage.save

    def slow_to_write(name, content, max_length=None):  # e.g. five large photos on a slow disk
        storing.set()
        go_on.wait(timeout=60)
        return write(name, content, max_length=max_length)

    monkeypatch.setattr(storage, "save", slow_to_write)
    with ThreadPoolExecutor(max_workers=2) as pool:
        slow = pool.submit(file_in_own_connection, category, "느린 신고", photo_uploads=[phone_photo()])
        assert storing.wait(timeout=10)
        quick = pool.submit(file_in_own_connection, category, "빠른 신고")
        try:
            quick_number = quick.result(timeout=10)
        finally:
            go_on.set()
        slow_number = slow.result(timeout=30)
    year = timezone.localdate().year
    assert (quick_number, slow_number) == (f"{year}-000001", f"{year}-000002")
    assert Complaint.objects.get(number=slow_number).photos.count() == 1


def test_the_reporter_rates_an_answer_and_staff_see_it(streetlight, staff):
    case = submit(streetlight).complaint
    with pytest.raises(ComplaintError) as early:
        services.complaint_rate(complaint=case, rating=5)
    assert early.value.code == "rating_early"
    case = services.complaint_answer(complaint=case, actor=staff, message="교체했습니다")
    for bad in (0, 6, "5", None):
        with pytest.raises(ComplaintError):
            services.complaint_rate(complaint=case, rating=bad)
    services.complaint_rate(complaint=case, rating=2, comment="  아직 깜빡여요 ")
    case = services.complaint_rate(complaint=case, rating=4, comment="다시 보니 괜찮아요")
    assert (case.rating, case.rating_comment) == (4, "다시 보니 괜찮아요")
    ratings = case.events.filter(kind=ComplaintEvent.Kind.RATING)
    assert list(ratings.values_list("message", "is_public")) == [
        ("2/5 아직 깜빡여요", False),
        ("4/5 다시 보니 괜찮아요", False),
    ]
    assert not Notification.objects.filter(event__kind=ComplaintEvent.Kind.RATING).exists()


def test_the_dong_comes_from_the_reporter_or_from_a_place_name_in_the_address(streetlight):
    assert submit(streetlight, address="의정부시 호원 1동 281-5").complaint.dong == "호원1동"
    assert submit(streetlight, address="금오동 경기도청 북부청사 앞").complaint.dong == "자금동"
    assert submit(streetlight, address="시청 앞").complaint.dong == ""
    assert submit(streetlight, address="금오동", dong="신곡2동").complaint.dong == "신곡2동"
    with pytest.raises(ComplaintError) as unknown:
        submit(streetlight, dong="강남동")
    assert unknown.value.code == "dong_invalid"


def test_a_case_with_nothing_else_is_stored_numbered_in_one_statement(streetlight, django_assert_num_queries):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite numbers the case in Python, under its database-wide write lock")
    streetlight.municipality, streetlight.department  # noqa: B018 - loaded, as the API's lookup has them
    with django_assert_num_queries(1):
        case = submit(streetlight).complaint
    stored = Complaint.objects.get(pk=case.pk)
    assert stored.number == case.number == f"{timezone.localdate().year}-000001"
    assert [(line.kind, line.to_status, line.is_public) for line in stored.events.all()] == [
        (ComplaintEvent.Kind.STATUS, Status.RECEIVED, True)
    ]
