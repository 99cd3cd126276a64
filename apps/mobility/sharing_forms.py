"""The forms of the resident-priority sharing pages. They only read what was typed; every rule
(times on the half hour, inside an offered time, not taken, consent given) is the service's, and
its refusal is shown on the field it concerns (SharingForm.add_refusal)."""

from datetime import UTC, date, datetime, time, timedelta

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.common.query_forms import CanonicalQueryForm
from apps.mobility.fees import SEOUL
from apps.mobility.selectors import city_car_parks
from apps.mobility.sharing_services import CONSENT_PURPOSE, SharingRefused
from apps.municipalities.models import Municipality

# Names, phones and plates are one line of text: no control characters (tab and line breaks too).
ONE_LINE = RegexValidator(r"^[^\x00-\x1f\x7f]*$", _("Use one line of plain text."))
PHONE = RegexValidator(r"^\+?[0-9][0-9 -]{6,18}[0-9]$", _("Enter a phone number such as 010-1234-5678."))
PLATE = RegexValidator(r"^[가-힣]{0,3} ?[0-9]{2,3} ?[가-힣] ?[0-9]{4}$", _("Enter a licence plate such as 12가3456."))
HALF_HOUR_SECONDS = 1800
DATETIME_LOCAL_FORMAT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends and shows
# The longest stay the finder asks about; a longer one is booked on the space's own page.
MAX_FINDER_HOURS = 12
# Which field a service refusal is shown on; the others are about the request as a whole.
REFUSAL_FIELDS = {"consent": "consent", "granularity": "starts_at", "order": "ends_at", "horizon": "starts_at"}


def _datetime_widget() -> forms.DateTimeInput:
    return forms.DateTimeInput(
        attrs={"type": "datetime-local", "step": HALF_HOUR_SECONDS}, format=DATETIME_LOCAL_FORMAT
    )


class SeoulDateTimeField(forms.DateTimeField):
    """A moment typed on the page, in Seoul time; a date so far out that it cannot be placed in
    time at all (year 1, year 9999 at midnight) is a typing error, not a question for the service."""

    def __init__(self, **kwargs):
        super().__init__(widget=_datetime_widget(), **kwargs)

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return timezone.make_aware(timezone.make_naive(moment), SEOUL).astimezone(UTC)
        except (OverflowError, ValueError) as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error


class SharingForm(forms.Form):
    def add_refusal(self, refusal: SharingRefused) -> None:
        self.add_error(REFUSAL_FIELDS.get(refusal.code), refusal.message)


class BookingTimeForm(SharingForm):
    starts_at = SeoulDateTimeField(label=_("Parking from"), help_text=_("On the hour or half hour."))
    ends_at = SeoulDateTimeField(label=_("Parking until"))


class BookingRequestForm(BookingTimeForm):
    driver_name = forms.CharField(
        label=_("Name"), max_length=100, validators=[ONE_LINE], widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    driver_phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=30,
        validators=[ONE_LINE, PHONE],
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    licence_plate = forms.CharField(
        label=_("Licence plate"), max_length=20, validators=[ONE_LINE, PLATE], help_text=_("e.g. 12가3456")
    )
    consent = forms.BooleanField(label=_("I agree"), required=False, help_text=CONSENT_PURPOSE)

    def request(self) -> dict:
        """The keyword arguments of sharing_services.booking_request this form stands for."""
        data = self.cleaned_data
        return {
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "driver_name": data["driver_name"],
            "driver_phone": data["driver_phone"],
            "licence_plate": data["licence_plate"],
            "consented": data["consent"],
        }


class SlotOfferForm(BookingTimeForm):
    """The holder's "my space is free from … until …"."""


class ObjectChoiceForm(forms.Form):
    """The id of the offered time or booking an action button of the holder's page is about."""

    id = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)


class FreeSlotFinderForm(CanonicalQueryForm):
    """Where (near a car park everyone knows, or near me) and, if you like, when: the free times
    that hold it, with their fee."""

    query_order = ("from", "near", "day", "start", "hours")

    origin = forms.ChoiceField(label=_("Near"), required=False)
    near = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)
    day = forms.DateField(label=_("Day"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    # "HH:MM" as the address shows it; a time would come back as "HH:MM:SS" and a new address.
    start = forms.ChoiceField(
        label=_("Arriving at"),
        required=False,
        choices=[("", "–")] + [(f"{half // 2:02d}:{half % 2 * 30:02d}",) * 2 for half in range(48)],
    )
    # Kept as the address shows it ("2", "2.5"): a number would come back as "2.0", a new address.
    hours = forms.ChoiceField(label=_("How long"), required=False)

    def __init__(self, *args, municipality: Municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hours"].choices = [("", _("Any duration"))] + [
            (f"{half / 2:g}", gettext("%(hours)s h") % {"hours": f"{half / 2:g}"})
            for half in range(1, MAX_FINDER_HOURS * 2 + 1)
        ]
        landmarks = city_car_parks(municipality).order_by("name_ko")
        self.fields["origin"].choices = [("", _("Anywhere in the city"))] + [
            (car_park.place.code, car_park.name) for car_park in landmarks
        ]
        # "from" is the natural name in the address but a keyword in Python.
        self.fields["from"] = self.fields.pop("origin")

    def origin_code(self) -> str:
        return self.valid_part().get("from") or ""

    def stay(self) -> tuple[datetime, datetime] | None:
        """The time asked about, when day, start and length are all given and make sense."""
        data = self.valid_part()
        day, start, hours = data.get("day"), data.get("start"), data.get("hours")
        if not (isinstance(day, date) and start and hours):
            return None
        try:
            starts_at = datetime.combine(day, time.fromisoformat(start), tzinfo=SEOUL)
            return starts_at, starts_at + timedelta(hours=float(hours))
        except OverflowError:
            return None

    @property
    def chosen(self) -> bool:
        return bool(self.canonical_query())
