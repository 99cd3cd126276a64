"""The trails list's filters and "how much time do you have, where are you", as a GET form that
works without JavaScript. Its canonical query string (valid values only, in a fixed order, the
location rounded to about 100 m) is the page's address, so the page cache keeps few variants."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.common.query_forms import CanonicalQueryForm
from apps.trails import transit
from apps.trails.list_selectors import TrailFilters
from apps.trails.track import Difficulty


class TrailListForm(CanonicalQueryForm):
    query_order = ("time", "from", "near", "length", "difficulty", "season")

    time = forms.TypedChoiceField(
        label=_("How much time do you have?"),
        choices=[
            ("", _("Any time")),
            ("60", _("Up to 1 hour")),
            ("120", _("Up to 2 hours")),
            ("180", _("Up to 3 hours")),
            ("240", _("Up to 4 hours")),
            ("360", _("Up to 6 hours")),
        ],
        coerce=int,
        empty_value=None,
        required=False,
    )
    length = forms.ChoiceField(
        label=_("Length"),
        choices=[
            ("", _("Any length")),
            ("short", _("Up to 5 km")),
            ("medium", _("5 to 10 km")),
            ("long", _("Over 10 km")),
        ],
        required=False,
    )
    difficulty = forms.ChoiceField(
        label=_("Difficulty"),
        choices=[
            ("", _("Any difficulty")),
            (Difficulty.EASY, _("Easy")),
            (Difficulty.MODERATE, _("Moderate")),
            (Difficulty.HARD, _("Hard")),
        ],
        required=False,
    )
    season = forms.BooleanField(
        label=_("This season's highlights"), required=False, widget=forms.CheckboxInput(attrs={"value": "1"})
    )
    near = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)
    origin = forms.ChoiceField(label=_("Where are you?"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["origin"].choices = [("", _("Not given"))] + [
            (station.code, station.stop.name) for station in transit.stations()
        ]
        # "from" is the natural name in the address but a keyword in Python.
        self.fields["from"] = self.fields.pop("origin")

    def filters(self) -> TrailFilters:
        """What was asked, leaving out anything not understood."""
        data = self.valid_part()
        near = data.get("near")
        station = transit.station(data.get("from") or "")
        if near:
            origin, origin_name = near, ""
        elif station:
            origin, origin_name = (station.stop.latitude, station.stop.longitude), station.stop.name
        else:
            origin, origin_name = None, ""
        return TrailFilters(
            max_minutes=data.get("time"),
            length=data.get("length") or "",
            difficulty=data.get("difficulty") or "",
            season_highlights=bool(data.get("season")),
            origin=origin,
            origin_name=origin_name,
        )
