"""The moderators' queue of contributions: the waiting ones first, each with its photo, story and
the contributor's choices; a decision (approve, ask for changes, refuse with a note the contributor
reads) goes through apps/archive/contributions.py. Seeing the contributor's contact is logged."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.log_actions import log

from apps.archive import contributions
from apps.archive.contribution_forms import DecisionForm
from apps.archive.models import Contribution

MODERATE = "archive.change_contribution"
CONTACT_SHOWN_ACTION = "archive.contribution_contact_shown"
QUEUE_SHOWN = 100


class ModeratorMixin:
    def dispatch(self, request: HttpRequest, *args, **kwargs):
        if not request.user.has_perm(MODERATE):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)


class ContributionQueueView(ModeratorMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "archive/admin/contributions.html"
    page_title = gettext_lazy("Archive contributions")

    def get_context_data(self, **kwargs) -> dict:
        waiting = Contribution.objects.filter(status=Contribution.Status.WAITING).order_by("created_at")
        decided = Contribution.objects.exclude(status=Contribution.Status.WAITING).order_by("-updated_at")
        return super().get_context_data(**kwargs) | {
            "waiting": waiting[:QUEUE_SHOWN],
            "decided": decided[:QUEUE_SHOWN],
        }


class ContributionModerateView(ModeratorMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "archive/admin/contribution.html"
    page_title = gettext_lazy("Contribution")

    @cached_property
    def contribution(self) -> Contribution:
        found = Contribution.objects.select_related("item", "decided_by").filter(pk=self.kwargs["pk"]).first()
        if found is None:
            raise Http404
        return found

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": reverse("archive_contributions"), "label": _("Archive contributions")},
            {"url": "", "label": self.contribution.title},
        ]

    def get_context_data(self, **kwargs) -> dict:
        contribution = self.contribution
        if contribution.contact_name or contribution.contact_email:
            log(contribution, CONTACT_SHOWN_ACTION, user=self.request.user)
        return super().get_context_data(**kwargs) | {
            "contribution": contribution,
            "form": kwargs.get("form") or DecisionForm(),
        }

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = DecisionForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        decision, note = form.cleaned_data["decision"], form.cleaned_data["note"]
        try:
            if decision == "approve":
                item = contributions.contribution_approve(self.contribution, user=request.user)
                messages.success(
                    request, _("Published as archive item %(identifier)s.") % {"identifier": item.identifier}
                )
            elif decision == "changes":
                contributions.contribution_ask_changes(self.contribution, user=request.user, note=note)
                messages.success(request, _("The contributor is asked for changes."))
            else:
                contributions.contribution_refuse(self.contribution, user=request.user, reason=note)
                messages.success(request, _("The contribution is refused; the contributor sees your reason."))
        except contributions.ContributionError as error:
            form.add_error(None, error.messages)
            status = 409 if error.code == "decided" else 400
            return self.render_to_response(self.get_context_data(form=form), status=status)
        return HttpResponseRedirect(reverse("archive_contributions"))


def contribution_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """A contribution's photo, for moderators only (it is not public before approval)."""
    if not request.user.has_perm(MODERATE):
        return permission_denied(request)
    found = Contribution.objects.filter(pk=pk).exclude(photo="").first()
    if found is None:
        raise Http404
    response = FileResponse(found.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
