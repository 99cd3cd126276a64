"""The staff side of 민원 in the Wagtail admin: inbox, map, export, case page, actions, dashboard.

Thin: every list starts from selectors.complaint_list_for_staff, so a case of another department
is absent (404) on every route, and every change goes through a service.
"""

import csv
from collections.abc import AsyncIterator, Iterator
from functools import cached_property, partial

from asgiref.sync import sync_to_async
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.handlers.asgi import ASGIRequest
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.auth import permission_denied
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton

from apps.common.client import client_address
from apps.common.pagination import CountCappedPaginator
from apps.complaints import selectors, services
from apps.complaints.models import Complaint, ContactAccess
from apps.complaints.services import ComplaintConflict, ComplaintError
from apps.complaints.staff_forms import (
    AcceptForm,
    AnswerForm,
    CaseFilterForm,
    CloseForm,
    DuplicateForm,
    ExtendForm,
    NoteForm,
    ReplyTemplatePicker,
    TransferForm,
)

VIEW_PERMISSION = "complaints.view_complaint"
CHANGE_PERMISSION = "complaints.change_complaint"
INBOX_PAGE_SIZE = 50
# The inbox counts this many cases past a page's first at most; beyond, it says "more than".
INBOX_COUNT_LIMIT = 10_000
# Contact details go into an export only when asked for: most exports need none, and each one shown is logged.
WITH_CONTACT = "contact"
Status = Complaint.Status


class StaffPermissionMixin:
    """Department staff (complaints.view_complaint) only; actions ask for change_complaint."""

    permission_required = VIEW_PERMISSION

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission_required):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)


def inbox_breadcrumbs() -> list[dict]:
    return [
        {"url": reverse("wagtailadmin_home"), "label": _("Home")},
        {"url": reverse("complaints_admin:inbox"), "label": _("Complaints inbox")},
    ]


class FilteredCasesMixin(StaffPermissionMixin):
    """The inbox filters from the query string, shared by the inbox, the map and the export."""

    @cached_property
    def filter_form(self) -> CaseFilterForm:
        return CaseFilterForm(self.request.GET, user=self.request.user)

    @cached_property
    def today(self):
        return timezone.localdate()

    def filtered_cases(self):
        if not self.filter_form.is_valid():
            # Nothing rather than a guess; the form shows what is wrong.
            return selectors.complaint_list_filtered(
                user=self.request.user, filters=selectors.CaseFilter(), today=self.today
            ).none()
        return selectors.complaint_list_filtered(
            user=self.request.user, filters=self.filter_form.case_filter(), today=self.today
        )

    def filter_query_string(self) -> str:
        """The filters alone, for links between the inbox, the map and the export."""
        query = self.request.GET.copy()
        query.pop("p", None)
        query.pop(WITH_CONTACT, None)
        return query.urlencode()

    def filter_url(self, name: str) -> str:
        query = self.filter_query_string()
        return reverse(name) + (f"?{query}" if query else "")


class InboxView(FilteredCasesMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "complaints/admin/inbox.html"
    page_title = gettext_lazy("Complaints inbox")
    header_icon = "mail"

    def get_breadcrumbs_items(self):
        return inbox_breadcrumbs()[:1] + [{"url": "", "label": self.get_page_title()}]

    def get_header_buttons(self):
        export_url = self.filter_url("complaints_admin:export")
        buttons = [
            HeaderButton(_("Map"), url=self.filter_url("complaints_admin:map"), icon_name="site"),
            HeaderButton(_("Export CSV"), url=export_url, icon_name="download"),
        ]
        if selectors.staff_can_see_contact(self.request.user):
            with_contact = export_url + ("&" if "?" in export_url else "?") + f"{WITH_CONTACT}=1"
            buttons.append(HeaderButton(_("Export CSV with contact details"), url=with_contact, icon_name="download"))
        buttons.append(
            HeaderButton(_("Complaints dashboard"), url=reverse("complaints_admin:dashboard"), icon_name="table")
        )
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page_number = self.request.GET.get("p")
        paginator = CountCappedPaginator(
            self.filtered_cases(), INBOX_PAGE_SIZE, page_number=page_number, count_limit=INBOX_COUNT_LIMIT
        )
        page = paginator.get_page(page_number)
        context.update(
            form=self.filter_form,
            page_obj=page,
            cases=page.object_list,
            elided_page_range=paginator.get_elided_page_range(page.number),
            filtering=self.filter_form.has_changed(),
        )
        return context


class MapView(FilteredCasesMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "complaints/admin/map.html"
    page_title = gettext_lazy("Map of cases")
    header_icon = "site"

    def get_breadcrumbs_items(self):
        return inbox_breadcrumbs() + [{"url": "", "label": self.get_page_title()}]

    def get_header_buttons(self):
        return [HeaderButton(_("List"), url=self.filter_url("complaints_admin:inbox"), icon_name="list-ul")]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        found = selectors.complaint_map_markers(self.filtered_cases(), limit=selectors.MAP_MARKER_LIMIT)
        context.update(
            form=self.filter_form,
            markers=[
                {
                    "number": marker["number"],
                    "status": Status(marker["status"]).label,
                    "deadline": marker["deadline"],
                    "lat": marker["latitude"],
                    "lng": marker["longitude"],
                    "url": reverse("complaints_admin:case", args=[marker["pk"]]),
                }
                for marker in found.markers
            ],
            located=found.located,
            limit=selectors.MAP_MARKER_LIMIT,
            capped=found.located > len(found.markers),
        )
        return context


# --- CSV export -------------------------------------------------------------------------------


class _Line:
    """csv.writer writes into this and gets the line back, so rows can be streamed."""

    def write(self, text: str) -> str:
        return text


def _spreadsheet_safe(value: str) -> str:
    # A cell a resident wrote that starts like a formula must not run as one in Excel.
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _export_header(with_contact: bool) -> list[str]:
    header = [
        _("Case number"),
        _("Category code"),
        _("Category"),
        _("Department"),
        _("Dong"),
        _("Status"),
        _("Received at"),
        _("Due by"),
        _("Answered at"),
        _("Address"),
        _("Description"),
    ]
    if with_contact:
        header += [_("Reporter name"), _("Reporter phone"), _("Reporter email")]
    return header


def _export_row(case: Complaint, with_contact: bool, status_labels: dict[str, str]) -> list[str]:
    row = [
        case.number,
        case.category.code,
        case.category.name,
        case.department.name,
        case.dong,
        status_labels[case.status],
        _local(case.received_at),
        case.due_date.isoformat(),
        _local(case.answered_at),
        _spreadsheet_safe(case.address),
        _spreadsheet_safe(case.description),
    ]
    if with_contact:
        row += [_spreadsheet_safe(case.contact_name), _spreadsheet_safe(case.contact_phone), case.contact_email]
    return row


def export_lines(cases, *, user, with_contact: bool, ip_address: str | None) -> Iterator[str]:
    """The CSV, one batch of rows at a time: UTF-8 with a BOM so Excel shows the Korean. Contact
    details leave only with the permission, and each case's access is logged before its row goes."""
    writer = csv.writer(_Line())
    status_labels = {value: str(label) for value, label in Status.choices}  # translated once, not per row
    yield "\ufeff" + writer.writerow(_export_header(with_contact))
    for batch in selectors.complaint_batches(cases):
        if with_contact:
            with transaction.atomic():
                for case in batch:
                    services.contact_access_record(
                        complaint=case, user=user, route=ContactAccess.Route.EXPORT, ip_address=ip_address
                    )
        yield "".join(writer.writerow(_export_row(case, with_contact, status_labels)) for case in batch)


async def _async_lines(lines: Iterator[str]) -> AsyncIterator[str]:
    # Under ASGI (daphne) only an async iterator streams; a plain one would be read whole first.
    next_lines = sync_to_async(partial(next, lines, None), thread_sensitive=True)
    while (chunk := await next_lines()) is not None:
        yield chunk


class ExportView(FilteredCasesMixin, View):
    http_method_names = ["get"]

    def get(self, request: HttpRequest) -> HttpResponse:
        if not self.filter_form.is_valid():
            messages.error(request, _("Check the filters before exporting."))
            return redirect(self.filter_url("complaints_admin:inbox"))
        lines = export_lines(
            self.filtered_cases(),
            user=request.user,
            with_contact=request.GET.get(WITH_CONTACT) == "1" and selectors.staff_can_see_contact(request.user),
            ip_address=client_address(request) or None,
        )
        response = StreamingHttpResponse(
            _async_lines(lines) if isinstance(request, ASGIRequest) else lines,
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="complaints-{self.today:%Y%m%d}.csv"'
        response["Cache-Control"] = "no-store"
        return response


# --- Case page --------------------------------------------------------------------------------


def _case_or_404(request: HttpRequest, pk: int) -> Complaint:
    case = selectors.complaint_get_for_staff_page(user=request.user, pk=pk, today=timezone.localdate())
    if case is None:
        raise Http404
    return case


def _reply_template_bodies(templates, language: str) -> dict[str, str]:
    # The reporter's own language when the city wrote one; Korean otherwise.
    return {str(t.pk): (t.body_en if language != "ko" and t.body_en else t.body_ko) for t in templates}


def _case_marker(case: Complaint) -> list[dict]:
    if case.latitude is None:
        return []
    return [{"number": case.number, "status": case.get_status_display(), "lat": case.latitude, "lng": case.longitude}]


class CaseView(StaffPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "complaints/admin/case.html"
    header_icon = "mail"
    contact_shown = False

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.case = None

    def get_page_title(self):
        return _("Case %(number)s") % {"number": self.case.number}

    def get_breadcrumbs_items(self):
        return inbox_breadcrumbs() + [{"url": "", "label": self.case.number}]

    def get(self, request, pk: int):
        self.case = _case_or_404(request, pk)
        return super().get(request, pk=pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case, user = self.case, self.request.user
        allowed = selectors.staff_case_actions(case)
        can_change = user.has_perm(CHANGE_PERMISSION)
        templates = list(selectors.reply_template_list(complaint=case).order_by("title"))
        context.update(
            case=case,
            events=case.events.all(),
            photos=case.photos.all(),
            has_contact=selectors.complaint_has_contact(case),
            can_see_contact=selectors.staff_can_see_contact(user),
            contact_shown=self.contact_shown,
            can_change=can_change,
            marker=_case_marker(case),
            # An action appears only when the case's status allows it.
            accept_form=AcceptForm() if can_change and Status.ACCEPTED in allowed else None,
            answer_form=AnswerForm() if can_change and Status.ANSWERED in allowed else None,
            reply_picker=ReplyTemplatePicker(templates=templates) if templates else None,
            template_bodies=_reply_template_bodies(templates, case.language),
            transfer_form=TransferForm(complaint=case) if can_change and Status.TRANSFERRED in allowed else None,
            duplicate_form=DuplicateForm() if can_change and Status.DUPLICATE in allowed else None,
            close_form=CloseForm() if can_change and Status.CLOSED_UNFIXED in allowed else None,
            extend_form=ExtendForm() if can_change and case.is_open else None,
            note_form=NoteForm() if can_change else None,
        )
        return context


class ContactView(CaseView):
    """Shows the reporter's contact details for this one response, and logs that they were seen."""

    http_method_names = ["post"]
    contact_shown = True

    def post(self, request, pk: int):
        self.case = _case_or_404(request, pk)
        if not selectors.staff_can_see_contact(request.user):
            raise PermissionDenied
        if selectors.complaint_has_contact(self.case):
            services.contact_access_record(
                complaint=self.case,
                user=request.user,
                route=ContactAccess.Route.CASE_PAGE,
                ip_address=client_address(request) or None,
            )
        response = self.render_to_response(self.get_context_data(pk=pk))
        response["Cache-Control"] = "no-store"
        return response


# --- Case actions -----------------------------------------------------------------------------


class CaseActionView(StaffPermissionMixin, View):
    """One small form POSTed from the case page: read it, call the service, say how it went. Done, it
    goes back to the case page; refused, it shows the case page with the reason and a status that
    says so (400 for what was typed, 409 when the case's state does not allow it, 403 without the
    permission), never a redirect that would read as a success."""

    permission_required = CHANGE_PERMISSION
    http_method_names = ["post"]
    form_class = None

    def dispatch(self, request, *args, **kwargs):
        # Not Wagtail's "no permission", a redirect home that a script would read as done.
        if not request.user.has_perm(self.permission_required):
            refusal = _("You do not have permission to change cases.")
            if not request.user.has_perm(VIEW_PERMISSION):
                return HttpResponseForbidden(refusal)
            messages.error(request, refusal)
            return self.refused(kwargs["pk"], status=403)
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, case: Complaint):
        return self.form_class(self.request.POST)

    def perform(self, case: Complaint, data: dict) -> str:
        """Call the service; return the message for the staff member."""
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = selectors.complaint_get_for_staff(user=request.user, pk=pk)
        if case is None:
            raise Http404
        form = self.get_form(case)
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                for error in errors:
                    messages.error(request, f"{label}: {error}" if label else error)
            return self.refused(pk, status=400)
        try:
            done = self.perform(case, form.cleaned_data)
        except ComplaintError as error:
            messages.error(request, " ".join(error.messages))
            return self.refused(pk, status=409 if isinstance(error, ComplaintConflict) else 400)
        messages.success(request, done)
        return redirect("complaints_admin:case", pk=case.pk)

    def refused(self, pk: int, status: int) -> HttpResponse:
        """The case page as it stands now, with the refusal among its messages."""
        page = CaseView()
        page.setup(self.request, pk=pk)
        page.case = _case_or_404(self.request, pk)
        return page.render_to_response(page.get_context_data(pk=pk), status=status)


class AcceptView(CaseActionView):
    form_class = AcceptForm

    def perform(self, case, data):
        services.complaint_accept(complaint=case, actor=self.request.user, message=data["message"].strip())
        return _("Case %(number)s accepted.") % {"number": case.number}


class AnswerView(CaseActionView):
    form_class = AnswerForm

    def perform(self, case, data):
        services.complaint_answer(complaint=case, actor=self.request.user, message=data["message"])
        return _("The reply to %(number)s was sent.") % {"number": case.number}


class NoteView(CaseActionView):
    form_class = NoteForm

    def perform(self, case, data):
        services.complaint_add_note(complaint=case, actor=self.request.user, message=data["message"])
        return _("Note added.")


class TransferView(CaseActionView):
    form_class = TransferForm

    def get_form(self, case):
        return TransferForm(self.request.POST, complaint=case)

    def perform(self, case, data):
        moved = services.complaint_transfer(
            complaint=case,
            actor=self.request.user,
            reason=data["reason"],
            department=data["department"],
            agency=data["agency"],
        )
        target = moved.transferred_to_agency or moved.department.name
        return _("Case %(number)s transferred to %(target)s.") % {"number": case.number, "target": target}


class DuplicateView(CaseActionView):
    form_class = DuplicateForm

    def perform(self, case, data):
        original = selectors.complaint_find_for_staff(
            user=self.request.user, municipality=case.municipality, number=data["original"]
        )
        if original is None:
            raise ComplaintError(
                _("No case %(number)s among the cases you can see.") % {"number": data["original"]},
                code="duplicate_target",
            )
        services.complaint_mark_duplicate(complaint=case, actor=self.request.user, original=original)
        return _("Case %(number)s marked as a duplicate of %(original)s.") % {
            "number": case.number,
            "original": original.number,
        }


class CloseView(CaseActionView):
    form_class = CloseForm

    def perform(self, case, data):
        services.complaint_close_unfixed(complaint=case, actor=self.request.user, reason=data["reason"])
        return _("Case %(number)s closed without a fix.") % {"number": case.number}


class ExtendView(CaseActionView):
    form_class = ExtendForm

    def perform(self, case, data):
        extended = services.complaint_extend_deadline(
            complaint=case, actor=self.request.user, working_days=data["working_days"], reason=data["reason"]
        )
        return _("Case %(number)s is now due by %(date)s.") % {
            "number": case.number,
            "date": extended.due_date.isoformat(),
        }


# --- Dashboard --------------------------------------------------------------------------------


UNDELIVERED_SHOWN = 50


class DashboardView(StaffPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "complaints/admin/dashboard.html"
    page_title = gettext_lazy("Complaints dashboard")
    header_icon = "table"

    def get_breadcrumbs_items(self):
        return inbox_breadcrumbs() + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        departments, total = selectors.department_stats_for_staff(user=self.request.user, today=timezone.localdate())
        undelivered = selectors.notification_list_undelivered_for_staff(user=self.request.user, now=timezone.now())
        context.update(
            departments=departments,
            total=total,
            days=selectors.DASHBOARD_DAYS,
            undelivered=undelivered[:UNDELIVERED_SHOWN],
            undelivered_count=undelivered.count(),
        )
        return context


class ComplaintsSummaryPanel(Component):
    """The dashboard's totals on the Wagtail home page, for staff who answer complaints."""

    name = "complaints_summary"
    template_name = "complaints/admin/home_panel.html"
    order = 90

    class Media:
        css = {"all": ["complaints/admin/staff.css"]}

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        departments, total = selectors.department_stats_for_staff(user=request.user, today=timezone.localdate())
        return {"departments": departments, "total": total, "days": selectors.DASHBOARD_DAYS}
