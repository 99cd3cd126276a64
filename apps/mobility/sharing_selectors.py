"""Reads for resident-priority sharing; what the holder and the public see is masked."""

from apps.common.masking import mask_personal_data
from apps.common.tokens import token_hash

from .models import ResidentSpace, SharingBooking


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
        "fee": booking.fee,
        "driver_name": booking.driver_name[:1] + "*" * max(len(booking.driver_name) - 1, 0),
        "driver_phone": mask_personal_data(booking.driver_phone),
        "licence_plate": mask_personal_data(booking.licence_plate),
    }
