"""The resident-priority sharing pages (/<language>/mobility/parking/sharing/): free times near a
place with their fee, a driver's request, the driver's tracking page and the holder's management
page. Thin: every change is one call of apps/mobility/sharing_services, whose refusal is shown as it
says.

The tracking and management pages open by a token in their address, like a complaint's tracking
link: every page here is private and never stored (no-store, so never in the page cache either),
and sends no Referer, so the token never leaves in a header to the map tiles or a followed link."""

import math
from datetime import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from apps.common import private_pages
from apps.common.query_forms import canonical_redirect
from apps.common.ratelimit import Limit, rate_limit_forget, rate_limit_hit
from apps.common.sections import section_page
from apps.mobility import sharing_selectors, sharing_services
from apps.mobility.fees import SEOUL
from apps.mobility.models import ResidentSpace, SharingBooking
from apps.mobility.page_forms import NEAR_RADIUS_M
from apps.mobility.sharing_forms import (
    DATETIME_LOCAL_FORMAT,
    BookingRequestForm,
    BookingTimeForm,
    FreeSlotFinderForm,
    ObjectChoiceForm,
    SlotOfferForm,
)
from apps.mobility.sharing_services import SharingRefused
from apps.mobility.views import SECTION_SLUG
from apps.municipalities.selectors import municipality_for_request_or_404
from apps.places.selectors import place_by_code

REQUEST_RATE_SCOPE = "mobility-sharing-request"
# A driver asks for a space a few times a day at most; more from one client is a script.
REQUEST_LIMITS = (Limit(count=5, seconds=3600), Limit(count=20, seconds=86400))
# A refusal because the booking or time has moved on since the page was shown.
CONFLICTS = {"status", "taken", "booked", "slot-overlap", "no-slot"}


private_page = private_pages.private_page("mobility/sharing/not_found.html")


def _status_for(refusal: SharingRefused) -> int:
    return 409 if refusal.code in CONFLICTS else 400


def _space_or_404(request: HttpRequest, pk: int) -> ResidentSpace:
    space = ResidentSpace.objects.filter(pk=pk, municipality=municipality_for_request_or_404(request)).first()
    if space is None:
        raise Http404
    return space


def _context(request: HttpRequest, **values) -> dict:
    return {"section": section_page(request, SECTION_SLUG), **values}


def _map_points(periods: list[sharing_selectors.FreePeriod]) -> list[dict]:
    seen, points = set(), []
    for period in periods:
        if (place := period.space.place).pk not in seen:
            seen.add(place.pk)
            url = reverse("places:short-url", kwargs={"code": place.code})
            points.append({"latitude": place.latitude, "longitude": place.longitude, "url": url, "label": place.name})
    return points


@private_page
@require_safe
def free_slots(request: HttpRequest) -> HttpResponse:
    municipality = municipality_for_request_or_404(request)
    form = FreeSlotFinderForm(request.GET or None, municipality=municipality)
    if redirect_ := canonical_redirect(request, form):
        return redirect_
    near = form.valid_part().get("near")
    origin = place_by_code(form.origin_code()) if form.origin_code() else None
    if near is None and origin is not None:
        near = (origin.latitude, origin.longitude)
    stay = form.stay()
    periods = sharing_selectors.free_periods(
        municipality,
        near=near,
        radius_m=NEAR_RADIUS_M,
        starts_at=stay[0] if stay else None,
        ends_at=stay[1] if stay else None,
    )
    entries = [
        {
            "period": period,
            "fee": sharing_services.booking_fee(period.space, *stay) if stay else None,
            "hourly_fee": period.space.hourly_fee,
            "request_url": _request_url(period, stay),
        }
        for period in periods
    ]
    context = _context(
        request, municipality=municipality, form=form, entries=entries, stay=stay, near=near, origin=origin
    )
    context["points"] = _map_points(periods)
    return render(request, "mobility/sharing/free_slots.html", context)


def _request_url(period: sharing_selectors.FreePeriod, stay: tuple[datetime, datetime] | None) -> str:
    """The request form for this space, with the time asked about (else the whole free period)."""
    starts_at, ends_at = stay or (period.starts_at, period.ends_at)
    query = urlencode({"starts_at": _typed(starts_at), "ends_at": _typed(ends_at)})
    return f"{reverse('mobility:sharing-request', args=[period.space.pk])}?{query}"


def _typed(moment: datetime) -> str:
    """A moment as the page's date-and-time field shows it (Seoul time)."""
    return timezone.localtime(moment, SEOUL).strftime(DATETIME_LOCAL_FORMAT)


@private_page
@require_http_methods(["GET", "POST"])
def booking_request(request: HttpRequest, pk: int) -> HttpResponse:
    space = _space_or_404(request, pk)
    if request.method == "GET":
        # The time chosen on the free times page, when it reads as a time (else the fields are empty).
        times = BookingTimeForm(request.GET)
        times.is_valid()
        form = BookingRequestForm(initial={name: _typed(value) for name, value in times.cleaned_data.items() if value})
        return _request_page(request, space, form, times=times)
    return _request_send(request, space)


def _request_page(
    request: HttpRequest,
    space: ResidentSpace,
    form: BookingRequestForm,
    *,
    times: BookingTimeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The form, with the fee for the time typed once it reads as a time (the service's rules are
    checked when the request is sent). Both forms have been validated by now."""
    typed = (times or form).cleaned_data
    starts_at, ends_at = typed.get("starts_at"), typed.get("ends_at")
    fee = (
        sharing_services.booking_fee(space, starts_at, ends_at)
        if starts_at and ends_at and ends_at > starts_at
        else None
    )
    context = _context(request, space=space, form=form, fee=fee)
    return render(request, "mobility/sharing/request.html", context, status=status)


def _request_send(request: HttpRequest, space: ResidentSpace) -> HttpResponse:
    """Counted against the client's limit before anything else, in one step with the check, so
    requests sent at the same moment cannot all pass; a request that booked nothing is taken back."""
    if wait := rate_limit_hit(request, scope=REQUEST_RATE_SCOPE, limits=REQUEST_LIMITS):
        minutes = math.ceil(wait / 60)
        message = ngettext(
            "Too many tries. Please wait %(minutes)s minute and try again.",
            "Too many tries. Please wait %(minutes)s minutes and try again.",
            minutes,
        ) % {"minutes": minutes}
        response = render(request, "mobility/sharing/rate_limited.html", _context(request, message=message), status=429)
        response["Retry-After"] = str(wait)
        return response
    form = BookingRequestForm(request.POST)
    booked = False
    try:
        if not form.is_valid():
            return _request_page(request, space, form, status=400)
        try:
            _booking, token = sharing_services.booking_request(space, **form.request())
        except SharingRefused as refusal:
            form.add_refusal(refusal)
            return _request_page(request, space, form, status=_status_for(refusal))
        booked = True
    finally:
        if not booked:
            rate_limit_forget(request, scope=REQUEST_RATE_SCOPE, limits=REQUEST_LIMITS)
    messages.success(request, _("Your request has been sent to the space's permit holder."))
    return redirect("mobility:sharing-booking", token=token)


@private_page
@require_http_methods(["GET", "POST"])
def booking_tracking(request: HttpRequest, token: str) -> HttpResponse:
    """The driver's own booking, for whoever holds its link: where it stands, and a cancel button."""
    booking = sharing_selectors.booking_by_token(token)
    if booking is None:
        raise Http404
    status = 200
    if request.method == "POST":
        try:
            sharing_services.booking_cancel(booking)
        except SharingRefused as refusal:
            messages.error(request, refusal.message)
            status = _status_for(refusal)
        else:
            messages.success(request, _("Your booking has been cancelled."))
            return redirect("mobility:sharing-booking", token=token)
    booking.refresh_from_db()
    context = _context(
        request,
        booking=sharing_selectors.booking_masked(booking),
        space=booking.space,
        can_cancel=booking.status in SharingBooking.HOLDING,
    )
    return render(request, "mobility/sharing/booking.html", context, status=status)


HOLDER_ACTIONS = {
    "approve": (sharing_services.booking_approve, lambda: _("The request has been approved.")),
    "refuse": (sharing_services.booking_refuse, lambda: _("The request has been refused.")),
    "cancel": (sharing_services.booking_cancel, lambda: _("The booking has been cancelled.")),
}


@private_page
@require_http_methods(["GET", "POST"])
def holder_page(request: HttpRequest, token: str) -> HttpResponse:
    """The permit holder's page: offer a time, withdraw one, and approve or refuse requests."""
    space = sharing_selectors.resident_space_by_token(token)
    if space is None:
        raise Http404
    offer_form = SlotOfferForm(prefix="offer")
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "offer":
            offer_form = SlotOfferForm(request.POST, prefix="offer")
            change, done = (lambda: _offer(space, offer_form)), _("The time is now offered.")
        elif action == "withdraw":
            change, done = (lambda: sharing_services.slot_withdraw(_own(request, space.slots))), _("Time withdrawn.")
        elif action in HOLDER_ACTIONS:
            service, message = HOLDER_ACTIONS[action]
            change, done = (lambda: service(_own(request, space.bookings))), message()
        else:
            raise Http404
        try:
            if change() is not None:
                messages.success(request, done)
                return redirect("mobility:sharing-holder", token=token)
            status = 400
        except SharingRefused as refusal:
            if action == "offer":
                offer_form.add_refusal(refusal)
            else:
                messages.error(request, refusal.message)
            status = _status_for(refusal)
    context = _context(
        request,
        space=space,
        offer_form=offer_form,
        slots=sharing_selectors.space_slots(space),
        bookings=sharing_selectors.space_bookings_masked(space),
    )
    return render(request, "mobility/sharing/holder.html", context, status=status)


def _offer(space: ResidentSpace, form: SlotOfferForm):
    if not form.is_valid():
        return None
    return sharing_services.slot_offer(
        space, starts_at=form.cleaned_data["starts_at"], ends_at=form.cleaned_data["ends_at"]
    )


def _own(request: HttpRequest, rows):
    """The offered time or booking a button names, if it is this space's: another space's id is
    answered exactly like an id that does not exist."""
    choice = ObjectChoiceForm(request.POST)
    found = rows.filter(pk=choice.cleaned_data["id"]).first() if choice.is_valid() else None
    if found is None:
        raise Http404
    return found
