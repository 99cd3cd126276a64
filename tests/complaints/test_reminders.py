from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from apps.complaints import services
from apps.complaints.deadlines import add_working_days, working_days_between
from apps.complaints.models import Category, Complaint, DeadlineReminder

SEOUL = ZoneInfo("Asia/Seoul")
# Monday 2 November 2026; seven working days end on Tuesday 10 November.
RECEIVED = date(2026, 11, 2)
DUE = add_working_days(RECEIVED, 7)


@pytest.fixture
def roads(city, django_user_model):
    streetlight = Category.objects.get(municipality=city, code="streetlight")
    department = streetlight.department
    department.email = "lighting@uijeongbu.example.kr"
    department.save()
    member = django_user_model.objects.create_user("lights", email="kim@uijeongbu.example.kr", password="x")
    department.staff.add(member)
    return streetlight


def case_received_on(category: Category, day: date) -> Complaint:
    case = services.complaint_submit(
        category=category, description="보안등이 꺼졌어요", channel="web", latitude=37.74, longitude=127.04
    ).complaint
    Complaint.objects.filter(pk=case.pk).update(
        received_at=datetime(day.year, day.month, day.day, 10, tzinfo=SEOUL),
        due_date=add_working_days(day, category.processing_days),
    )
    case.refresh_from_db()
    return case


def test_the_period_is_counted_in_working_days():
    assert add_working_days(RECEIVED, 7) == date(2026, 11, 10)
    assert working_days_between(RECEIVED, DUE) == 7
    assert working_days_between(date(2026, 11, 7), date(2026, 11, 8)) == 0  # a weekend
    assert working_days_between(DUE, RECEIVED) == 0


def test_a_department_is_reminded_at_half_and_at_the_end_of_the_time_once_each(roads, mailoutbox):
    case = case_received_on(roads, RECEIVED)
    assert services.deadline_reminders_send(today=date(2026, 11, 4)) == 0  # 3 of 7 working days used
    assert services.deadline_reminders_send(today=date(2026, 11, 5)) == 1  # 4 of 7
    assert services.deadline_reminders_send(today=date(2026, 11, 6)) == 0  # already told
    assert services.deadline_reminders_send(today=DUE) == 1
    assert services.deadline_reminders_send(today=date(2026, 11, 12)) == 0
    stages = list(case.reminders.order_by("sent_at").values_list("stage", "due_date"))
    assert stages == [("half", DUE), ("due", DUE)]

    half, due = mailoutbox
    assert sorted(half.to) == ["kim@uijeongbu.example.kr", "lighting@uijeongbu.example.kr"]
    assert case.number in half.body and case.number in due.body
    assert "1건" in half.subject


def test_one_email_per_department_lists_all_its_cases(roads, city, mailoutbox):
    cases = [case_received_on(roads, RECEIVED) for _ in range(3)]
    pothole = Category.objects.get(municipality=city, code="pothole")
    pothole.department.email = "roads@uijeongbu.example.kr"
    pothole.department.save()
    other = case_received_on(pothole, RECEIVED)
    assert services.deadline_reminders_send(today=DUE) == 4
    by_recipient = {tuple(sorted(mail.to)): mail for mail in mailoutbox}
    assert len(mailoutbox) == 2
    lighting = by_recipient[("kim@uijeongbu.example.kr", "lighting@uijeongbu.example.kr")]
    assert all(case.number in lighting.body for case in cases)
    assert other.number not in lighting.body
    assert other.number in by_recipient[("roads@uijeongbu.example.kr",)].body


def test_an_extension_earns_reminders_against_the_new_date(roads, mailoutbox, django_user_model):
    case = case_received_on(roads, RECEIVED)
    services.deadline_reminders_send(today=DUE)
    staff = django_user_model.objects.get(username="lights")
    case = services.complaint_extend_deadline(complaint=case, actor=staff, working_days=7, reason="부품 주문 중")
    assert services.deadline_reminders_send(today=case.due_date) == 1
    assert case.reminders.filter(stage="due").count() == 2


def test_answered_and_transferred_away_cases_are_not_reminded(roads, mailoutbox, django_user_model):
    staff = django_user_model.objects.get(username="lights")
    answered = case_received_on(roads, RECEIVED)
    services.complaint_answer(complaint=answered, actor=staff, message="교체했습니다")
    away = case_received_on(roads, RECEIVED)
    services.complaint_transfer(complaint=away, actor=staff, reason="한전 관할", agency="한국전력공사")
    assert services.deadline_reminders_send(today=DUE) == 0
    assert mailoutbox == []
    assert not DeadlineReminder.objects.exists()
