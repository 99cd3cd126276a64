"""Reads for complaints and their categories."""

import hmac
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.db.models import Avg, Case, Count, F, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.common.language import pick_language
from apps.common.masking import mask_personal_data
from apps.common.tokens import link_code, token_matches
from apps.complaints.deadlines import add_working_days
from apps.complaints.models import (
    OPEN_STATUSES,
    Category,
    CategoryQuestion,
    Complaint,
    ComplaintEvent,
    Notification,
    Photo,
    ReplyTemplate,
)
from apps.municipalities.models import Department, Municipality
from apps.places import spatial


def category_list(*, municipality: Municipality) -> QuerySet[Category]:
    return municipality.categories.filter(is_active=True).select_related("department").order_by("name_ko")


def complaint_list_public(*, municipality: Municipality) -> QuerySet[Complaint]:
    """Cases anyone may see: those of categories the city publishes."""
    return (
        Complaint.objects.filter(municipality=municipality, category__public_by_default=True)
        .select_related("category", "department")
        .prefetch_related(Prefetch("events", queryset=ComplaintEvent.objects.filter(is_public=True)))
    )


def complaint_latest_public_message(complaint: Complaint) -> str:
    """The newest public reply or reason; expects the public events prefetched."""
    messages = [event.message for event in complaint.events.all() if event.is_public and event.message]
    return messages[-1] if messages else ""


SIMILAR_RADIUS_M = 50
SIMILAR_WINDOW_DAYS = 14
# Public distances are rounded up to this step: exact ones from three points locate a case to the metre.
PUBLIC_DISTANCE_STEP_M = 50


def public_distance_m(distance: float) -> int:
    """A distance as anyone may see it: rounded up to the next 50 m ("within 50 m")."""
    return max(1, math.ceil(distance / PUBLIC_DISTANCE_STEP_M)) * PUBLIC_DISTANCE_STEP_M


def complaint_list_similar_public(
    *, category: Category, latitude: float, longitude: float
) -> list[tuple[Complaint, int]]:
    """Open cases of the same category within 50 m from the last 14 days, with their public distance,
    nearest step first and newest first within it (the exact order would be a finer distance): what a
    resident about to file may want to follow instead. Only for categories the city publishes; none
    for the others, whose cases (illegal parking at someone's door) nobody else may locate."""
    if not category.public_by_default:
        return []
    since = timezone.now() - timedelta(days=SIMILAR_WINDOW_DAYS)
    candidates = Complaint.objects.filter(category=category, status__in=OPEN_STATUSES, received_at__gte=since).exclude(
        latitude__isnull=True
    )
    found = [
        (case, public_distance_m(distance))
        for case, distance in spatial.within(candidates, latitude, longitude, SIMILAR_RADIUS_M)
    ]
    return sorted(found, key=lambda pair: (pair[1], -pair[0].received_at.timestamp(), -pair[0].pk))


SIMILAR_IN_DONG_LIMIT = 5


def complaint_list_similar_public_in_dong(*, category: Category, dong: str) -> list[Complaint]:
    """Open cases of the same category in the same 행정동 from the last 14 days, newest first: the
    nearby check for a resident who typed an address instead of placing a pin. Coarser than 50 m, and
    blind to cases filed with a pin and no address (they have no dong). Published categories only."""
    if not category.public_by_default:
        return []
    since = timezone.now() - timedelta(days=SIMILAR_WINDOW_DAYS)
    return list(
        Complaint.objects.filter(
            category=category, dong=dong, status__in=OPEN_STATUSES, received_at__gte=since
        ).order_by("-received_at", "-pk")[:SIMILAR_IN_DONG_LIMIT]
    )


def _reporter_case(*, municipality: Municipality, number: str) -> Complaint | None:
    return (
        Complaint.objects.filter(municipality=municipality, number=number)
        .select_related("category", "department")
        .prefetch_related(Prefetch("events", queryset=ComplaintEvent.objects.filter(is_public=True)))
        .first()
    )


def tracking_link_code(case: Complaint) -> str:
    """What the case's notifications put in their link instead of the tracking token, which only
    the reporter's receipt ever shows. Bound to the token's hash, so it opens this case alone."""
    return link_code(f"{case.municipality_id}:{case.number}:{case.tracking_token_hash}")


def complaint_get_for_reporter(*, municipality: Municipality, number: str, token: str) -> Complaint | None:
    """The case, only for whoever holds its tracking token or the code of its notifications' link;
    None alike for a wrong number or token."""
    case = _reporter_case(municipality=municipality, number=number)
    if case is None:
        return None
    opens = token_matches(case.tracking_token_hash, token) or hmac.compare_digest(
        tracking_link_code(case).encode(), (token or "").encode()
    )
    return case if opens else None


PHONE_DIGITS_CHECKED = 4


def phone_last_digits(phone: str) -> str:
    digits = re.sub(r"[^0-9]", "", phone or "")
    return digits[-PHONE_DIGITS_CHECKED:] if len(digits) >= PHONE_DIGITS_CHECKED else ""


def complaint_get_for_phone_digits(*, municipality: Municipality, number: str, last_digits: str) -> Complaint | None:
    """The case, only when the last four digits of the phone left with it match; None alike for a
    wrong number, wrong digits or a case filed without a phone. Callers must limit the tries: four
    digits are guessed in at most 10,000."""
    case = _reporter_case(municipality=municipality, number=number)
    stored = phone_last_digits(case.contact_phone) if case is not None else ""
    given = last_digits if re.fullmatch(f"[0-9]{{{PHONE_DIGITS_CHECKED}}}", last_digits or "") else ""
    # Compared in constant time, and an empty side never matches.
    matches = hmac.compare_digest(stored.encode(), given.encode()) and bool(stored)
    return case if matches else None


# --- Staff ------------------------------------------------------------------------------------


def staff_sees_all(user: AbstractBaseUser) -> bool:
    return user.is_active and (user.is_superuser or user.has_perm("complaints.view_all_complaints"))


def complaint_list_for_staff(*, user: AbstractBaseUser) -> QuerySet[Complaint]:
    """The cases a staff member may open: their departments' cases, or every case for the city-wide
    role. Every staff route (admin, export, API) starts from this query, so isolation holds in the
    data, not only in the menu."""
    cases = Complaint.objects.select_related("category", "department", "municipality")
    if not user.is_authenticated or not user.is_active:
        return cases.none()
    if staff_sees_all(user):
        return cases
    return cases.filter(department__staff=user)


def complaint_get_for_staff(*, user: AbstractBaseUser, pk: int) -> Complaint | None:
    """One case to act on; the case page's fuller query is complaint_get_for_staff_page."""
    return complaint_list_for_staff(user=user).filter(pk=pk).first()


def staff_can_see_contact(user: AbstractBaseUser) -> bool:
    return user.is_active and (user.is_superuser or user.has_perm("complaints.view_complaint_contact"))


def reply_template_list(*, complaint: Complaint) -> QuerySet[ReplyTemplate]:
    """The department's own templates and the city's shared ones."""
    return ReplyTemplate.objects.filter(municipality=complaint.municipality).filter(
        department__isnull=True
    ) | ReplyTemplate.objects.filter(municipality=complaint.municipality, department=complaint.department)


# --- Photos -----------------------------------------------------------------------------------


def photo_is_public(photo: Photo) -> bool:
    """Photos of published categories are public, like their case; other photos are not."""
    return photo.complaint_id is not None and photo.complaint.category.public_by_default


# --- Staff inbox ------------------------------------------------------------------------------

DUE_SOON_WORKING_DAYS = 2
MAP_MARKER_LIMIT = 2000
DASHBOARD_DAYS = 30


class Deadline(models.TextChoices):
    OVERDUE = "overdue", _("Overdue")
    DUE_SOON = "due_soon", _("Due soon")


@dataclass(frozen=True)
class CaseFilter:
    """What a staff member narrowed the inbox to; the map, the export and the staff API share it."""

    status: str = ""
    category: Category | None = None
    department: Department | None = None
    dong: str = ""
    overdue: bool = False
    due_soon: bool = False
    received_from: date | None = None
    received_to: date | None = None
    search: str = ""


def _open_q() -> Q:
    # The same rule as Complaint.is_open, in SQL.
    return Q(status__in=OPEN_STATUSES)


def _start_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def due_soon_last_day(today: date) -> date:
    """The last due date that counts as due soon: due today or within the next two working days."""
    return add_working_days(today + timedelta(days=1), DUE_SOON_WORKING_DAYS)


def _with_deadline(cases: QuerySet[Complaint], today: date) -> QuerySet[Complaint]:
    """Each case's deadline standing, worked out in the query so a page of rows costs no extra ones."""
    return cases.annotate(
        deadline=Case(
            When(_open_q() & Q(due_date__lt=today), then=Value(Deadline.OVERDUE)),
            When(_open_q() & Q(due_date__lte=due_soon_last_day(today)), then=Value(Deadline.DUE_SOON)),
            default=Value(""),
            output_field=models.CharField(),
        )
    )


def complaint_list_filtered(*, user: AbstractBaseUser, filters: CaseFilter, today: date) -> QuerySet[Complaint]:
    """The staff member's cases narrowed by the inbox filters, newest first.

    Dates are compared as ranges on the stored timestamp (not on a date cast of it) so an index on
    received_at can serve them.
    """
    cases = complaint_list_for_staff(user=user)
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.category:
        cases = cases.filter(category=filters.category)
    if filters.department:
        cases = cases.filter(department=filters.department)
    if filters.dong:
        cases = cases.filter(dong=filters.dong)
    # Both ticked means both kinds: everything that needs answering within two working days.
    deadline = Q()
    if filters.overdue:
        deadline |= Q(due_date__lt=today)
    if filters.due_soon:
        deadline |= Q(due_date__gte=today, due_date__lte=due_soon_last_day(today))
    if deadline:
        cases = cases.filter(_open_q(), deadline)
    if filters.received_from:
        cases = cases.filter(received_at__gte=_start_of_day(filters.received_from))
    if filters.received_to:
        cases = cases.filter(received_at__lt=_start_of_day(filters.received_to + timedelta(days=1)))
    if filters.search:
        cases = cases.filter(Q(number__icontains=filters.search) | Q(description__icontains=filters.search))
    return _with_deadline(cases, today).order_by("-received_at", "-pk")


def complaint_get_for_staff_page(*, user: AbstractBaseUser, pk: int, today: date) -> Complaint | None:
    """One case with everything its admin page shows: timeline with who did what, photos, the original
    of a duplicate."""
    cases = complaint_list_for_staff(user=user).filter(pk=pk).select_related("duplicate_of")
    return _with_deadline(cases, today).prefetch_related("events__actor", "photos").first()


def complaint_find_for_staff(*, user: AbstractBaseUser, municipality: Municipality, number: str) -> Complaint | None:
    """A case of the city by its number, only if this staff member may see it."""
    return complaint_list_for_staff(user=user).filter(municipality=municipality, number=number.strip()).first()


def staff_municipalities(user: AbstractBaseUser) -> QuerySet[Municipality]:
    """The cities whose categories and dongs a staff member filters by."""
    if staff_sees_all(user):
        return Municipality.objects.all()
    return Municipality.objects.filter(departments__staff=user).distinct()


def complaint_has_contact(complaint: Complaint) -> bool:
    return bool(complaint.contact_name or complaint.contact_phone or complaint.contact_email)


def staff_case_actions(complaint: Complaint) -> frozenset[str]:
    """The statuses staff may move this case to (reopening is the reporter's); none once it has left
    the city for an outside agency."""
    from apps.complaints.services import TRANSITIONS

    if not complaint.is_open:
        return frozenset()
    return frozenset(TRANSITIONS[complaint.status] - {Complaint.Status.REOPENED})


def complaint_batches(cases: QuerySet[Complaint], size: int = 2000) -> Iterator[list[Complaint]]:
    """The cases in batches, newest first, each one short query (keyset on the primary key): a large
    export never holds all rows, nor a database cursor open between batches."""
    cases = cases.order_by("-pk")
    last_pk = None
    while True:
        batch = list((cases if last_pk is None else cases.filter(pk__lt=last_pk))[:size])
        if not batch:
            return
        yield batch
        last_pk = batch[-1].pk


@dataclass(frozen=True)
class MapMarkers:
    markers: list[dict]
    located: int  # cases with a location; more than len(markers) when the limit cut them


def complaint_map_markers(cases: QuerySet[Complaint], limit: int = MAP_MARKER_LIMIT) -> MapMarkers:
    located = cases.filter(latitude__isnull=False, longitude__isnull=False)
    markers = list(located.values("pk", "number", "status", "latitude", "longitude", "deadline")[:limit])
    return MapMarkers(markers=markers, located=located.count() if len(markers) == limit else len(markers))


@dataclass(frozen=True)
class DepartmentStats:
    name: str
    received: int
    open: int
    overdue: int
    answered: int
    answered_on_time: int
    average_rating: float | None

    @property
    def on_time_percent(self) -> int | None:
        return round(100 * self.answered_on_time / self.answered) if self.answered else None


def _stats_aggregates(today: date) -> dict:
    finished = Q(status__in=[Complaint.Status.ANSWERED, Complaint.Status.CLOSED_UNFIXED])
    return {
        "received": Count("pk"),
        "open": Count("pk", filter=_open_q()),
        "overdue": Count("pk", filter=_open_q() & Q(due_date__lt=today)),
        "answered": Count("pk", filter=finished),
        "answered_on_time": Count("pk", filter=finished & Q(answered_at__date__lte=F("due_date"))),
        "average_rating": Avg("rating"),
    }


def department_stats_for_staff(
    *, user: AbstractBaseUser, today: date, days: int = DASHBOARD_DAYS
) -> tuple[list[DepartmentStats], DepartmentStats]:
    """Per department the staff member can see, and in total: the cases received in the last `days`
    days and how they stand. Two aggregate queries, whatever the number of cases."""
    cases = complaint_list_for_staff(user=user).filter(received_at__gte=_start_of_day(today - timedelta(days=days)))
    aggregates = _stats_aggregates(today)
    rows = (
        cases.values("department_id", "department__name_ko", "department__name_en")
        .annotate(**aggregates)
        .order_by("department__name_ko", "department_id")
    )
    departments = [
        DepartmentStats(
            name=pick_language(row.pop("department__name_ko"), row.pop("department__name_en")),
            **{key: value for key, value in row.items() if key != "department_id"},
        )
        for row in rows
    ]
    total = DepartmentStats(name=str(_("Total")), **cases.aggregate(**aggregates))
    return departments, total


UNDELIVERED_AFTER = timedelta(minutes=10)


def notification_list_undelivered_for_staff(*, user: AbstractBaseUser, now: datetime) -> QuerySet[Notification]:
    """Messages owed to reporters of the cases this staff member sees that have not gone out: failed,
    waiting longer than the sweep takes, or held by a worker past its lease. Staff can then phone."""
    lease = timedelta(seconds=settings.NOTIFICATION_SEND_LEASE_SECONDS)
    return (
        Notification.objects.filter(event__complaint__in=complaint_list_for_staff(user=user))
        .filter(
            Q(state=Notification.State.FAILED)
            | Q(state=Notification.State.PENDING, created_at__lt=now - UNDELIVERED_AFTER)
            | Q(state=Notification.State.SENDING, claimed_at__lt=now - lease)
        )
        .select_related("event__complaint")
        .order_by("created_at", "pk")
    )


def reply_template_list_for_staff(*, user: AbstractBaseUser) -> QuerySet[ReplyTemplate]:
    """The templates a staff member manages: their departments' own; every template for the city-wide
    role, who also keeps the shared ones."""
    templates = ReplyTemplate.objects.select_related("municipality", "department")
    if staff_sees_all(user):
        return templates
    return templates.filter(department__staff=user)


# --- Resident pages ---------------------------------------------------------------------------

# Three decimals of a degree are about 100 m: enough to find the problem, too coarse to find a home.
PUBLIC_COORDINATE_DECIMALS = 3


def category_question_list(*, municipality: Municipality) -> QuerySet[CategoryQuestion]:
    """The extra questions of the city's active categories, for the report form."""
    return CategoryQuestion.objects.filter(category__municipality=municipality, category__is_active=True).order_by(
        "category__name_ko", "order", "pk"
    )


def complaint_list_public_filtered(
    *, municipality: Municipality, category_code: str = "", status: str = ""
) -> QuerySet[Complaint]:
    cases = complaint_list_public(municipality=municipality)
    if category_code:
        cases = cases.filter(category__code=category_code)
    if status:
        cases = cases.filter(status=status)
    return cases.order_by("-received_at", "-pk")


def complaint_get_public(*, municipality: Municipality, number: str) -> Complaint | None:
    return (
        complaint_list_public(municipality=municipality)
        .filter(number=number)
        .select_related("duplicate_of__category")
        .prefetch_related("photos")
        .first()
    )


def public_point(latitude: float | None, longitude: float | None) -> tuple[float, float] | None:
    """A location as public pages may show it, rounded to about 100 m."""
    if latitude is None or longitude is None:
        return None
    return round(latitude, PUBLIC_COORDINATE_DECIMALS), round(longitude, PUBLIC_COORDINATE_DECIMALS)


@dataclass(frozen=True)
class TimelineEntry:
    kind: str
    status: str
    status_label: str
    message: str
    at: datetime


@dataclass(frozen=True)
class PublicCase:
    """What anyone may see of a case: no contact details, no address, the text masked and the
    location rounded. Public pages get this, never the case itself, so nothing else can leak."""

    number: str
    category: str
    department: str
    status: str
    status_label: str
    received_at: datetime
    due_date: date
    deadline_extended: bool
    dong: str
    description: str
    point: tuple[float, float] | None
    timeline: list[TimelineEntry]
    photo_uuids: list[str]
    duplicate_of: str  # the original's number, when it is public too
    transferred_to_agency: str


def complaint_timeline(complaint: Complaint, *, masked: bool = True) -> list[TimelineEntry]:
    """The public lines of a case's history; expects the public events prefetched. Masked for public
    pages; the reporter's own page shows them whole (a department's phone number is for them)."""
    return [
        TimelineEntry(
            kind=event.kind,
            status=event.to_status,
            status_label=Complaint.Status(event.to_status).label if event.to_status else "",
            message=mask_personal_data(event.message) if masked else event.message,
            at=event.created_at,
        )
        for event in complaint.events.all()
        if event.is_public
    ]


def complaint_deadline_extended(complaint: Complaint) -> bool:
    return any(event.kind == ComplaintEvent.Kind.DEADLINE for event in complaint.events.all() if event.is_public)


def complaint_latest_answer(complaint: Complaint) -> ComplaintEvent | None:
    """The newest answer or reason for closing; expects the public events prefetched."""
    answers = [
        event
        for event in complaint.events.all()
        if event.is_public and event.to_status in (Complaint.Status.ANSWERED, Complaint.Status.CLOSED_UNFIXED)
    ]
    return answers[-1] if answers else None


def public_cases(
    complaints: list[Complaint], *, municipality: Municipality, detailed: bool = False
) -> list[PublicCase]:
    """Cases of complaint_list_public as the public sees them; detailed adds photos and the original
    of a duplicate (the detail page prefetches them)."""
    dong_names = {dong.name_ko: dong.name for dong in municipality.dongs.all()}
    return [
        PublicCase(
            number=case.number,
            category=case.category.name,
            department=case.department.name,
            status=case.status,
            status_label=case.get_status_display(),
            received_at=case.received_at,
            due_date=case.due_date,
            deadline_extended=complaint_deadline_extended(case),
            dong=dong_names.get(case.dong, case.dong),
            description=mask_personal_data(case.description),
            point=public_point(case.latitude, case.longitude),
            timeline=complaint_timeline(case),
            photo_uuids=[str(p.uuid) for p in case.photos.all() if photo_is_public(p)] if detailed else [],
            duplicate_of=_public_original(case) if detailed else "",
            transferred_to_agency=case.transferred_to_agency,
        )
        for case in complaints
    ]


def _public_original(complaint: Complaint) -> str:
    original = complaint.duplicate_of
    return original.number if original and original.category.public_by_default else ""
