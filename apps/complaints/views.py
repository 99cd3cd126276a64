"""Pages and files for residents. Thin: the work is in services and selectors."""

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from apps.common.file_responses import private_file_response
from apps.common.photos import MAX_PHOTO_BYTES
from apps.complaints import selectors, services
from apps.complaints.forms import PublicCaseFilterForm, RatingForm, ReopenForm, ReportForm, ReportPreview, TrackForm
from apps.complaints.intake import (
    RECEIPT_SESSION_KEY,
    TRACKED_CASES_SESSION_KEY,
    counted_as_filing,
    receipt_redirect,
    reporter_remember,
)
from apps.complaints.models import Complaint, Photo
from apps.complaints.photos import MAX_PHOTOS
from apps.municipalities.selectors import municipality_for_request_or_404


def _may_see_photo(request: HttpRequest, photo: Photo) -> bool:
    if photo.complaint_id is None:
        return False
    if selectors.photo_is_public(photo) or photo.complaint_id in request.session.get(TRACKED_CASES_SESSION_KEY, []):
        return True
    return selectors.complaint_list_for_staff(user=request.user).filter(pk=photo.complaint_id).exists()


@require_GET
def photo(request: HttpRequest, uuid) -> HttpResponseBase:
    """A case photo, for whoever may see its case; 404 alike for a photo that does not exist."""
    found = Photo.objects.select_related("complaint__category").filter(uuid=uuid).first()
    if found is None or not _may_see_photo(request, found):
        raise Http404
    return private_file_response(request, found.image, cache_control="private, max-age=3600", content_type="image/jpeg")


# --- Resident pages ---------------------------------------------------------------------------

PUBLIC_PAGE_SIZE = 20


def _tracking_path(number: str, token: str) -> str:
    return f"{reverse('complaints:track-case', args=[number])}?{urlencode({'token': token})}"


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get("Accept", "").startswith("application/json")


def _report_texts() -> dict[str, object]:
    """What the report page's script says, in the page's language."""
    return {
        "triageQuestion": _("Is this the right category?"),
        "triageChosen": _("Category set to: {name}"),
        "mapHelp": _("Tap the map where the problem is, then drag the pin to adjust. You can also type the address."),
        "pinPlaced": _("Pin placed at {latitude}, {longitude}."),
        "pinRemoved": _("Pin removed."),
        "pinLabel": _("Location of the problem"),
        "locating": _("Finding your location…"),
        "locationDenied": _("Access to your location was refused. Tap the map or type the address instead."),
        "locationUnavailable": _("Your location could not be found. Tap the map or type the address instead."),
        "photoTooMany": _("Up to %(limit)s photos per report.") % {"limit": MAX_PHOTOS},
        "photoTooLarge": _("%(name)s is larger than %(limit)s.")
        % {"name": "{name}", "limit": filesizeformat(MAX_PHOTO_BYTES)},
        "photoNotImage": _("%(name)s is not a JPEG, PNG, WebP or GIF picture.") % {"name": "{name}"},
        "photoAlt": _("Photo {number}: {name}"),
        "photoRemove": _("Remove {name}"),
        "similarTitle": _("A similar report has already been filed"),
        "similarHint": _("If it is the same problem, you can follow that case instead of filing a new one."),
        "similarFollow": _("Follow case {number}"),
        "similarDistance": _("within {distance} m"),
        "previewStale": _("You changed the report. Check the preview again before sending."),
        "previewFailed": _("The preview could not be loaded. Please try again."),
        "statuses": {value: str(label) for value, label in Complaint.Status.choices},
        "maxPhotos": MAX_PHOTOS,
        "maxPhotoBytes": MAX_PHOTO_BYTES,
    }


def _report_page(
    request: HttpRequest,
    form: ReportForm,
    *,
    preview: ReportPreview | None = None,
    changed: bool = False,
    status: int = 200,
) -> HttpResponse:
    context = {"form": form, "preview": preview, "changed": changed, "texts": _report_texts()}
    return render(request, "complaints/report.html", context, status=status)


def _preview_json(request: HttpRequest, form: ReportForm) -> JsonResponse:
    """For the page's script: the preview as the server renders it, or what to fix. Always 200: the
    request itself worked, whatever the report says."""
    if not form.is_valid():
        errors = [
            {"field": name, "id": form[name].auto_id, "messages": [str(message) for message in messages_]}
            for name, messages_ in form.errors.items()
            if name != "__all__"
        ]
        summary = render_to_string("complaints/_error_summary.html", {"form": form}, request)
        return JsonResponse({"ok": False, "errors": errors, "summary": summary})
    preview = form.preview()
    html = render_to_string("complaints/_report_preview.html", {"preview": preview}, request)
    return JsonResponse({"ok": True, "digest": preview.digest, "html": html})


@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    """The report form. Posted once to preview what will be public, then again to send it."""
    municipality = municipality_for_request_or_404(request)
    if request.method == "GET":
        # The chat widget links here with the report told so far (e.g. when the bot is down).
        query = request.GET
        initial = {
            "description": query.get("description", "")[: services.DESCRIPTION_MAX_LENGTH],
            "category": query.get("category", "")[:50],
            "address": query.get("address", "")[:300],
        }
        try:
            latitude, longitude = float(query["latitude"]), float(query["longitude"])
        except (KeyError, ValueError):
            latitude = longitude = None
        if latitude is not None and -90 <= latitude <= 90 and -180 <= longitude <= 180:
            initial.update(latitude=latitude, longitude=longitude)
        return _report_page(request, ReportForm(initial=initial, municipality=municipality))
    form = ReportForm(request.POST, request.FILES, municipality=municipality)
    if request.POST.get("action") != "send":
        return _preview_json(request, form) if _wants_json(request) else _preview_page(request, form)
    return _send(request, form)


@counted_as_filing
def _send(request: HttpRequest, form: ReportForm) -> HttpResponse:
    if not form.is_valid():
        return _report_page(request, form, status=400)
    previewed = form.preview()
    if not form.matches(previewed):
        return _report_page(request, form, preview=previewed, changed=True)
    try:
        submission = services.complaint_submit(
            channel=Complaint.Channel.WEB, language=translation.get_language(), **form.submission()
        )
    except services.ComplaintError as error:
        form.add_service_error(error)
        return _report_page(request, form, preview=previewed, status=400)
    return receipt_redirect(request, submission)


def _preview_page(request: HttpRequest, form: ReportForm) -> HttpResponse:
    if not form.is_valid():
        return _report_page(request, form, status=400)
    return _report_page(request, form, preview=form.preview())


@never_cache
@require_GET
def received(request: HttpRequest) -> HttpResponse:
    """The receipt, with the tracking link: shown only here, right after sending."""
    receipt = request.session.get(RECEIPT_SESSION_KEY)
    case = None
    if receipt and receipt["until"] > time.time():
        case = selectors.complaint_get_for_reporter(
            municipality=municipality_for_request_or_404(request), number=receipt["number"], token=receipt["token"]
        )
    if case is None:
        request.session.pop(RECEIPT_SESSION_KEY, None)
        return redirect("complaints:track")
    tracking_path = _tracking_path(case.number, receipt["token"])
    context = {
        "case": case,
        "token": receipt["token"],
        "tracking_path": tracking_path,
        "tracking_url": request.build_absolute_uri(tracking_path),
        "notified_by_email": bool(case.contact_consent_at and case.contact_email),
        "notified_by_sms": bool(case.contact_consent_at and case.contact_phone),
    }
    return render(request, "complaints/received.html", context)


def _not_found(request: HttpRequest, number: str = "") -> HttpResponse:
    """The same answer for a wrong number and a wrong token: nothing tells which one it was."""
    form = TrackForm(initial={"number": number})
    return render(request, "complaints/track.html", {"form": form, "not_found": True}, status=404)


@require_GET
def track(request: HttpRequest) -> HttpResponse:
    """Asks for the case number and tracking code, and leads to the case."""
    municipality = municipality_for_request_or_404(request)
    if "number" not in request.GET:
        return render(request, "complaints/track.html", {"form": TrackForm()})
    form = TrackForm(request.GET)
    if not form.is_valid():
        return render(request, "complaints/track.html", {"form": form}, status=400)
    number, token = form.cleaned_data["number"], form.cleaned_data["token"]
    if selectors.complaint_get_for_reporter(municipality=municipality, number=number, token=token) is None:
        return _not_found(request, number)
    return redirect(_tracking_path(number, token))


def _apply(form: forms.Form, change: Callable[[dict], object]) -> bool:
    """Run a service with the form's data; its refusal becomes the form's error."""
    if not form.is_valid():
        return False
    try:
        change(form.cleaned_data)
    except services.ComplaintError as error:
        form.add_error(None, error)
        return False
    return True


@never_cache
@require_http_methods(["GET", "POST"])
def track_case(request: HttpRequest, number: str) -> HttpResponse:
    """A reporter's own case, for whoever holds its tracking token: where it stands, the answer,
    and the forms to reopen it or rate the answer."""
    municipality = municipality_for_request_or_404(request)
    token = (request.POST if request.method == "POST" else request.GET).get("token", "")
    case = selectors.complaint_get_for_reporter(municipality=municipality, number=number, token=token)
    if case is None:
        return _not_found(request, number)
    reporter_remember(request, case)
    reopen_form = ReopenForm(prefix="reopen")
    rating_form = RatingForm(prefix="rating", initial={"rating": case.rating, "comment": case.rating_comment})
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "reopen":
            reopen_form = ReopenForm(request.POST, prefix="reopen")
            done = _apply(reopen_form, lambda data: services.complaint_reopen(complaint=case, reason=data["reason"]))
            success = _("Your case has been reopened. The department will look at it again.")
        elif action == "rate":
            rating_form = RatingForm(request.POST, prefix="rating")
            done = _apply(
                rating_form,
                lambda data: services.complaint_rate(complaint=case, rating=data["rating"], comment=data["comment"]),
            )
            success = _("Thank you for rating the answer.")
        else:
            raise Http404
        if done:
            messages.success(request, success)
            return redirect(_tracking_path(case.number, token))
        status = 400
    answered = case.status in (Complaint.Status.ANSWERED, Complaint.Status.CLOSED_UNFIXED)
    reopen_until = case.answered_at + services.REOPEN_WINDOW if answered and case.answered_at else None
    context = {
        "case": case,
        "token": token,
        "timeline": selectors.complaint_timeline(case, masked=False),
        "answer": selectors.complaint_latest_answer(case),
        "deadline_extended": selectors.complaint_deadline_extended(case),
        "photos": list(case.photos.all()),
        "can_rate": answered,
        "can_reopen": answered and (reopen_until is None or timezone.now() <= reopen_until),
        "reopen_until": reopen_until,
        "reopen_form": reopen_form,
        "rating_form": rating_form,
    }
    return render(request, "complaints/track_case.html", context, status=status)


@require_GET
def cases(request: HttpRequest) -> HttpResponse:
    """Public cases on a map and in a list, filtered by category and status."""
    municipality = municipality_for_request_or_404(request)
    filters = PublicCaseFilterForm(request.GET, municipality=municipality)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    found = selectors.complaint_list_public_filtered(
        municipality=municipality, category_code=chosen.get("category", ""), status=chosen.get("status", "")
    )
    page = Paginator(found, PUBLIC_PAGE_SIZE).get_page(request.GET.get("page"))
    public = selectors.public_cases(list(page), municipality=municipality)
    context = {"filters": filters, "page": page, "cases": public, "points": _map_points(public)}
    return render(request, "complaints/cases.html", context)


@require_GET
def case(request: HttpRequest, number: str) -> HttpResponse:
    """The public page of one case of a published category."""
    municipality = municipality_for_request_or_404(request)
    complaint = selectors.complaint_get_public(municipality=municipality, number=number)
    if complaint is None:
        raise Http404
    public = selectors.public_cases([complaint], municipality=municipality, detailed=True)[0]
    return render(request, "complaints/case.html", {"case": public, "points": _map_points([public])})


def _map_points(public: list[selectors.PublicCase]) -> list[dict]:
    """Markers for the cases map: rounded points only."""
    return [
        {
            "latitude": case.point[0],
            "longitude": case.point[1],
            "label": f"{case.number} · {case.category} · {case.status_label}",
            "url": reverse("complaints:case", args=[case.number]),
        }
        for case in public
        if case.point
    ]


# A marker's "report a problem here" opens the form in a tourist's language too (the middleware
# otherwise sends /ja/ and /zh-hans/ screens on to Korean); the receipt and tracking pages follow.
for view in (report, received, track, track_case):
    view.tourist_languages = True
