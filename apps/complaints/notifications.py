"""Telling reporters what happened to their case, by email and by SMS/알림톡.

The SMS provider is configuration (settings.SMS_SENDER): any class with send(phone, text). The
default only writes to the log, with the number masked.
"""

import logging
from datetime import datetime, timedelta
from typing import Protocol
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from apps.common.masking import mask_personal_data
from apps.complaints.models import Complaint, ComplaintEvent, DeadlineReminder, Notification
from apps.complaints.selectors import tracking_link_code
from apps.municipalities.models import Department

logger = logging.getLogger(__name__)


class SmsSender(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class LogSmsSender:
    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", mask_personal_data(phone), text)


def _text(event: ComplaintEvent) -> tuple[str, str]:
    """Subject and body in the language the reporter used."""
    case = event.complaint
    with translation.override(case.language):
        if event.kind == ComplaintEvent.Kind.DEADLINE:
            what = _("The answer will take longer: now due by %(date)s.") % {"date": case.due_date.isoformat()}
        else:
            what = _("Status: %(status)s.") % {"status": case.Status(event.to_status).label}
        subject = _("[%(city)s] Your report %(number)s") % {"city": case.municipality.name, "number": case.number}
        lines = [subject, what]
        if event.message:
            lines.append(mask_personal_data(event.message))
        if event.to_status == case.Status.DUPLICATE and case.duplicate_of_id:
            lines.append(_("Already reported as %(number)s.") % {"number": case.duplicate_of.number})
        if event.to_status == case.Status.RECEIVED:
            lines.append(_("Answer due by %(date)s.") % {"date": case.due_date.isoformat()})
        path = reverse("complaints:track-case", args=[case.number])
        lines.append(f"{settings.SITE_URL.rstrip('/')}{path}?{urlencode({'token': tracking_link_code(case)})}")
    return subject, "\n".join(lines)


def notifications_claimable(now: datetime) -> Q:
    """Waiting, failed, or claimed by a worker that has not finished within the lease (it died)."""
    lease = timedelta(seconds=settings.NOTIFICATION_SEND_LEASE_SECONDS)
    return Q(state__in=[Notification.State.PENDING, Notification.State.FAILED]) | Q(
        state=Notification.State.SENDING, claimed_at__lt=now - lease
    )


def notification_send(notification_id: int) -> bool:
    """Send one notification if nobody else holds it; True when this call sent it."""
    now = timezone.now()
    claimed = Notification.objects.filter(notifications_claimable(now), pk=notification_id).update(
        state=Notification.State.SENDING, attempts=F("attempts") + 1, claimed_at=now
    )
    if not claimed:
        return False  # sent, being sent, or gone
    notification = Notification.objects.select_related(
        "event__complaint__municipality", "event__complaint__duplicate_of"
    ).get(pk=notification_id)
    case = notification.event.complaint
    subject, body = _text(notification.event)
    try:
        if notification.channel == Notification.Channel.EMAIL:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [case.contact_email])
        else:
            import_string(settings.SMS_SENDER)().send(case.contact_phone, body)
    except Exception as error:  # noqa: BLE001 - any provider failure is recorded and retried
        logger.warning("notification %s failed: %s", notification_id, error)
        Notification.objects.filter(pk=notification_id).update(
            state=Notification.State.FAILED, last_error=str(error)[:300]
        )
        return False
    Notification.objects.filter(pk=notification_id).update(state=Notification.State.SENT, sent_at=timezone.now())
    logger.info("notification %s sent by %s", notification_id, notification.channel)
    return True


def department_reminder_send(department: Department, reminders: list[tuple[Complaint, str]]) -> None:
    """One email to a department (its address and its staff) listing the cases running out of time."""
    recipients = sorted(
        {department.email, *department.staff.filter(is_active=True).exclude(email="").values_list("email", flat=True)}
        - {""}
    )
    if not recipients:
        logger.warning("no address for deadline reminders of %s", department.code)
        return
    with translation.override("ko"):
        subject = _("[%(city)s] %(count)s cases need an answer soon") % {
            "city": department.municipality.name,
            "count": len(reminders),
        }
        lines = [subject, ""]
        for case, stage in reminders:
            label = DeadlineReminder.Stage(stage).label
            lines.append(f"{case.number}  {case.category.name_ko}  {case.due_date.isoformat()}  {label}")
        lines += ["", f"{settings.SITE_URL}/admin/complaints/"]
    send_mail(subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, recipients)
