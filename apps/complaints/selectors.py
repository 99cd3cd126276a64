"""Reads for complaints and their categories."""

from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from apps.complaints import geo
from apps.complaints.models import Category, Complaint, ComplaintEvent, Photo, ReplyTemplate
from apps.complaints.tokens import token_matches
from apps.municipalities.models import Municipality


def category_list(*, municipality: Municipality) -> QuerySet[Category]:
    return municipality.categories.filter(is_active=True).select_related("department").order_by("name_ko")


OPEN_STATUSES = (
    Complaint.Status.RECEIVED,
    Complaint.Status.ACCEPTED,
    Complaint.Status.TRANSFERRED,
    Complaint.Status.REOPENED,
)


def complaint_is_open(complaint: Complaint) -> bool:
    # A case sent to an outside agency has left the city: closed here.
    return complaint.status in OPEN_STATUSES and not complaint.transferred_to_agency


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


def complaint_list_similar_open(
    *, category: Category, latitude: float, longitude: float
) -> list[tuple[Complaint, float]]:
    """Open cases of the same category within 50 m from the last 14 days, nearest first: what a
    resident about to file may want to follow instead."""
    since = timezone.now() - timedelta(days=SIMILAR_WINDOW_DAYS)
    candidates = Complaint.objects.filter(
        category=category, status__in=OPEN_STATUSES, transferred_to_agency="", received_at__gte=since
    ).exclude(latitude__isnull=True)
    return geo.within(candidates, latitude, longitude, SIMILAR_RADIUS_M)


def complaint_get_for_reporter(*, municipality: Municipality, number: str, token: str) -> Complaint | None:
    """The case, only for whoever holds its tracking token; None alike for a wrong number or token."""
    case = (
        Complaint.objects.filter(municipality=municipality, number=number)
        .select_related("category", "department")
        .prefetch_related(Prefetch("events", queryset=ComplaintEvent.objects.filter(is_public=True)))
        .first()
    )
    return case if case is not None and token_matches(case.tracking_token_hash, token) else None


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
    return complaint_list_for_staff(user=user).filter(pk=pk).prefetch_related("events__actor", "photos").first()


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
