"""A case's life: filed (with the answers to its category's questions and the reporter's contact
consent), accepted, answered, transferred, reopened, rated; every change under the row lock, with
the public timeline line and the notifications it owes the reporter."""

import contextlib
import functools
import logging
import math
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Field, Model
from django.db.models.signals import post_save, pre_save
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from apps.common.photos import PhotoError, photo_clean
from apps.common.text import has_forbidden_characters
from apps.common.tokens import token_hash, token_new
from apps.complaints.deadlines import add_working_days
from apps.complaints.models import (
    ApiClient,
    Category,
    CategoryQuestion,
    Complaint,
    ComplaintEvent,
    ComplaintSequence,
    ContactAccess,
    Notification,
    Photo,
)
from apps.complaints.photos import MAX_PHOTOS
from apps.municipalities.models import Department
from apps.municipalities.selectors import dong_in_text, dong_list

logger = logging.getLogger(__name__)

DESCRIPTION_MAX_LENGTH = 4000
AGENCY_MAX_LENGTH = Complaint._meta.get_field("transferred_to_agency").max_length
REOPEN_WINDOW = timedelta(days=14)
Status = Complaint.Status

# Where a case may go from each status. Staff act only on open cases (OPEN_STATUSES); answered and
# closed cases can only be reopened (by the reporter); duplicates and cases sent to an outside agency
# are finished here.
_FROM_OPEN = {
    Status.ACCEPTED,
    Status.ANSWERED,
    Status.CLOSED_UNFIXED,
    Status.TRANSFERRED,
    Status.TRANSFERRED_OUT,
    Status.DUPLICATE,
}
TRANSITIONS: dict[str, set[str]] = {
    Status.RECEIVED: _FROM_OPEN,
    Status.ACCEPTED: _FROM_OPEN - {Status.ACCEPTED},
    Status.TRANSFERRED: _FROM_OPEN,
    Status.REOPENED: _FROM_OPEN,
    Status.ANSWERED: {Status.REOPENED},
    Status.CLOSED_UNFIXED: {Status.REOPENED},
    Status.TRANSFERRED_OUT: set(),
    Status.DUPLICATE: set(),
}
RATEABLE_STATUSES = frozenset({Status.ANSWERED, Status.CLOSED_UNFIXED})


def _record_public_event(**fields: object) -> ComplaintEvent:
    """A public line of the timeline and the notifications it owes the reporter (inside the caller's
    transaction: if the case change rolls back, so do they). Queued after commit; when the broker is
    down the periodic sweep sends them once it is back."""
    event = ComplaintEvent.objects.create(is_public=True, **fields)
    _notifications_queue(event)
    return event


def _notification_channels(case: Complaint) -> list[str]:
    """How the reporter asked to hear of their case: only with consent, by what they gave."""
    if not case.contact_consent_at:
        return []
    given = ((Notification.Channel.EMAIL, case.contact_email), (Notification.Channel.SMS, case.contact_phone))
    return [channel for channel, address in given if address]


def _notifications_queue(event: ComplaintEvent) -> None:
    """The notifications a public event owes the reporter, sent once the transaction commits."""
    for channel in _notification_channels(event.complaint):
        notification = Notification.objects.create(event=event, channel=channel)
        transaction.on_commit(partial(_queue_notification, notification.pk))


def _queue_notification(notification_id: int) -> None:
    from apps.complaints.tasks import send_notification

    try:
        send_notification.delay(notification_id)
    except Exception as error:  # noqa: BLE001 - the broker is down; send_pending_notifications will send it
        logger.warning("notification %s left for the periodic sweep: %s", notification_id, error)


class ComplaintError(ValidationError):
    """A request that would leave a case wrong; the message is for the person who made it."""


class ComplaintConflict(ComplaintError):
    """A change the case's current state does not allow (someone may have changed it first): a 409 to
    the admin and the APIs, where the other refusals are about what was sent."""


# Shown next to the consent box of the portal's own forms, and by the chatbot in its own words.
CONSENT_PURPOSE = _(
    "We collect your name and contact details only to tell you how your report is handled, "
    "and keep them for 3 years after it is closed."
)


@dataclass(frozen=True)
class Contact:
    """A reporter's contact details; `consented` is whether they agreed to the purpose they were shown."""

    name: str = ""
    phone: str = ""
    email: str = ""
    consented: bool = False


def _consent_purpose(client: ApiClient | None, language: str) -> str:
    """The purpose kept with a reporter's consent. One rule, decided here and never taken from a
    request: an API client's (Open311 or /api/v1, the chatbot's too) is the one the city registered
    for it, which is what that client shows residents, and a client registered with none keeps no
    contact details; the portal's own forms' is CONSENT_PURPOSE in the language the page was shown in."""
    if client is not None:
        return client.consent_purpose
    with translation.override(language):
        return str(CONSENT_PURPOSE)


# --- Answers to a category's questions (Open311 attributes) -----------------------------------

Datatype = CategoryQuestion.Datatype
ANSWER_MAX_LENGTH = {Datatype.STRING: 200, Datatype.TEXT: 1000}
ANSWER_NUMBER_MAX_LENGTH = 30
ANSWER_DATETIME_MAX_LENGTH = 40


def _unanswered(value: object) -> bool:
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


def _number(value: object) -> int | float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        if len(value) > ANSWER_NUMBER_MAX_LENGTH:
            return None
        try:
            value = float(value.strip())
        except ValueError:
            return None
    if not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    if not math.isfinite(number):
        return None
    return int(number) if number.is_integer() else number


def _moment(value: object) -> datetime | None:
    if not isinstance(value, str) or len(value) > ANSWER_DATETIME_MAX_LENGTH:
        return None
    try:
        return parse_datetime(value.strip())
    except ValueError:  # well-formed but impossible, e.g. month 13
        return None


def _answer_clean(question: CategoryQuestion, value: object) -> object:
    """One answer as stored, or a refusal that names the question in the reader's language."""
    named = {"question": question.description}
    if question.datatype == Datatype.NUMBER:
        number = _number(value)
        if number is None:
            raise ComplaintError(_("The answer to “%(question)s” must be a number.") % named, code="attributes_invalid")
        return number
    if question.datatype == Datatype.DATETIME:
        moment = _moment(value)
        if moment is None:
            raise ComplaintError(
                _("The answer to “%(question)s” must be a date and time, e.g. 2026-11-22T09:00.") % named,
                code="attributes_invalid",
            )
        return moment.isoformat()
    if question.datatype in (Datatype.SINGLE, Datatype.MULTI):
        keys = {choice["key"] for choice in question.values}
        chosen = [value] if isinstance(value, str) else value
        single = question.datatype == Datatype.SINGLE
        if (
            not isinstance(chosen, list)
            or not all(isinstance(key, str) and key in keys for key in chosen)
            or (single and len(chosen) != 1)
        ):
            raise ComplaintError(
                _("Choose among the answers offered to “%(question)s”.") % named, code="attributes_invalid"
            )
        chosen = list(dict.fromkeys(chosen))
        return chosen[0] if single else chosen
    if not isinstance(value, str):
        raise ComplaintError(_("The answer to “%(question)s” must be text.") % named, code="attributes_invalid")
    limit = ANSWER_MAX_LENGTH.get(question.datatype, ANSWER_MAX_LENGTH[Datatype.STRING])
    if len(value.strip()) > limit:
        raise ComplaintError(
            _("Please keep the answer to “%(question)s” under %(limit)s characters.") % {**named, "limit": limit},
            code="attributes_too_long",
        )
    return value.strip()


def _attributes_clean(category: Category, attributes: object) -> dict[str, object]:
    """The answers to the category's questions as stored: each required question answered, each
    answer of its question's type and size, choices among the question's keys, and no answer to a
    question the category does not ask. The web form, Open311 and the API all meet this check."""
    if attributes is None:
        return {}
    if not isinstance(attributes, dict):
        raise ComplaintError(_("Give the answers by question code."), code="attributes_invalid")
    questions = {question.code: question for question in category.questions.all()}
    unknown = [str(code) for code in attributes if code not in questions]
    if unknown:
        raise ComplaintError(
            _("This category asks no question “%(code)s”.") % {"code": unknown[0][:60]}, code="attributes_unknown"
        )
    cleaned = {}
    for code, question in questions.items():
        value = attributes.get(code)
        if _unanswered(value):
            if question.required:
                raise ComplaintError(
                    _("Please answer the question “%(question)s”.") % {"question": question.description},
                    code="attributes_missing",
                )
            continue
        cleaned[code] = _answer_clean(question, value)
    return cleaned


@dataclass(frozen=True)
class Submission:
    complaint: Complaint
    tracking_token: str  # shown to the reporter once; only its hash is stored


def _number_assign(complaint: Complaint, year: int) -> None:
    """SQLite: give the stored case the next number of its city and year. The filing has held the
    database's write lock since its transaction began, so no other filing can take a number meanwhile,
    and a filing that fails rolls its number back. (PostgreSQL takes the number in the statement that
    stores the case: see _complaint_store.)"""
    sequence = ComplaintSequence.objects.filter(municipality_id=complaint.municipality_id, year=year)
    if not sequence.update(last=F("last") + 1):  # the city's first case of the year
        ComplaintSequence.objects.create(municipality_id=complaint.municipality_id, year=year, last=1)
    complaint.number = f"{year}-{sequence.values_list('last', flat=True).get():06d}"
    Complaint.objects.filter(pk=complaint.pk).update(number=complaint.number)


def complaint_submit(
    *,
    category: Category,
    description: str,
    channel: str,
    language: str = "ko",
    latitude: float | None = None,
    longitude: float | None = None,
    address: str = "",
    attributes: dict | None = None,
    contact: Contact | None = None,
    dong: str = "",
    photo_uploads: Sequence[UploadedFile] = (),
    photo_ids: Sequence[str] = (),
    client: ApiClient | None = None,
) -> Submission:
    """File a new case: numbered, routed to the category's department, due in its working days.

    `client` is the API client filing it (Open311, the API, the chatbot); None for the portal's own
    forms. Photos come either as files (the web form) or as ids of photos the same API client
    uploaded before (the chatbot). Everything is checked before anything is written, and the case,
    its photos and its first notification are committed together or not at all.
    """
    description = (description or "").strip()
    if not description:
        raise ComplaintError(_("Please describe the problem."), code="description_missing")
    if len(description) > DESCRIPTION_MAX_LENGTH:
        raise ComplaintError(
            _("Please keep the description under %(limit)s characters.") % {"limit": DESCRIPTION_MAX_LENGTH},
            code="description_too_long",
        )
    # Control characters have no place in a report, and XML (the Open311 feed) cannot carry them.
    for about, value in (("description", description), ("location", address), ("attributes", attributes)):
        if has_forbidden_characters(value):
            raise ComplaintError(
                _("Please remove the invisible control characters from your text."), code=f"{about}_control_characters"
            )
    if not category.is_active:
        raise ComplaintError(_("This category no longer takes reports."), code="category_inactive")
    if (latitude is None) != (longitude is None):
        raise ComplaintError(_("A location needs both latitude and longitude."), code="location_partial")
    if latitude is not None and not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ComplaintError(_("That location is not on the map."), code="location_invalid")
    if category.needs_location and latitude is None and not address.strip():
        raise ComplaintError(_("Please mark where the problem is."), code="location_missing")
    if channel not in Complaint.Channel.values:
        raise ComplaintError(_("Unknown channel."), code="channel_invalid")
    municipality = category.municipality
    if dong and not dong_list(municipality=municipality).filter(name_ko=dong).exists():
        raise ComplaintError(_("Unknown dong %(dong)s.") % {"dong": dong}, code="dong_invalid")
    if not dong and address.strip():
        named = dong_in_text(municipality=municipality, text=address)
        dong = named.name_ko if named else ""
    if len(photo_uploads) + len(photo_ids) > MAX_PHOTOS:
        raise ComplaintError(_("Up to %(limit)s photos per report.") % {"limit": MAX_PHOTOS}, code="photo_count")
    try:
        cleaned_photos = [photo_clean(upload) for upload in photo_uploads]
    except PhotoError as error:
        raise ComplaintError(error.message, code=error.code) from None
    attributes = _attributes_clean(category, attributes)
    if contact is not None and not (contact.name or contact.phone or contact.email):
        contact = None
    if contact is not None and not contact.consented:
        raise ComplaintError(
            _("Contact details can be kept only with your consent to the purpose shown."), code="consent_missing"
        )
    consent_purpose = _consent_purpose(client, language) if contact is not None else ""
    if not consent_purpose:
        contact = None

    now = timezone.now()
    token = token_new()
    complaint = Complaint(
        municipality=municipality,
        tracking_token_hash=token_hash(token),
        category=category,
        department=category.department,
        description=description,
        latitude=latitude,
        longitude=longitude,
        address=address.strip(),
        attributes=attributes,
        channel=channel,
        language=language,
        contact_name=contact.name if contact else "",
        contact_phone=contact.phone if contact else "",
        contact_email=contact.email if contact else "",
        contact_consent_at=now if contact else None,
        contact_consent_purpose=consent_purpose,
        received_at=now,
        due_date=add_working_days(timezone.localdate(now), category.processing_days),
        dong=dong,
    )
    received = ComplaintEvent(
        complaint=complaint, kind=ComplaintEvent.Kind.STATUS, to_status=Status.RECEIVED, is_public=True
    )
    photos = [Photo(municipality=municipality, size=content.size) for content in cleaned_photos]
    # A case that brings nothing else is one statement on PostgreSQL, committed on its own: the city's
    # counter is locked inside the database for that statement only, never while Python runs.
    alone = connection.vendor == "postgresql" and not photos and not photo_ids and not _notification_channels(complaint)
    try:
        # Files first, outside the transaction: no filing waits for another's photos to be written.
        for photo, content in zip(photos, cleaned_photos, strict=True):
            photo.image.save(content.name, content, save=False)
        with contextlib.nullcontext() if alone else transaction.atomic():
            _complaint_store(complaint, received, timezone.localdate(now).year)
            _photos_attach(complaint, photo_ids, client)
            for photo in photos:
                photo.complaint = complaint
                photo.save()
            _notifications_queue(received)
    except BaseException:
        for photo in photos:  # the rows rolled back or were never written; their files must go too
            if photo.image:
                photo.image.delete(save=False)
        raise
    return Submission(complaint=complaint, tracking_token=token)


def _complaint_store(complaint: Complaint, received: ComplaintEvent, year: int) -> None:
    """Insert the new case, numbered next in its city and year, with the first line of its timeline.
    Numbers stay gap-free: a filing refused before this takes no number, one that fails after it
    within its transaction rolls it back."""
    if connection.vendor != "postgresql":
        complaint.number = f"{PROVISIONAL_NUMBER_PREFIX}{secrets.token_hex(6)}"  # unique until numbered
        complaint.save(force_insert=True)
        received.complaint = complaint
        received.save(force_insert=True)
        _number_assign(complaint, year)
        return
    db = connections[DEFAULT_DB_ALIAS]
    # Receivers hear of the case as Model.save() would tell them (the page cache renews the case
    # pages); its first timeline line is written with it and announced with it.
    pre_save.send(Complaint, instance=complaint, raw=False, using=db.alias, update_fields=None)
    params = [
        *_insert_params(complaint, db, number=[complaint.municipality_id, year]),
        *_insert_params(received, db, complaint=[]),
    ]
    with db.cursor() as cursor:
        cursor.execute(_filing_statement(), params)
        complaint.pk, complaint.number, received.pk = cursor.fetchone()
    received.complaint = complaint
    for instance in (complaint, received):
        instance._state.adding, instance._state.db = False, db.alias
    post_save.send(Complaint, instance=complaint, created=True, raw=False, using=db.alias, update_fields=None)


# Cases are inserted on SQLite under a provisional number, replaced before the transaction commits.
PROVISIONAL_NUMBER_PREFIX = "pending-"


@functools.cache
def _filing_statement() -> str:
    """PostgreSQL: one statement stores a case and the first line of its timeline, the case numbered by
    complaint_number_take() (migration 0011), which increments the city's counter row for the year;
    the row stays locked until the statement's transaction commits. Returns the case's id and number
    and the line's id."""
    case = _insert_sql(Complaint, number="complaint_number_take(%s, %s)")
    line = _insert_sql(ComplaintEvent, complaint="(SELECT id FROM filed)")
    return (
        f"WITH filed AS ({case} RETURNING id, number) {line} "  # noqa: S608 - see _insert_sql
        "RETURNING (SELECT id FROM filed), (SELECT number FROM filed), id"
    )


def _insert_fields(model: type[Model]) -> list[Field]:
    return [field for field in model._meta.local_concrete_fields if not field.primary_key]


def _insert_sql(model: type[Model], **computed: str) -> str:
    """`INSERT INTO <table> (<every column>) VALUES (%s, ...)`, with SQL of its own for the fields named."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in _insert_fields(model))
    values = ", ".join(computed.get(field.name, "%s") for field in _insert_fields(model))
    # Names from the model, values as parameters.
    return f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({values})"  # noqa: S608


def _insert_params(instance: Model, db: BaseDatabaseWrapper, **computed: list) -> list:
    """The parameters of _insert_sql for an unsaved instance: its values prepared as Model.save()
    prepares them, and those of the SQL given for the fields named."""
    params = []
    for field in _insert_fields(type(instance)):
        if field.name in computed:
            params.extend(computed[field.name])
        else:
            params.append(field.get_db_prep_save(field.pre_save(instance, add=True), db))
    return params


def _photos_attach(complaint: Complaint, photo_ids: Sequence[str], uploaded_by: ApiClient | None) -> None:
    if not photo_ids:
        return
    # One conditional update: a photo already taken by another case is not counted, so it cannot move.
    waiting = Photo.objects.filter(
        uuid__in=list(photo_ids), complaint__isnull=True, municipality=complaint.municipality
    )
    if uploaded_by is not None:
        waiting = waiting.filter(uploaded_by=uploaded_by)
    if waiting.update(complaint=complaint) != len(set(photo_ids)):
        raise ComplaintError(_("A photo was not found or belongs to another report."), code="photo_unknown")


def _locked(*cases: Complaint) -> list[Complaint]:
    """The cases re-read under a row lock (call inside a transaction), in the order given. Every rule
    of a change is checked on these rows, never on what the caller loaded earlier: two staff pressing
    buttons at once must not both win. Locked in primary key order, so two changes that lock the same
    two cases wait for each other instead of deadlocking."""
    rows = Complaint.objects.select_for_update().filter(pk__in=[case.pk for case in cases]).order_by("pk")
    by_pk = {row.pk: row for row in rows}
    return [by_pk[case.pk] for case in cases]


def _transition(
    complaint: Complaint,
    to_status: str,
    *,
    actor: AbstractBaseUser | None,
    message: str = "",
    check: Callable[[Complaint], None] | None = None,
    **changes: object,
) -> Complaint:
    """Move the case to `to_status` if TRANSITIONS allows it from its current status and `check`
    (the change's own rules) passes, both on the locked row."""
    with transaction.atomic():
        [locked] = _locked(complaint)
        if to_status not in TRANSITIONS[locked.status]:
            raise ComplaintConflict(
                _("A case that is %(current)s cannot become %(next)s.")
                % {"current": locked.get_status_display(), "next": Status(to_status).label},
                code="transition_invalid",
            )
        if check is not None:
            check(locked)
        from_status = locked.status
        locked.status = to_status
        for field, value in changes.items():
            setattr(locked, field, value)
        locked.save()
        _record_public_event(
            complaint=locked,
            kind=ComplaintEvent.Kind.STATUS,
            from_status=from_status,
            to_status=to_status,
            message=message,
            actor=actor,
        )
    return locked


def _required(text: str, message: str, code: str) -> str:
    if not (text or "").strip():
        raise ComplaintError(message, code=code)
    return text.strip()


def complaint_accept(*, complaint: Complaint, actor: AbstractBaseUser, message: str = "") -> Complaint:
    return _transition(complaint, Status.ACCEPTED, actor=actor, message=message)


def complaint_answer(*, complaint: Complaint, actor: AbstractBaseUser, message: str) -> Complaint:
    message = _required(message, _("An answer needs a reply to the reporter."), "answer_missing")
    return _transition(complaint, Status.ANSWERED, actor=actor, message=message, answered_at=timezone.now())


def complaint_close_unfixed(*, complaint: Complaint, actor: AbstractBaseUser, reason: str) -> Complaint:
    reason = _required(reason, _("Say why the problem cannot be fixed."), "reason_missing")
    return _transition(complaint, Status.CLOSED_UNFIXED, actor=actor, message=reason, answered_at=timezone.now())


def complaint_transfer(
    *,
    complaint: Complaint,
    actor: AbstractBaseUser,
    reason: str,
    department: Department | None = None,
    agency: str = "",
) -> Complaint:
    """이송: to another department of the city (the case stays open there) or to an outside agency
    (the case is finished here: the agency answers the reporter)."""
    reason = _required(reason, _("A transfer needs a reason."), "reason_missing")
    agency = agency.strip()
    if bool(department) == bool(agency):
        raise ComplaintError(_("Transfer to one department or one outside agency."), code="transfer_target")
    if len(agency) > AGENCY_MAX_LENGTH:
        raise ComplaintError(
            _("Please keep the agency's name under %(limit)s characters.") % {"limit": AGENCY_MAX_LENGTH},
            code="transfer_target",
        )
    if department is None:
        return _transition(complaint, Status.TRANSFERRED_OUT, actor=actor, message=reason, transferred_to_agency=agency)
    if department.municipality_id != complaint.municipality_id:
        raise ComplaintError(_("That department belongs to another city."), code="transfer_target")

    def elsewhere(locked: Complaint) -> None:
        if locked.department_id == department.pk:
            raise ComplaintError(_("The case is already with that department."), code="transfer_target")

    return _transition(
        complaint, Status.TRANSFERRED, actor=actor, message=reason, check=elsewhere, department=department
    )


def complaint_mark_duplicate(*, complaint: Complaint, actor: AbstractBaseUser, original: Complaint) -> Complaint:
    if original.pk == complaint.pk or original.municipality_id != complaint.municipality_id:
        raise ComplaintError(_("Choose another case of this city as the original."), code="duplicate_target")
    with transaction.atomic():
        # The original locked too: two cases marked as each other's duplicate at once cannot both win.
        original = _locked(complaint, original)[1]
        if original.status == Status.DUPLICATE:
            raise ComplaintError(
                _("The original is itself a duplicate; choose the case it duplicates."), code="duplicate_target"
            )
        # No stored message: readers see the original's number from duplicate_of, in their own language.
        return _transition(complaint, Status.DUPLICATE, actor=actor, duplicate_of=original)


def complaint_reopen(*, complaint: Complaint, reason: str) -> Complaint:
    """The reporter is not satisfied with the answer; allowed for 14 days after it."""
    reason = _required(reason, _("Tell us why the case should be reopened."), "reason_missing")

    def in_time(locked: Complaint) -> None:
        if locked.answered_at and timezone.now() - locked.answered_at > REOPEN_WINDOW:
            raise ComplaintConflict(
                _("A case can be reopened within 14 days of its answer; please file a new report."),
                code="reopen_late",
            )

    return _transition(complaint, Status.REOPENED, actor=None, message=reason, check=in_time, answered_at=None)


def complaint_add_note(*, complaint: Complaint, actor: AbstractBaseUser, message: str) -> ComplaintEvent:
    message = _required(message, _("A note cannot be empty."), "note_missing")
    return ComplaintEvent.objects.create(
        complaint=complaint, kind=ComplaintEvent.Kind.NOTE, message=message, is_public=False, actor=actor
    )


def complaint_extend_deadline(
    *, complaint: Complaint, actor: AbstractBaseUser, working_days: int, reason: str
) -> Complaint:
    reason = _required(reason, _("An extension needs a reason the reporter will see."), "reason_missing")
    if working_days < 1:
        raise ComplaintError(_("Extend by at least one working day."), code="extension_invalid")
    with transaction.atomic():
        [locked] = _locked(complaint)
        if not locked.is_open:
            raise ComplaintConflict(_("Only an open case can be given more time."), code="extension_closed")
        # The extension starts the working day after the current deadline.
        locked.due_date = add_working_days(locked.due_date + timedelta(days=1), working_days)
        locked.save(update_fields=["due_date"])
        _record_public_event(complaint=locked, kind=ComplaintEvent.Kind.DEADLINE, message=reason, actor=actor)
    return locked


def complaint_rate(*, complaint: Complaint, rating: int, comment: str = "") -> Complaint:
    """The reporter's rating (1-5) of the answer they got; rating again replaces it."""
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ComplaintError(_("Choose a rating from 1 to 5."), code="rating_invalid")
    comment = (comment or "").strip()
    if len(comment) > 1000:
        raise ComplaintError(_("Please keep the comment under 1000 characters."), code="rating_invalid")
    with transaction.atomic():
        [locked] = _locked(complaint)
        if locked.status not in RATEABLE_STATUSES:
            raise ComplaintConflict(_("A case can be rated once it has been answered."), code="rating_early")
        locked.rating, locked.rating_comment, locked.rated_at = rating, comment, timezone.now()
        locked.save(update_fields=["rating", "rating_comment", "rated_at"])
        # Staff see the rating in the timeline; it is the reporter's own, so nobody is notified.
        ComplaintEvent.objects.create(
            complaint=locked, kind=ComplaintEvent.Kind.RATING, message=f"{rating}/5 {comment}".strip()
        )
    return locked


def contact_access_record(
    *, complaint: Complaint, user: AbstractBaseUser, route: str, ip_address: str | None = None
) -> ContactAccess:
    """Log that a staff member was shown this reporter's contact details."""
    return ContactAccess.objects.create(complaint=complaint, user=user, route=route, ip_address=ip_address)
