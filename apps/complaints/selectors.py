"""Reads for complaints and their categories."""

from datetime import timedelta

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from apps.complaints import geo
from apps.complaints.models import Category, Complaint, ComplaintEvent
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
