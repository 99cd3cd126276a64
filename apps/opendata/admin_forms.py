"""Forms of the open-data admin: a dataset with its resources, and a new file version."""

import json

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm

from apps.municipalities.models import Department
from apps.opendata.models import Dataset, Keyword, Resource


def departments_for_editor(user) -> "forms.QuerySet[Department]":
    departments = Department.objects.select_related("municipality").order_by("name_ko")
    return departments if user is None or user.is_superuser else departments.filter(staff=user)


class DatasetForm(WagtailAdminModelForm):
    """A department's staff choose among their own departments; keywords are typed, comma separated."""

    keyword_names = forms.CharField(
        label=gettext_lazy("Keywords"),
        required=False,
        max_length=600,
        help_text=gettext_lazy("Separate keywords with commas, e.g. 주차장, 교통, 공영주차장."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "department" in self.fields:
            self.fields["department"].queryset = departments_for_editor(self.for_user)
        if self.instance.pk:
            self.initial["keyword_names"] = ", ".join(keyword.name for keyword in self.instance.keywords.all())

    def clean_keyword_names(self) -> list[str]:
        names = []
        for name in self.cleaned_data["keyword_names"].split(","):
            name = name.strip()
            if len(name) > Keyword._meta.get_field("name").max_length:
                raise forms.ValidationError(_("A keyword can be at most 60 characters: %(name)s") % {"name": name})
            if name and name not in names:
                names.append(name)
        return names

    def clean(self):
        cleaned = super().clean()
        department = cleaned.get("department")
        slug = cleaned.get("slug")
        if department and slug:
            # The unique constraint includes the city, which is not on the form: checked here.
            taken = Dataset.objects.filter(municipality=department.municipality, slug=slug).exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error("slug", _("Another dataset of this city already uses this URL name."))
        resources = self.formsets.get("resources")
        if resources is None or not resources.is_valid():
            return cleaned
        for resource_form in resources.forms:
            data = resource_form.cleaned_data
            if not data or data.get("DELETE"):
                continue
            if data.get("kind") == Resource.Kind.API and not data.get("url"):
                resource_form.add_error("url", _("An API link needs the API's address."))
            if data.get("kind") == Resource.Kind.FILE and data.get("format") == Resource.Format.API:
                resource_form.add_error("format", _("A file resource needs a file format, not API."))
        return cleaned

    def save(self, commit=True):
        dataset = self.instance
        if dataset.department_id:
            dataset.municipality = dataset.department.municipality
        dataset.keywords.set(
            [Keyword.objects.get_or_create(name=name)[0] for name in self.cleaned_data["keyword_names"]]
        )
        return super().save(commit=commit)


class VersionUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("A CSV may be in UTF-8 or CP949 (EUC-KR): the encoding is found automatically."),
    )
    note = forms.CharField(
        label=gettext_lazy("What changed"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Shown in the version history, e.g. 2025년 3월 기준으로 갱신."),
    )
    schema = forms.CharField(
        label=gettext_lazy("Table Schema (optional)"),
        required=False,
        max_length=60_000,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "dir": "ltr"}),
        help_text=gettext_lazy(
            'Frictionless Table Schema JSON, e.g. {"fields": [{"name": "면수", "type": "integer"}]}. '
            "Leave empty to infer the column types from the file; with a schema, rows that do not match it "
            "stop the version from being published."
        ),
    )

    def clean_schema(self) -> dict | None:
        text = self.cleaned_data["schema"].strip()
        if not text:
            return None
        try:
            schema = json.loads(text)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                _("This is not valid JSON: %(problem)s (line %(line)s).") % {"problem": error.msg, "line": error.lineno}
            ) from None
        if not isinstance(schema, dict):
            raise forms.ValidationError(_('The schema must be a JSON object with a "fields" list.'))
        return schema
