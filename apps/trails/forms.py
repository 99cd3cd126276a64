"""The trail editor's form: a GPX upload read before anything is saved (a bad file changes nothing
and says why, in the editor's language), and markers checked against the track."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from apps.places import spatial
from apps.trails.gpx import GPX_MAX_BYTES, GpxError, gpx_size_check, parse_gpx
from apps.trails.track import Point

# A marker farther than this from the track is a typing mistake, not a post beside the path.
MARKER_MAX_OFFSET_M = 150


class TrailPageForm(WagtailAdminPageForm):
    gpx_file = forms.FileField(
        label=_("GPX file"),
        required=False,
        help_text=_(
            "A recorded track (.gpx, at most %(limit)s MB). It replaces the current track once the page is saved; "
            "a file that cannot be read changes nothing."
        )
        % {"limit": GPX_MAX_BYTES // 1024 // 1024},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.track_points: list[Point] | None = None

    @property
    def _is_translation(self) -> bool:
        page = self.instance
        return page.pk is not None and page.source.pk != page.pk

    def clean(self):
        cleaned_data = super().clean()
        upload = cleaned_data.get("gpx_file")
        if upload and self._is_translation:
            self.add_error("gpx_file", _("Upload the GPX on the Korean page; its translations use that track."))
        elif upload:
            try:
                gpx_size_check(upload.size)
                self.track_points = parse_gpx(upload.read())
            except GpxError as error:
                self.add_error("gpx_file", error.message)
        self._check_markers()
        return cleaned_data

    def _check_markers(self) -> None:
        formset = self.formsets.get("markers")
        if formset is None or not formset.is_bound:
            return
        formset.is_valid()  # cleans the marker forms, which the page form's own clean runs before
        live_forms = [
            form
            for form in formset.forms
            if hasattr(form, "cleaned_data") and form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if self._is_translation and live_forms:
            self.add_error(
                None, _("Markers are edited on the Korean page; its translations show them in every language.")
            )
            return
        line = self._line()
        numbers: set[int] = set()
        for form in live_forms:
            number = form.cleaned_data.get("number")
            if number in numbers:
                form.add_error("number", _("Another marker of this trail has this number."))
            numbers.add(number)
            latitude, longitude = form.cleaned_data.get("latitude"), form.cleaned_data.get("longitude")
            if line and latitude is not None and longitude is not None:
                offset = spatial.snap_to_line(line, latitude, longitude).offset_m
                if offset > MARKER_MAX_OFFSET_M:
                    form.add_error(
                        "latitude",
                        _("This position is %(distance)s m from the track; a marker must be within %(limit)s m of it.")
                        % {"distance": round(offset), "limit": MARKER_MAX_OFFSET_M},
                    )

    def _line(self) -> list[tuple[float, float]]:
        if self.track_points is not None:
            return [(point.latitude, point.longitude) for point in self.track_points]
        source = self.instance.source if self.instance.pk else self.instance
        return [(row[0], row[1]) for row in source.track]

    def save(self, commit=True):
        from apps.trails import services

        page = super().save(commit=False)
        if self.track_points is not None:
            services.trail_track_set(page, self.track_points, approximate=False)
        if not self._is_translation:
            services.trail_markers_prepare(page, site_page=page if page.pk else self.parent_page)
        if commit:
            page.save()
        return page
