"""Forms of the staff side: the inbox filters and the small form behind each case action.

The action forms only read what was typed; whether the change is allowed is the services' call,
so the admin, the API and the bot all meet the same rules and the same messages.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from apps.complaints.models import Category, Complaint, ReplyTemplate
from apps.complaints.selectors import CaseFilter, staff_municipalities, staff_sees_all
from apps.municipalities.models import Department, Dong, Municipality

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FlagInput(forms.CheckboxInput):
    """A checkbox that also reads 1/0 and true/false from a query string (the staff API's too)."""

    def value_from_datadict(self, data, files, name):
        return str(data.get(name, "")).lower() not in ("", "0", "false", "off", "no")


class CaseFilterForm(forms.Form):
    """The inbox filters, read from the query string by the inbox, the map, the export and the API."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Case number or words from the description"),
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All statuses"))])
    category = forms.ModelChoiceField(
        label=_("Category"), required=False, queryset=Category.objects.none(), empty_label=_("All categories")
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        required=False,
        queryset=Department.objects.none(),
        empty_label=_("All departments"),
    )
    dong = forms.ChoiceField(label=_("Dong"), required=False, choices=[("", _("All dongs"))])
    overdue = forms.BooleanField(label=_("Overdue"), required=False, widget=FlagInput)
    due_soon = forms.BooleanField(
        label=_("Due soon"),
        required=False,
        widget=FlagInput,
        help_text=_("Due within two working days"),
    )
    received_from = forms.DateField(label=_("Received from"), required=False, widget=DATE_INPUT)
    received_to = forms.DateField(label=_("Received until"), required=False, widget=DATE_INPUT)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        cities = staff_municipalities(user)
        self.fields["status"].choices += Complaint.Status.choices
        self.fields["category"].queryset = Category.objects.filter(municipality__in=cities).order_by("name_ko")
        dongs = Dong.objects.filter(municipality__in=cities).order_by("name_ko").values_list("name_ko", flat=True)
        self.fields["dong"].choices += [(name, name) for name in dongs]
        departments = (
            Department.objects.filter(municipality__in=cities)
            if staff_sees_all(user)
            else Department.objects.filter(staff=user)
        )
        self.fields["department"].queryset = departments.order_by("name_ko")
        if not staff_sees_all(user) and departments.count() < 2:
            # A member of one department sees only its cases: the filter would narrow nothing.
            del self.fields["department"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("received_from"), cleaned.get("received_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The first day comes after the last."))
        return cleaned

    def case_filter(self) -> CaseFilter:
        """The filters as the selectors take them; call after is_valid()."""
        data = self.cleaned_data
        return CaseFilter(
            status=data["status"],
            category=data["category"],
            department=data.get("department"),
            dong=data["dong"],
            overdue=data["overdue"],
            due_soon=data["due_soon"],
            received_from=data["received_from"],
            received_to=data["received_to"],
            search=data["q"].strip(),
        )


def _text(label, *, rows: int = 3, help_text: str = "") -> forms.CharField:
    # Not required here: an empty text reaches the service, which answers in the reporter's terms.
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows, "required": True}),
    )


class AcceptForm(forms.Form):
    prefix = "accept"
    message = forms.CharField(
        label=_("Message to the reporter (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AnswerForm(forms.Form):
    prefix = "answer"
    message = _text(_("Reply to the reporter"), rows=8, help_text=_("The reporter sees this reply."))


class ReplyTemplatePicker(forms.Form):
    """Fills the reply with a template in the browser; the answer itself is only what was sent."""

    prefix = "picker"
    template = forms.ChoiceField(
        label=_("Start from a reply template"),
        required=False,
        widget=forms.Select(
            attrs={
                "data-reply-templates": "complaints-reply-templates",
                "data-reply-target": "id_answer-message",
            }
        ),
    )

    def __init__(self, *args, templates: list[ReplyTemplate], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [("", _("No template"))] + [(t.pk, t.title) for t in templates]
        self.fields["template"].widget.attrs["data-confirm"] = _("Replace the reply you have written?")


class NoteForm(forms.Form):
    prefix = "note"
    message = _text(_("Internal note"), help_text=_("Only staff see notes."))


class TransferForm(forms.Form):
    prefix = "transfer"
    department = forms.ModelChoiceField(
        label=_("To a department of the city"),
        required=False,
        queryset=Department.objects.none(),
        empty_label=_("Choose a department"),
    )
    agency = forms.CharField(
        label=_("Or to an outside agency"),
        required=False,
        max_length=150,
        help_text=_("e.g. 한국전력공사, 경기도청, 의정부경찰서"),
    )
    reason = _text(_("Reason for the transfer"), help_text=_("The reporter sees this reason."))

    def __init__(self, *args, complaint: Complaint, **kwargs):
        super().__init__(*args, **kwargs)
        # Every department of the case's city: the service says why the current one cannot take it.
        self.fields["department"].queryset = Department.objects.filter(
            municipality_id=complaint.municipality_id, is_active=True
        ).order_by("name_ko")


class DuplicateForm(forms.Form):
    prefix = "duplicate"
    original = forms.CharField(
        label=_("Number of the original case"),
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "2026-000123", "autocomplete": "off"}),
    )


class CloseForm(forms.Form):
    prefix = "close"
    reason = _text(_("Why it cannot be fixed"), help_text=_("The reporter sees this reason."))


class ExtendForm(forms.Form):
    prefix = "extend"
    working_days = forms.IntegerField(
        label=_("Extra working days"), initial=7, widget=forms.NumberInput(attrs={"min": 1, "max": 60})
    )
    reason = _text(_("Reason for the extension"), help_text=_("The reporter sees this reason."))


class ReplyTemplateForm(WagtailAdminModelForm):
    """A department member writes templates for their own departments only; shared templates (no
    department) are the city-wide role's."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is not None and not staff_sees_all(for_user):
            self.fields["municipality"].queryset = staff_municipalities(for_user)
            self.fields["department"].queryset = Department.objects.filter(staff=for_user)
            self.fields["department"].required = True

    def clean(self):
        cleaned = super().clean()
        municipality: Municipality | None = cleaned.get("municipality")
        department: Department | None = cleaned.get("department")
        if municipality and department and department.municipality_id != municipality.pk:
            self.add_error("department", _("Choose a department of the same city."))
        return cleaned
