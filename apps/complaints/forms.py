"""Forms of the resident pages. They check what a person can fix on the page; the services check
everything again before anything is written."""

import json
from dataclasses import dataclass
from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import RegexValidator
from django.db.models import F, Value
from django.db.models.functions import Coalesce, NullIf
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from apps.common.language import pick_language
from apps.common.masking import mask_personal_data
from apps.common.photos import MAX_PHOTO_BYTES
from apps.complaints import selectors, services
from apps.complaints.models import Category, CategoryQuestion, Complaint
from apps.complaints.photos import MAX_PHOTOS
from apps.complaints.services import CONSENT_PURPOSE
from apps.municipalities.models import Municipality
from apps.municipalities.selectors import dong_in_text, dong_list

DATETIME_INPUT_FORMAT = "%Y-%m-%dT%H:%M"


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several pictures from one input; the count and the size are checked here, the content by
    the service."""

    widget = MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"})

    def clean(self, data, initial=None) -> list[UploadedFile]:
        clean_one = super().clean
        files = [clean_one(file) for file in (data if isinstance(data, list | tuple) else [data]) if file]
        if len(files) > MAX_PHOTOS:
            raise ValidationError(_("Up to %(limit)s photos per report.") % {"limit": MAX_PHOTOS}, code="photo_count")
        for file in files:
            if file.size > MAX_PHOTO_BYTES:
                raise ValidationError(
                    _("%(name)s is larger than %(limit)s.")
                    % {"name": file.name, "limit": filesizeformat(MAX_PHOTO_BYTES)},
                    code="photo_too_large",
                )
        return files


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, category: Category) -> str:
        return category.name


def _choice_name(choice: dict[str, str]) -> str:
    return pick_language(choice["name_ko"], choice.get("name_en", ""))


def question_field(question: CategoryQuestion) -> forms.Field:
    """A form field for one of a category's extra questions. Never required by itself: a question
    is required only when its category is the one chosen (see ReportForm.clean)."""
    label = question.description
    choices = [(choice["key"], _choice_name(choice)) for choice in question.values]
    match question.datatype:
        case CategoryQuestion.Datatype.NUMBER:
            return forms.FloatField(label=label, required=False)
        case CategoryQuestion.Datatype.TEXT:
            return forms.CharField(
                label=label, required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
            )
        case CategoryQuestion.Datatype.DATETIME:
            return forms.DateTimeField(
                label=label,
                required=False,
                input_formats=[DATETIME_INPUT_FORMAT],
                widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT_FORMAT),
            )
        case CategoryQuestion.Datatype.SINGLE:
            return forms.ChoiceField(label=label, required=False, choices=choices, widget=forms.RadioSelect)
        case CategoryQuestion.Datatype.MULTI:
            return forms.MultipleChoiceField(
                label=label, required=False, choices=choices, widget=forms.CheckboxSelectMultiple
            )
    return forms.CharField(label=label, required=False, max_length=200)


def _answer(value: object) -> object:
    """An answer as stored in the case's attributes (JSON)."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


@dataclass(frozen=True)
class QuestionGroup:
    category: Category
    fields: list[tuple[forms.BoundField, bool]]  # with whether the question must be answered


@dataclass(frozen=True)
class ReportPreview:
    """What the public will see of the report once it is filed."""

    description: str  # masked as every public page masks it
    category: Category
    point: tuple[float, float] | None  # rounded as public pages round it
    dong: str
    photo_count: int
    is_public: bool
    digest: str  # proves the report sent is the one previewed


def _name_order(language: str) -> list:
    """Categories in the order of the name a reader of this language sees (Category.name)."""
    column = {"ja": "name_ja", "zh-hans": "name_zh_hans"}.get(language)
    english = F("name_en")
    return [Coalesce(NullIf(F(column), Value("")), english) if column else english]


class ReportForm(forms.Form):
    description = forms.CharField(
        label=_("What is the problem?"),
        max_length=services.DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Say what is wrong and where. Phone numbers and licence plates are hidden on public pages."),
    )
    category = CategoryChoiceField(
        label=_("Category"), queryset=Category.objects.none(), to_field_name="code", empty_label=_("Choose a category")
    )
    latitude = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    longitude = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    address = forms.CharField(
        label=_("Address or place"),
        required=False,
        max_length=300,
        help_text=_("e.g. 의정부역 2번 출구 앞, 시민로 1. Seen only by the city's staff."),
    )
    dong = forms.ChoiceField(label=_("Neighbourhood (행정동)"), required=False)
    photos = PhotosField(
        label=_("Choose photos"),
        required=False,
        help_text=_("Up to 5 pictures, 10 MB each. Location and camera details are removed from them."),
    )
    contact_name = forms.CharField(label=_("Name"), required=False, max_length=100)
    contact_phone = forms.CharField(
        label=_("Mobile phone"),
        required=False,
        max_length=30,
        validators=[RegexValidator(r"^\+?[0-9][0-9 -]{6,18}[0-9]$", _("Enter a phone number such as 010-1234-5678."))],
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    contact_email = forms.EmailField(
        label=_("Email"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    consent = forms.BooleanField(label=_("I agree"), required=False, help_text=CONSENT_PURPOSE)
    # The number of photos chosen, sent by the page's script when it asks for a preview without them.
    photo_count = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    preview_digest = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, municipality: Municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        categories = selectors.category_list(municipality=municipality)
        if translation.get_language() != "ko":
            categories = categories.order_by(*_name_order(translation.get_language()))
        self.fields["category"].queryset = categories
        self.fields["contact_name"].widget.attrs["autocomplete"] = "name"
        self.fields["dong"].choices = [
            ("", _("Not sure")),
            *((d.name_ko, d.name) for d in dong_list(municipality=municipality)),
        ]
        self.questions: dict[str, list[tuple[CategoryQuestion, str]]] = {}
        self._question_categories: dict[str, Category] = {}
        for question in selectors.category_question_list(municipality=municipality).select_related("category"):
            name = f"q__{question.category.code}__{question.code}"
            self.fields[name] = question_field(question)
            self.questions.setdefault(question.category.code, []).append((question, name))
            self._question_categories[question.category.code] = question.category

    @property
    def question_groups(self) -> list[QuestionGroup]:
        return [
            QuestionGroup(
                category=self._question_categories[code],
                fields=[(self[name], question.required) for question, name in questions],
            )
            for code, questions in self.questions.items()
        ]

    def clean(self) -> dict:
        data = super().clean()
        category = data.get("category")
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("address", _("A location needs both latitude and longitude."))
        elif category and category.needs_location and data.get("latitude") is None and not data.get("address"):
            self.add_error("address", _("Please mark where the problem is."))
        if category:
            for question, name in self.questions.get(category.code, []):
                if question.required and data.get(name) in (None, "", []):
                    self.add_error(name, _("Please answer this question."))
        contact_given = any(data.get(name) for name in ("contact_name", "contact_phone", "contact_email"))
        if contact_given and not data.get("consent"):
            self.add_error("consent", _("Contact details can be kept only with your consent to the purpose shown."))
        return data

    def attributes(self) -> dict[str, object]:
        """The chosen category's answers, by question code."""
        category = self.cleaned_data["category"]
        answers = {
            question.code: _answer(self.cleaned_data.get(name))
            for question, name in self.questions.get(category.code, [])
        }
        return {code: value for code, value in answers.items() if value not in (None, "", [])}

    def contact(self) -> services.Contact | None:
        """Contact details only with consent; the service keeps them with the purpose shown on the page."""
        data = self.cleaned_data
        if not data.get("consent") or not any(
            data[name] for name in ("contact_name", "contact_phone", "contact_email")
        ):
            return None
        return services.Contact(
            name=self.cleaned_data["contact_name"],
            phone=self.cleaned_data["contact_phone"],
            email=self.cleaned_data["contact_email"],
            consented=True,
        )

    def submission(self) -> dict[str, object]:
        """The keyword arguments of services.complaint_submit this form stands for."""
        data = self.cleaned_data
        return {
            "category": data["category"],
            "description": data["description"],
            "latitude": data["latitude"],
            "longitude": data["longitude"],
            "address": data["address"],
            "dong": data["dong"],
            "attributes": self.attributes(),
            "contact": self.contact(),
            "photo_uploads": data["photos"],
        }

    def preview(self) -> ReportPreview:
        data = self.cleaned_data
        point = selectors.public_point(data["latitude"], data["longitude"])
        description = mask_personal_data(data["description"])
        # The service finds the dong in the address when none is chosen; public pages show it.
        named = None if data["dong"] else dong_in_text(municipality=self.municipality, text=data["address"])
        dong = named.name_ko if named else data["dong"]
        public = json.dumps([description, data["category"].code, point, dong], ensure_ascii=False)
        photo_count = len(data.get("photos") or []) or data.get("photo_count") or 0
        return ReportPreview(
            description=description,
            category=data["category"],
            point=point,
            dong=str(dict(self.fields["dong"].choices).get(dong, "")),
            photo_count=min(photo_count, MAX_PHOTOS),
            is_public=data["category"].public_by_default,
            digest=salted_hmac("apps.complaints.report-preview", public).hexdigest(),
        )

    def matches(self, preview: ReportPreview) -> bool:
        """Whether the resident saw this preview before sending: the public part of exactly this report."""
        return self.cleaned_data.get("preview_digest") == preview.digest

    def add_service_error(self, error: services.ComplaintError) -> None:
        """Put a service's refusal next to the field it is about."""
        field = SERVICE_ERROR_FIELDS.get((error.code or "").split("_")[0])
        self.add_error(field, error)


# ComplaintError codes start with what they are about: photo_too_large, location_missing...
SERVICE_ERROR_FIELDS = {
    "description": "description",
    "category": "category",
    "location": "address",
    "dong": "dong",
    "photo": "photos",
    "consent": "consent",
}


class TrackForm(forms.Form):
    number = forms.CharField(
        label=_("Case number"), max_length=20, help_text=_("e.g. 2026-000123"), widget=forms.TextInput()
    )
    token = forms.CharField(
        label=_("Tracking code"),
        max_length=500,
        help_text=_("The code in the tracking link you got when you sent the report. You can paste the whole link."),
    )

    def clean_number(self) -> str:
        return self.cleaned_data["number"].strip()

    def clean_token(self) -> str:
        """The code itself, also when the whole tracking link was pasted."""
        token = self.cleaned_data["token"].strip()
        if "token=" in token:
            token = token.split("token=", 1)[1].split("&", 1)[0].split("#", 1)[0]
        return token


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why should the case be reopened?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )


RATING_CHOICES = [
    (5, _("5 – very satisfied")),
    (4, _("4 – satisfied")),
    (3, _("3 – neither satisfied nor dissatisfied")),
    (2, _("2 – dissatisfied")),
    (1, _("1 – very dissatisfied")),
]


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you with the answer?"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class PublicCaseFilterForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Complaint.Status.choices]
    )

    def __init__(self, *args, municipality: Municipality, **kwargs):
        super().__init__(*args, **kwargs)
        public = selectors.category_list(municipality=municipality).filter(public_by_default=True)
        self.fields["category"].choices = [("", _("All categories")), *((c.code, c.name) for c in public)]
