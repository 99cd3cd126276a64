"""Reads for resident-priority sharing; what the holder and the public see is masked."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from apps.common.masking import mask_personal_data
from apps.common.tokens import token_hash
from apps.municipalities.models import Municipality
from apps.places import spatial
from apps.places.models import Place

from .models import ResidentSpace, SharingBooking, SharingSlot


def resident_space_by_token(token: str) -> ResidentSpace | None:
    """The space a management link opens; None for a wrong or empty token (the view answers 404)."""
    if not token:
        return None
    return ResidentSpace.objects.filter(management_token_hash=token_hash(token)).select_related("place").first()


def booking_by_token(token: str) -> SharingBooking | None:
    if not token:
        return None
    return SharingBooking.objects.filter(tracking_token_hash=token_hash(token)).select_related("space").first()


def booking_masked(booking: SharingBooking) -> dict:
    """A booking as the holder sees it: who is coming, without the plate's or phone's digits."""
    return {
        "starts_at": booking.starts_at,
        "ends_at": booking.ends_at,
        "status": booking.status,
        "status_label": booking.get_status_display(),
        "fee": booking.fee,
        "driver_name": booking.driver_name[:1] + "*" * max(len(booking.driver_name) - 1, 0),
        "driver_phone": mask_personal_data(booking.driver_phone),
        "licence_plate": mask_personal_data(booking.licence_plate),
    }


@dataclass(frozen=True)
class FreePeriod:
    """A stretch of an offered time that no requested or approved booking holds."""

    space: ResidentSpace
    starts_at: datetime
    ends_at: datetime
    distance_m: float | None = None


def _free_parts(slot: SharingSlot, held: list[tuple[datetime, datetime]], since: datetime) -> list[tuple]:
    parts, cursor = [], max(slot.starts_at, since)
    for held_start, held_end in sorted(held):
        if held_start > cursor:
            parts.append((cursor, min(held_start, slot.ends_at)))
        cursor = max(cursor, held_end)
    if cursor < slot.ends_at:
        parts.append((cursor, slot.ends_at))
    return [(start, end) for start, end in parts if end > start]


def free_periods(
    municipality: Municipality,
    *,
    near: tuple[float, float] | None = None,
    radius_m: float = 3000,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    now: datetime | None = None,
) -> list[FreePeriod]:
    """The city's offered times still free from now on, nearest first with `near` (else by time);
    with a time asked, only the periods that hold it whole. Neither party's details are in it."""
    now = now or timezone.now()
    slots = SharingSlot.objects.filter(
        space__municipality=municipality, withdrawn_at__isnull=True, ends_at__gt=now
    ).select_related("space__place")
    distances: dict[int, float] = {}
    if near:
        places = Place.objects.filter(resident_spaces__municipality=municipality).distinct()
        distances = {place.pk: distance for place, distance in spatial.within(places, *near, radius_m)}
        slots = slots.filter(space__place_id__in=distances)
    slots = list(slots)
    held: dict[int, list[tuple[datetime, datetime]]] = {}
    for start, end, slot_id in SharingBooking.objects.filter(
        slot__in=slots, status__in=SharingBooking.HOLDING
    ).values_list("starts_at", "ends_at", "slot_id"):
        held.setdefault(slot_id, []).append((start, end))
    # A request starts on the hour or half hour: the next one from now on.
    bookable_from = now + (-(now - now.replace(minute=0, second=0, microsecond=0)) % timedelta(minutes=30))
    periods = [
        FreePeriod(slot.space, start, end, distances.get(slot.space.place_id))
        for slot in slots
        for start, end in _free_parts(slot, held.get(slot.pk, []), bookable_from)
        if starts_at is None or (start <= starts_at and ends_at <= end)
    ]
    return sorted(periods, key=lambda period: (period.distance_m or 0, period.starts_at, period.space.zone_name))


def space_slots(space: ResidentSpace, *, now: datetime | None = None) -> list[SharingSlot]:
    """The times a holder still offers (not withdrawn, not over)."""
    return list(space.slots.filter(withdrawn_at__isnull=True, ends_at__gt=now or timezone.now()))


def space_bookings_masked(space: ResidentSpace) -> list[dict]:
    """Every booking of the space, newest time first, drivers masked, with its id for the actions."""
    holding, requested = SharingBooking.HOLDING, SharingBooking.Status.REQUESTED
    return [
        booking_masked(booking)
        | {"id": booking.pk, "can_decide": booking.status == requested, "can_cancel": booking.status in holding}
        for booking in space.bookings.order_by("-starts_at")
    ]
