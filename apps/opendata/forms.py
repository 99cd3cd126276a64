"""Forms of the open-data pages: the search box and its options, the table preview's options, and
the two forms that file a 민원 case (request a dataset, report a data error)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.complaints import services as complaint_services
from apps.complaints.forms import ReportForm
from apps.opendata.models import Dataset, Resource

SORT_CHOICES = [
    ("relevance", _("Best match")),
    ("newest", _("Newest")),
    ("downloads", _("Most downloaded")),
]


class DatasetSearchForm(forms.Form):
    q = forms.CharField(label=_("Search datasets"), required=False, max_length=200)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000, widget=forms.HiddenInput)


ORDER_CHOICES = [("asc", _("Ascending")), ("desc", _("Descending"))]


class PreviewForm(forms.Form):
    """The table preview's sorting and page and the chart's two columns, checked against the
    version's own columns so the row query never sees a column the table lacks."""

    sort = forms.ChoiceField(label=_("Sort by column"), required=False)
    order = forms.ChoiceField(label=_("Order"), required=False, choices=ORDER_CHOICES)
    page = forms.IntegerField(label=_("Page"), required=False, min_value=1)
    label = forms.ChoiceField(label=_("Bar names"), required=False)
    value = forms.ChoiceField(label=_("Bar lengths"), required=False)

    def __init__(self, *args, columns: list[str], numeric: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sort"].choices = [("", "")] + [(name, name) for name in columns]
        self.fields["label"].choices = [(name, name) for name in columns]
        self.fields["value"].choices = [(name, name) for name in numeric]


class ContactConsentForm(forms.Form):
    """Contact details kept only with explicit consent, exactly as the 민원 report form asks."""

    contact_name = ReportForm.base_fields["contact_name"]
    contact_phone = ReportForm.base_fields["contact_phone"]
    contact_email = ReportForm.base_fields["contact_email"]
    consent = ReportForm.base_fields["consent"]

    CONTACT_FIELDS = ("contact_name", "contact_phone", "contact_email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_name"].widget.attrs["autocomplete"] = "name"

    def clean(self) -> dict:
        data = super().clean()
        if any(data.get(name) for name in self.CONTACT_FIELDS) and not data.get("consent"):
            self.add_error("consent", _("Contact details can be kept only with your consent to the purpose shown."))
        return data

    def contact(self) -> complaint_services.Contact | None:
        data = self.cleaned_data
        if not data.get("consent") or not any(data.get(name) for name in self.CONTACT_FIELDS):
            return None
        return complaint_services.Contact(
            name=data["contact_name"],
            phone=data["contact_phone"],
            email=data["contact_email"],
            consented=True,
        )

    def add_service_error(self, error: complaint_services.ComplaintError) -> None:
        field = "consent" if (error.code or "").startswith("consent") else None
        self.add_error(field, error)


class DataRequestForm(ContactConsentForm):
    wanted = forms.CharField(
        label=_("What data do you need?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("e.g. 의정부시 공영주차장별 시간대 이용률, by month since 2022."),
    )
    purpose = forms.CharField(
        label=_("What will you use it for?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional. It helps the department decide what to publish first."),
    )
    field_order = ["wanted", "purpose", *ContactConsentForm.CONTACT_FIELDS, "consent"]

    def description(self) -> str:
        lines = [_("[Dataset request] %(wanted)s") % {"wanted": self.cleaned_data["wanted"]}]
        if self.cleaned_data["purpose"]:
            lines.append(_("Use: %(purpose)s") % {"purpose": self.cleaned_data["purpose"]})
        return _within_limit("\n\n".join(lines))


class DataErrorForm(ContactConsentForm):
    resource = forms.ChoiceField(label=_("Which file?"), required=False)
    location = forms.CharField(
        label=_("Where is the error?"),
        required=False,
        max_length=200,
        help_text=_("Optional: the row, the column or the place, e.g. row 12, column 위도."),
    )
    problem = forms.CharField(
        label=_("What is wrong?"),
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Say what the data shows and what is right, if you know it."),
    )
    field_order = ["resource", "location", "problem", *ContactConsentForm.CONTACT_FIELDS, "consent"]

    def __init__(self, *args, dataset: Dataset, dataset_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.dataset = dataset
        self.dataset_url = dataset_url
        self.resources = {str(resource.pk): resource for resource in dataset.resources.all()}
        self.fields["resource"].choices = [
            ("", _("Not sure / the whole dataset")),
            *((key, f"{resource.name} ({resource.format})") for key, resource in self.resources.items()),
        ]

    def description(self) -> str:
        data = self.cleaned_data
        resource: Resource | None = self.resources.get(data["resource"])
        lines = [_("[Data error] %(title)s (%(url)s)") % {"title": self.dataset.title, "url": self.dataset_url}]
        if resource is not None:
            lines.append(
                _("File: %(name)s (%(format)s, %(id)s)")
                % {"name": resource.name, "format": resource.format, "id": resource.pk}
            )
        if data["location"]:
            lines.append(_("Where: %(location)s") % {"location": data["location"]})
        lines.append(data["problem"])
        return _within_limit("\n".join(lines))


def cleaned_or_default(form: forms.Form, name: str, default: object) -> object:
    """A bound form's cleaned value, or the default when the value is missing or wrong (the form
    keeps the error to show)."""
    if not form.is_valid() and name in form.errors:
        return default
    return form.cleaned_data.get(name) or default


def _within_limit(description: str) -> str:
    """The case description the service accepts; the fields' own limits keep it well inside."""
    return description[: complaint_services.DESCRIPTION_MAX_LENGTH]
