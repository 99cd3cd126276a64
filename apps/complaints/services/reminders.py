"""Reminders to departments of their open cases' deadlines."""

from datetime import date

from django.utils import timezone

from apps.complaints.deadlines import working_days_between
from apps.complaints.models import OPEN_STATUSES, Complaint, DeadlineReminder
from apps.municipalities.models import Department


def _reminder_stage(complaint: Complaint, today: date) -> str | None:
    """ "due" on and after the deadline day; "half" once half of the working days are used."""
    if today >= complaint.due_date:
        return DeadlineReminder.Stage.DUE
    received = timezone.localdate(complaint.received_at)
    period = working_days_between(received, complaint.due_date)
    used = working_days_between(received, today)
    return DeadlineReminder.Stage.HALF if used * 2 >= period else None


def deadline_reminders_send(*, today: date) -> int:
    """Remind each department, in one email, of its open cases at half or all of their time.

    Each stage is sent once per deadline (an extended case is reminded again). The email goes
    before the record: a crash in between sends a reminder twice rather than never.
    """
    from apps.complaints.notifications import department_reminder_send

    reminded = set(
        DeadlineReminder.objects.filter(complaint__status__in=OPEN_STATUSES).values_list(
            "complaint_id", "stage", "due_date"
        )
    )
    owed: dict[Department, list[tuple[Complaint, str]]] = {}
    open_cases = Complaint.objects.filter(status__in=OPEN_STATUSES).select_related(
        "department__municipality", "category"
    )
    for case in open_cases.iterator():
        stage = _reminder_stage(case, today)
        if stage and (case.pk, stage, case.due_date) not in reminded:
            owed.setdefault(case.department, []).append((case, stage))
    for department, reminders in owed.items():
        department_reminder_send(department, reminders)
        DeadlineReminder.objects.bulk_create(
            [DeadlineReminder(complaint=case, stage=stage, due_date=case.due_date) for case, stage in reminders],
            ignore_conflicts=True,
        )
    return sum(len(reminders) for reminders in owed.values())
