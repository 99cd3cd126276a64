"""The contribution form (a photo or a story) and the moderators' decision form. The rules are the
services' (apps/archive/contributions.py); these only read what was sent."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.archive.contributions import CONSENT_PURPOSE, ContributionText
from apps.archive.models import Contribution
from apps.common.photos import MAX_PHOTO_BYTES


class ContributionTextForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    story = forms.CharField(
        label=_("Your story"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What does it show, who is in it, what do you remember?"),
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_("JPEG, PNG or WebP, up to 10 MB. Its camera data (place, device) is removed."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )
    date_text = forms.CharField(
        label=_("When"), required=False, max_length=100, help_text=_("e.g. 1975년, 1970년대, 1980년경")
    )
    place_text = forms.CharField(label=_("Where"), required=False, max_length=200, help_text=_("e.g. 의정부역 앞"))
    latitude = forms.FloatField(required=False, widget=forms.HiddenInput)
    longitude = forms.FloatField(required=False, widget=forms.HiddenInput)

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and photo.size > MAX_PHOTO_BYTES:
            raise forms.ValidationError(_("The photo is larger than 10 MB."))
        return photo

    def text(self) -> ContributionText:
        data = self.cleaned_data
        return ContributionText(
            title=data["title"],
            story=data["story"],
            date_text=data["date_text"],
            place_text=data["place_text"],
            latitude=data["latitude"],
            longitude=data["longitude"],
        )


class ContributionForm(ContributionTextForm):
    licence = forms.ChoiceField(
        label=_("Others may use it under"),
        choices=Contribution.Grant.choices,
        initial=Contribution.Grant.CC_BY,
        widget=forms.RadioSelect,
    )
    credit = forms.CharField(label=_("Credit me as"), max_length=100, help_text=_("Shown with your contribution."))
    contact_name = forms.CharField(label=_("Your name (private)"), required=False, max_length=100)
    contact_email = forms.EmailField(label=_("Your email (private)"), required=False)
    consent = forms.BooleanField(label=_("I agree"), required=False, help_text=CONSENT_PURPOSE)


class DecisionForm(forms.Form):
    """A moderator's decision on a waiting contribution."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve and publish")), ("changes", _("Ask for changes")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the contributor"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed to ask for changes or to refuse: the contributor reads it on their tracking page."),
    )
