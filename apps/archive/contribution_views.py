"""A resident offers the archive a photo or a story (/<language>/archive/contribute/) and follows it
by a private link: waiting, approved (with a link to the public item), changes asked (the form again,
filled in) or refused, with the moderator's note."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.archive import contributions
from apps.archive.contribution_forms import ContributionForm, ContributionTextForm
from apps.archive.models import Contribution
from apps.common.private_pages import private_page
from apps.common.ratelimit import Limit, rate_limit_hit
from apps.municipalities.selectors import municipality_for_request_or_404

# A person with a shoebox of photos sends a few an hour; a script sends hundreds.
CONTRIBUTION_LIMITS = (Limit(count=10, seconds=3600), Limit(count=30, seconds=86400))
private = private_page("archive/contribution_not_found.html")


def _pin_texts() -> dict:
    """The words of the form's map pin (static/js/complaint-map.js), in the page's language."""
    return {
        "mapHelp": _(
            "Tap the map where the photo was taken or the story happened, then drag the pin to adjust. "
            "You can also just type the place."
        ),
        "pinPlaced": _("Pin placed at {latitude}, {longitude}."),
        "pinRemoved": _("Pin removed."),
        "pinLabel": _("Where it was"),
        "locating": _("Finding your location…"),
        "locationDenied": _("Access to your location was refused. Tap the map or type the place instead."),
        "locationUnavailable": _("Your location could not be found. Tap the map or type the place instead."),
    }


def _form_page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    context = {**context, "municipality": municipality_for_request_or_404(request), "pin_texts": _pin_texts()}
    return render(request, template, context, status=status)


def _tracking_url(contribution: Contribution, token: str) -> str:
    return f"{reverse('archive:contribution', args=[contribution.pk])}?{urlencode({'token': token})}"


@private
@require_http_methods(["GET", "HEAD", "POST"])
def contribute(request: HttpRequest) -> HttpResponse:
    municipality = municipality_for_request_or_404(request)
    form = ContributionForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if wait := rate_limit_hit(request, scope="archive-contribution", limits=CONTRIBUTION_LIMITS):
            response = _form_page(request, "archive/contribute.html", {"form": form, "wait": wait}, status=429)
            response["Retry-After"] = str(wait)
            return response
        if form.is_valid():
            data = form.cleaned_data
            try:
                contribution, token = contributions.contribution_submit(
                    municipality=municipality,
                    text=form.text(),
                    photo=data["photo"],
                    licence=data["licence"],
                    credit=data["credit"],
                    contact_name=data["contact_name"],
                    contact_email=data["contact_email"],
                    consented=data["consent"],
                )
            except contributions.ContributionError as error:
                form.add_error("consent" if error.code == "consent_missing" else None, error.messages)
            else:
                return redirect(_tracking_url(contribution, token))
        return _form_page(request, "archive/contribute.html", {"form": form}, status=400)
    return _form_page(request, "archive/contribute.html", {"form": form})


@private
@require_http_methods(["GET", "HEAD", "POST"])
def contribution(request: HttpRequest, pk: int) -> HttpResponse:
    token = request.GET.get("token", "")
    found = contributions.contribution_for_token(pk, token)
    if found is None:
        raise Http404
    form = None
    if found.status == Contribution.Status.CHANGES_ASKED:
        initial = {field: getattr(found, field) for field in ContributionTextForm.base_fields if field != "photo"}
        form = ContributionTextForm(request.POST or None, request.FILES or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                contributions.contribution_resubmit(found, text=form.text(), photo=form.cleaned_data["photo"])
            except contributions.ContributionError as error:
                form.add_error(None, error.messages)
            else:
                return redirect(_tracking_url(found, token))
    elif request.method == "POST":
        return render(request, "archive/contribution.html", {"contribution": found}, status=409)
    status = 400 if form is not None and form.errors else 200
    return _form_page(request, "archive/contribution.html", {"contribution": found, "form": form}, status=status)
