"""Reads for complaints and their categories."""

from django.db.models import Prefetch, QuerySet

from apps.complaints.models import Category, Complaint, ComplaintEvent
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
