"""Resident-priority sharing (거주자우선주차 공유): every state change of a space's offered times and
bookings, one function each. Each takes the space's row lock first (select_for_update), so two
requests for the same time are checked one after the other and exactly one wins."""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.common.tokens import token_hash, token_new
from apps.municipalities.models import Municipality
from apps.places.models import Place

from .models import ResidentSpace, SharingBooking, SharingSlot

GRANULARITY = timedelta(minutes=30)
OFFER_HORIZON = timedelta(days=30)
RETENTION = timedelta(days=30)
CONSENT_PURPOSE = _(
    "Your name, phone and licence plate are used only to arrange this parking booking with the space's "
    "permit holder and are deleted 30 days after the booked time."
)


class SharingRefused(ValueError):
    """A change the rules do not allow; `message` is for the person who asked."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def booking_fee(space: ResidentSpace, starts_at: datetime, ends_at: datetime) -> int:
    """Hours × the hourly fee, charged per started 30 minutes (times are on the half hour anyway),
    with amounts under ₩10 cut off (원 단위 절사), as the city's parking fees are."""
    half_hours = -(-(ends_at - starts_at) // GRANULARITY)
    return (half_hours * space.hourly_fee // 2) // 10 * 10


def _check_times(starts_at: datetime, ends_at: datetime, now: datetime) -> None:
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise SharingRefused("naive", _("Times need a time zone."))
    for moment in (starts_at, ends_at):
        if moment.second or moment.microsecond or moment.minute % 30:
            raise SharingRefused("granularity", _("Times must be on the hour or half hour (시 정각 또는 30분)."))
    if ends_at <= starts_at:
        raise SharingRefused("order", _("The end must come after the start."))
    if starts_at < now or ends_at > now + OFFER_HORIZON:
        raise SharingRefused("horizon", _("Times must lie within the next 30 days."))


def _locked(space: ResidentSpace) -> ResidentSpace:
    return ResidentSpace.objects.select_for_update().get(pk=space.pk)


def resident_space_register(
    *, municipality: Municipality, place: Place, zone_name: str, holder_name: str, holder_phone: str, hourly_fee: int
) -> tuple[ResidentSpace, str]:
    """A space registered by staff, and its management token (shown once, never stored)."""
    if place.municipality_id != municipality.pk:
        raise SharingRefused("city", _("The place belongs to another city."))
    token = token_new()
    space = ResidentSpace.objects.create(
        municipality=municipality,
        place=place,
        zone_name=zone_name,
        holder_name=holder_name,
        holder_phone=holder_phone,
        hourly_fee=hourly_fee,
        management_token_hash=token_hash(token),
    )
    return space, token


def slot_offer(
    space: ResidentSpace, *, starts_at: datetime, ends_at: datetime, now: datetime | None = None
) -> SharingSlot:
    now = now or timezone.now()
    _check_times(starts_at, ends_at, now)
    with transaction.atomic():
        _locked(space)
        if SharingSlot.objects.filter(
            space=space, withdrawn_at__isnull=True, starts_at__lt=ends_at, ends_at__gt=starts_at
        ).exists():
            raise SharingRefused("slot-overlap", _("This time overlaps a time already offered."))
        return SharingSlot.objects.create(space=space, starts_at=starts_at, ends_at=ends_at)


def slot_withdraw(slot: SharingSlot, *, now: datetime | None = None) -> SharingSlot:
    """Withdraws an offered time; not while a driver holds a booking in it (refuse or cancel it first)."""
    with transaction.atomic():
        _locked(slot.space)
        slot = SharingSlot.objects.get(pk=slot.pk)
        if slot.bookings.filter(status__in=SharingBooking.HOLDING).exists():
            raise SharingRefused("booked", _("A driver has booked part of this time; refuse or cancel it first."))
        if slot.withdrawn_at is None:
            slot.withdrawn_at = now or timezone.now()
            slot.save(update_fields=["withdrawn_at"])
        return slot


def booking_request(
    space: ResidentSpace,
    *,
    starts_at: datetime,
    ends_at: datetime,
    driver_name: str,
    driver_phone: str,
    licence_plate: str,
    consented: bool,
    now: datetime | None = None,
) -> tuple[SharingBooking, str]:
    """A driver's request for part of an offered time, and its tracking token (shown once)."""
    now = now or timezone.now()
    if not consented:
        raise SharingRefused("consent", _("Please agree to the use of your personal data to request a booking."))
    _check_times(starts_at, ends_at, now)
    with transaction.atomic():
        space = _locked(space)
        slot = SharingSlot.objects.filter(
            space=space, withdrawn_at__isnull=True, starts_at__lte=starts_at, ends_at__gte=ends_at
        ).first()
        if slot is None:
            raise SharingRefused("no-slot", _("The space is not offered for this whole time."))
        if SharingBooking.objects.filter(
            space=space, status__in=SharingBooking.HOLDING, starts_at__lt=ends_at, ends_at__gt=starts_at
        ).exists():
            raise SharingRefused("taken", _("Someone has already requested this time."))
        token = token_new()
        try:
            with transaction.atomic():
                booking = SharingBooking.objects.create(
                    space=space,
                    slot=slot,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    driver_name=driver_name,
                    driver_phone=driver_phone,
                    licence_plate=licence_plate,
                    consent_at=now,
                    consent_purpose=str(CONSENT_PURPOSE),
                    fee=booking_fee(space, starts_at, ends_at),
                    tracking_token_hash=token_hash(token),
                )
        except IntegrityError as error:  # the PostgreSQL exclusion constraint, should the lock ever be bypassed
            raise SharingRefused("taken", _("Someone has already requested this time.")) from error
        return booking, token


def _decide(booking: SharingBooking, *, allowed_from: tuple[str, ...], to: str, now: datetime | None) -> SharingBooking:
    with transaction.atomic():
        _locked(booking.space)
        booking = SharingBooking.objects.get(pk=booking.pk)
        if booking.status not in allowed_from:
            raise SharingRefused("status", _("This booking can no longer be changed this way."))
        booking.status = to
        booking.decided_at = now or timezone.now()
        booking.save(update_fields=["status", "decided_at"])
        return booking


def booking_approve(booking: SharingBooking, *, now: datetime | None = None) -> SharingBooking:
    return _decide(booking, allowed_from=(SharingBooking.Status.REQUESTED,), to=SharingBooking.Status.APPROVED, now=now)


def booking_refuse(booking: SharingBooking, *, now: datetime | None = None) -> SharingBooking:
    return _decide(booking, allowed_from=(SharingBooking.Status.REQUESTED,), to=SharingBooking.Status.REFUSED, now=now)


def booking_cancel(booking: SharingBooking, *, now: datetime | None = None) -> SharingBooking:
    """Cancelled by the driver (tracking link), the holder or staff, while it still holds the time."""
    return _decide(booking, allowed_from=SharingBooking.HOLDING, to=SharingBooking.Status.CANCELLED, now=now)


def bookings_personal_data_purge(*, now: datetime | None = None) -> int:
    """Blanks the driver's name, phone and plate 30 days after the booked time, as the consent says;
    the booking itself (times, fee, status) stays as the record. Returns how many were blanked."""
    cutoff = (now or timezone.now()) - RETENTION
    return (
        SharingBooking.objects.filter(ends_at__lt=cutoff)
        .exclude(driver_name="", driver_phone="", licence_plate="")
        .update(driver_name="", driver_phone="", licence_plate="")
    )
