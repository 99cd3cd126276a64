"""Writes for complaints and their categories. Every change of a case goes through one of these
functions, whichever door it came in by: the web form, the admin, the API, the bot or Celery.

Callers use this package (`services.complaint_submit(...)`); the modules hold the parts: reference
(the city's category tables), cases (a case's whole life), reminders, photos, api_clients."""

from apps.complaints.services.api_clients import api_client_create, api_client_ensure, api_client_for_key
from apps.complaints.services.cases import (
    CONSENT_PURPOSE,
    DESCRIPTION_MAX_LENGTH,
    REOPEN_WINDOW,
    TRANSITIONS,
    ComplaintConflict,
    ComplaintError,
    Contact,
    Status,
    Submission,
    complaint_accept,
    complaint_add_note,
    complaint_answer,
    complaint_close_unfixed,
    complaint_extend_deadline,
    complaint_mark_duplicate,
    complaint_rate,
    complaint_reopen,
    complaint_submit,
    complaint_transfer,
    contact_access_record,
)
from apps.complaints.services.photos import photo_upload, photos_delete_unattached
from apps.complaints.services.reference import categories_sync, category_questions_sync
from apps.complaints.services.reminders import deadline_reminders_send

__all__ = [
    "CONSENT_PURPOSE",
    "DESCRIPTION_MAX_LENGTH",
    "REOPEN_WINDOW",
    "TRANSITIONS",
    "ComplaintConflict",
    "ComplaintError",
    "Contact",
    "Status",
    "Submission",
    "api_client_create",
    "api_client_ensure",
    "api_client_for_key",
    "categories_sync",
    "category_questions_sync",
    "complaint_accept",
    "complaint_add_note",
    "complaint_answer",
    "complaint_close_unfixed",
    "complaint_extend_deadline",
    "complaint_mark_duplicate",
    "complaint_rate",
    "complaint_reopen",
    "complaint_submit",
    "complaint_transfer",
    "contact_access_record",
    "deadline_reminders_send",
    "photo_upload",
    "photos_delete_unattached",
]
