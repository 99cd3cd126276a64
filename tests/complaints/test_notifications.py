import contextlib
import logging

import pytest
from celery.utils.log import LoggingProxy, get_logger
from django.core import mail

from apps.complaints import services
from apps.complaints.models import Category, Notification
from apps.complaints.notifications import notification_send
from apps.complaints.tasks import send_pending_notifications
from portal.celery import app as celery_app


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("lighting", password="x")


def file_with_contact(**contact):
    contact = {"consented": True, **contact}
    return services.complaint_submit(
        category=Category.objects.get(code="streetlight"),
        description="보안등이 꺼졌어요",
        channel="web",
        latitude=37.7381,
        longitude=127.0337,
        contact=services.Contact(**contact),
    ).complaint


def send_all() -> int:
    return sum(notification_send(pk) for pk in Notification.objects.values_list("pk", flat=True))


def test_every_public_change_owes_the_reporter_one_message_per_channel(city, staff):
    case = file_with_contact(email="resident@example.kr", phone="010-1234-5678")
    services.complaint_add_note(complaint=case, actor=staff, message="내부 메모")  # not public: no message
    services.complaint_answer(complaint=case, actor=staff, message="교체했습니다. 담당 031-828-1234")
    assert Notification.objects.filter(channel="email").count() == 2  # received, answered
    assert Notification.objects.filter(channel="sms").count() == 2


def test_a_reporter_without_consent_gets_nothing(city, staff):
    case = services.complaint_submit(
        category=Category.objects.get(code="welfare"), description="어르신이 안 보이세요", channel="web"
    ).complaint
    services.complaint_accept(complaint=case, actor=staff)
    assert not Notification.objects.exists()


def test_messages_go_out_once_in_the_reporters_language(city, staff, caplog):
    case = file_with_contact(email="visitor@example.com", phone="010-1234-5678", name="Kim")
    case.language = "en"
    case.save(update_fields=["language"])
    services.complaint_answer(complaint=case, actor=staff, message="Replaced the lamp. Call 010-9999-8888")
    with caplog.at_level(logging.INFO, logger="apps.complaints.notifications"):
        assert send_all() == 4
        assert send_all() == 0  # never twice
    bodies = [message.body for message in mail.outbox]
    assert len(bodies) == 2
    assert "Status: Answered." in bodies[1] and "010-****-****" in bodies[1]
    assert mail.outbox[0].to == ["visitor@example.com"] and case.number in mail.outbox[0].subject
    sms_lines = [record.getMessage() for record in caplog.records if "SMS to" in record.getMessage()]
    assert len(sms_lines) == 2 and all("010-****-****" in line for line in sms_lines)
    assert all(n.state == "sent" and n.sent_at for n in Notification.objects.all())


class BrokenSender:
    def send(self, phone: str, text: str) -> None:
        raise ConnectionError("provider down")


def test_a_failed_send_is_recorded_and_retried_by_the_sweep(city, settings):
    settings.SMS_SENDER = "tests.complaints.test_notifications.BrokenSender"
    file_with_contact(phone="010-1234-5678")
    notification = Notification.objects.get()
    assert notification_send(notification.pk) is False
    notification.refresh_from_db()
    assert (notification.state, notification.attempts, notification.last_error) == ("failed", 1, "provider down")
    settings.SMS_SENDER = "apps.complaints.notifications.LogSmsSender"
    Notification.objects.update(created_at=notification.created_at.replace(year=2025))
    assert send_pending_notifications() == 1
    notification.refresh_from_db()
    assert notification.state == "sent"


def test_a_send_left_by_a_dead_worker_is_taken_back_after_its_lease(city, settings):
    from datetime import timedelta

    from django.utils import timezone

    file_with_contact(phone="010-1234-5678")
    notification = Notification.objects.get()
    # A worker claimed it and was killed before it could record the outcome.
    claimed_at = timezone.now() - timedelta(minutes=3)
    Notification.objects.update(
        state="sending", attempts=1, claimed_at=claimed_at, created_at=claimed_at - timedelta(minutes=1)
    )
    assert send_pending_notifications() == 0  # within the lease the claim stands: never two senders at once
    lease = timedelta(seconds=settings.NOTIFICATION_SEND_LEASE_SECONDS)
    Notification.objects.update(claimed_at=timezone.now() - lease - timedelta(seconds=1))
    assert send_pending_notifications() == 1
    notification.refresh_from_db()
    assert (notification.state, notification.attempts) == ("sent", 2)


def test_the_link_in_a_message_opens_the_case_and_no_other(client, city, settings):
    import re

    settings.SITE_URL = "https://portal.example.kr"
    case = file_with_contact(email="reporter@example.kr")
    other = file_with_contact(email="someone@example.kr")
    send_all()
    link = re.search(r"https://portal\.example\.kr(/ko/complaints/track/\S+)", mail.outbox[0].body).group(1)
    assert case.number in link and "token=" in link
    page = client.get(link)
    assert page.status_code == 200
    assert case.number in page.content.decode()
    assert client.get(link.replace(case.number, other.number)).status_code == 404


def test_a_case_is_saved_even_when_the_broker_is_down(city, monkeypatch, django_capture_on_commit_callbacks):
    from kombu.exceptions import OperationalError

    from apps.complaints.tasks import send_notification

    def broker_down(*args, **kwargs):
        raise OperationalError("[Errno 111] Connection refused")

    monkeypatch.setattr(send_notification, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        case = file_with_contact(phone="010-1234-5678")
    assert case.pk and Notification.objects.get().state == "pending"
    monkeypatch.undo()
    Notification.objects.update(created_at=case.received_at.replace(year=2025))
    assert send_pending_notifications() == 1  # sent once the broker is back


def test_a_duplicate_tells_the_reporter_which_case_to_follow(city, staff):
    original = file_with_contact(email="first@example.kr")
    case = file_with_contact(email="second@example.kr")
    services.complaint_mark_duplicate(complaint=case, actor=staff, original=original)
    send_all()
    assert f"이미 {original.number}(으)로 접수된 민원입니다." in mail.outbox[-1].body


def test_a_sent_email_logs_nothing_above_info_in_the_worker(city, settings, caplog):
    """The worker logs what tasks print, such as the console email backend's message: at INFO, since
    a message sent is no problem (at Celery's default WARNING it buried the real ones)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    file_with_contact(email="resident@example.kr")
    # What `celery worker` does with the standard output of its tasks.
    printed = LoggingProxy(get_logger("celery.redirected"), loglevel=celery_app.conf.worker_redirect_stdouts_level)
    with caplog.at_level(logging.DEBUG), contextlib.redirect_stdout(printed):
        assert send_all() == 1
    levels = {record.getMessage(): record.levelno for record in caplog.records}
    assert any("resident@example.kr" in line for line in levels)  # the email, as printed
    assert max(levels.values()) == logging.INFO
