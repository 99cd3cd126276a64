"""소풍길 and other walks as Wagtail pages: an index of trails (the /trails/ section) and a page per
course with its track, figures and markers.

Languages: each page has its copy per language (Wagtail's translations), with the walker's text
in that language. What does not depend on language (the track and its figures, the markers with
their places) is kept on the Korean page only; translations read it from there (`source`), so a
new GPX or a moved marker is right in every language at once (decision 0027)."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from apps.common.guide_media import AudioError, audio_type, document_audio_check
from apps.common.language import pick_language
from apps.common.query_forms import canonical_redirect
from apps.trails.admin_panels import TrackSummaryPanel
from apps.trails.blocks import PhotoBlock, SeasonBlock
from apps.trails.forms import TrailPageForm
from apps.trails.track import Difficulty

# How long the page cache keeps a trail or marker page that shows the next departures near it.
DEPARTURES_PAGE_SECONDS = 60


class Facility(models.TextChoices):
    TOILET = "toilet", _("Toilet")
    WATER = "water", _("Drinking water")
    SHELTER = "shelter", _("Shelter")
    PARKING = "parking", _("Parking")
    SHOP = "shop", _("Shop")
    AED = "aed", _("Defibrillator (AED)")


class FacilitiesField(models.JSONField):
    """A list of Facility codes, edited as checkboxes."""

    def formfield(self, **kwargs):
        return forms.MultipleChoiceField(
            choices=Facility.choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label=self.verbose_name,
            help_text=self.help_text,
        )


class TrailIndexPage(Page):
    """The trails section (/trails/): every trail under it, with its figures."""

    summary = models.CharField(
        _("summary"), max_length=160, help_text=_("One line shown on the home page and in search results.")
    )
    intro = RichTextField(_("introduction"), features=["bold", "italic", "link", "ul"], blank=True)

    content_panels = Page.content_panels + [FieldPanel("summary"), FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("intro")]

    parent_page_types = ["content.HomePage"]
    subpage_types = ["trails.TrailPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("trail index")

    # The home page draws each section with its icon (static/img/icons.svg).
    icon = "trail"

    def serve(self, request, *args, **kwargs):
        from apps.trails.list_form import TrailListForm

        if redirect := canonical_redirect(request, TrailListForm(request.GET)):
            return redirect
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from apps.trails.list_form import TrailListForm
        from apps.trails.list_selectors import trail_list

        context = super().get_context(request, *args, **kwargs)
        form = TrailListForm(request.GET or None)
        filters = form.filters()
        context.update(form=form, filters=filters, listing=trail_list(self, filters))
        return context


class TrailPage(RoutablePageMixin, Page):
    """One course: the walker's text in this page's language; track, figures and markers on the
    Korean page (see the module's docstring)."""

    class Section(models.TextChoices):
        MAJOR = "major", _("Long course (대구간)")
        MINOR = "minor", _("Short stream-side section (소구간)")

    DIFFICULTIES = [
        (Difficulty.EASY, _("Easy")),
        (Difficulty.MODERATE, _("Moderate")),
        (Difficulty.HARD, _("Hard")),
    ]

    # Written per language.
    summary = models.CharField(_("summary"), max_length=200)
    intro = RichTextField(_("about this trail"), features=["bold", "italic", "link", "ul"], blank=True)
    start_name = models.CharField(_("start"), max_length=100)
    end_name = models.CharField(_("end"), max_length=100)
    getting_there = models.TextField(
        _("getting there and back"),
        max_length=1000,
        blank=True,
        help_text=_("The nearest station or bus stop at the start and at the end."),
    )

    # The same in every language: read from the Korean page.
    course_number = models.PositiveSmallIntegerField(_("course number"), null=True, blank=True)
    section = models.CharField(_("section"), max_length=10, choices=Section.choices, default=Section.MAJOR)
    official_distance_km = models.DecimalField(
        _("published length (km)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("The length the city publishes for the course; the track's own length is measured."),
    )
    # [[latitude, longitude, elevation or null, metres from start, walking minutes from start], ...]
    track = models.JSONField(_("track"), default=list, blank=True, editable=False)
    track_is_approximate = models.BooleanField(
        _("track is approximate"),
        default=False,
        editable=False,
        help_text=_("Generated between the named points, not walked: shown as approximate until a GPX is uploaded."),
    )
    track_updated_at = models.DateTimeField(_("track updated"), null=True, blank=True, editable=False)
    distance_m = models.FloatField(_("distance (m)"), null=True, blank=True, editable=False)
    ascent_m = models.FloatField(_("total ascent (m)"), null=True, blank=True, editable=False)
    descent_m = models.FloatField(_("total descent (m)"), null=True, blank=True, editable=False)
    highest_m = models.FloatField(_("highest point (m)"), null=True, blank=True, editable=False)
    walking_minutes = models.FloatField(_("walking time (min)"), null=True, blank=True, editable=False)
    kcal = models.FloatField(_("energy (kcal)"), null=True, blank=True, editable=False)
    difficulty = models.CharField(_("difficulty"), max_length=10, choices=DIFFICULTIES, blank=True, editable=False)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("intro"),
        FieldRowPanel([FieldPanel("start_name"), FieldPanel("end_name")]),
        FieldPanel("getting_there"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("intro"),
        index.SearchField("start_name"),
        index.SearchField("end_name"),
    ]

    track_panels = [
        FieldRowPanel([FieldPanel("course_number"), FieldPanel("section"), FieldPanel("official_distance_km")]),
        MultiFieldPanel([TrackSummaryPanel(), FieldPanel("gpx_file")], heading=_("Track")),
        InlinePanel("markers", heading=_("Markers"), label=_("marker")),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(track_panels, heading=_("Track and markers")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )
    base_form_class = TrailPageForm

    parent_page_types = ["trails.TrailIndexPage"]
    subpage_types = []
    # Markers and their places belong to the Korean page; a copy (or a translation) starts without.
    exclude_fields_in_copy = ["markers"]

    class Meta:
        verbose_name = _("trail")

    # --- language-independent data -------------------------------------------------------------

    @property
    def source(self) -> "TrailPage":
        """The Korean page, which holds the track and the markers for every language."""
        if self.locale.language_code == settings.LANGUAGE_CODE:
            return self
        korean = TrailPage.objects.filter(
            translation_key=self.translation_key, locale__language_code=settings.LANGUAGE_CODE
        ).first()
        return korean or self

    def localized_for(self, language_code: str) -> "TrailPage":
        """This trail's live page in that language; English for the tourist languages it has not
        been translated into, then Korean (as pick_language does for records)."""
        wanted = [language_code] if language_code in ("ko", "en") else [language_code, "en"]
        pages = {
            page.locale.language_code: page
            for page in TrailPage.objects.live()
            .filter(translation_key=self.translation_key, locale__language_code__in=wanted)
            .select_related("locale")
        }
        return next((pages[code] for code in wanted if code in pages), self.source)

    # --- apps.places.models.PlaceOwner ---------------------------------------------------------

    def place_url(self, place, language_code: str) -> str | None:
        source = self.source
        if not source.live or not source.markers.filter(place=place).exists():
            return None
        page = source.localized_for(language_code)
        return page.url + page.reverse_subpage("marker", args=[place.code])

    def place_parent(self, language_code: str) -> tuple[str, str] | None:
        page = self.source.localized_for(language_code)
        if page.live:
            return page.title, page.url
        parent = page.get_parent().localized
        return (parent.title, parent.url) if parent.live else None

    def get_context(self, request, *args, **kwargs):
        from apps.trails import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.trail_page_context(self))
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        # A page that prints the next departures is kept by the page cache a minute at most.
        shown = getattr(response, "context_data", None) or {}
        if shown.get("departures") or any(end.departures for end in shown.get("ends", [])):
            response.page_cache_seconds = DEPARTURES_PAGE_SECONDS
        return response

    # --- routes --------------------------------------------------------------------------------

    @path("markers/<str:code>/", name="marker")
    def marker(self, request, code: str):
        from apps.trails import selectors

        context = selectors.marker_page_context(self, code)
        if context is None:
            raise Http404("no marker with this code on this trail")
        return TemplateResponse(request, "trails/marker_page.html", {"page": self, **context})

    @path("gpx/", name="gpx")
    def gpx(self, request):
        from apps.trails import selectors

        document = selectors.trail_gpx(self)
        if document is None:
            raise Http404("this trail has no track yet")
        response = HttpResponse(document, content_type="application/gpx+xml; charset=utf-8")
        filename = slugify(self.source.slug) or f"trail-{self.source.pk}"
        response["Content-Disposition"] = f'attachment; filename="{filename}.gpx"'
        return response

    @property
    def difficulty_label(self) -> str:
        return dict(self.DIFFICULTIES).get(self.difficulty, "")


class TrailMarker(Orderable):
    """A numbered post along a trail. Its place gives it the permanent /t/<code> URL and the QR
    code; renaming or moving the marker keeps both."""

    page = ParentalKey(TrailPage, on_delete=models.CASCADE, related_name="markers")
    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("place"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name_ko = models.CharField(_("name (Korean)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=150)
    text_ko = models.TextField(_("text (Korean)"), max_length=500, blank=True)
    text_en = models.TextField(_("text (English)"), max_length=500, blank=True)
    # Walker-facing only: tourists read these where given, else the English.
    name_ja = models.CharField(_("name (Japanese)"), max_length=150, blank=True)
    name_zh_hans = models.CharField(_("name (Chinese)"), max_length=150, blank=True)
    text_ja = models.TextField(_("text (Japanese)"), max_length=500, blank=True)
    text_zh_hans = models.TextField(_("text (Chinese)"), max_length=500, blank=True)
    photos = StreamField([("photo", PhotoBlock())], verbose_name=_("photos"), blank=True, max_num=4)
    audio = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("audio guide"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("An MP3 or M4A file from the documents, at most 20 MB. It needs a transcript."),
    )
    # The transcript is the audio's accessible alternative: required with it, in Korean at least.
    transcript_ko = models.TextField(_("transcript (Korean)"), max_length=5000, blank=True)
    transcript_en = models.TextField(_("transcript (English)"), max_length=5000, blank=True)
    transcript_ja = models.TextField(_("transcript (Japanese)"), max_length=5000, blank=True)
    transcript_zh_hans = models.TextField(_("transcript (Chinese)"), max_length=5000, blank=True)
    ecology = StreamField(
        [("season", SeasonBlock())],
        verbose_name=_("ecology by season"),
        blank=True,
        max_num=4,
        help_text=_("What flowers and which birds a walker meets here, season by season."),
    )
    latitude = models.FloatField(_("latitude"), help_text=_("Moved onto the track when the page is saved."))
    longitude = models.FloatField(_("longitude"))
    along_m = models.FloatField(_("distance from the start (m)"), default=0, editable=False)
    minutes_from_start = models.FloatField(_("walking minutes from the start"), default=0, editable=False)
    is_stamp_point = models.BooleanField(_("stamp point"), default=False)
    facilities = FacilitiesField(_("facilities nearby"), default=list, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("number"), FieldPanel("is_stamp_point")]),
        FieldRowPanel([FieldPanel("name_ko"), FieldPanel("name_en")]),
        FieldRowPanel([FieldPanel("text_ko"), FieldPanel("text_en")]),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("name_ja"), FieldPanel("name_zh_hans")]),
                FieldRowPanel([FieldPanel("text_ja"), FieldPanel("text_zh_hans")]),
            ],
            heading=_("Japanese and Chinese"),
            classname="collapsed",
        ),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
        FieldPanel("facilities"),
        FieldPanel("photos"),
        MultiFieldPanel(
            [
                FieldPanel("audio"),
                FieldRowPanel([FieldPanel("transcript_ko"), FieldPanel("transcript_en")]),
                FieldRowPanel([FieldPanel("transcript_ja"), FieldPanel("transcript_zh_hans")]),
            ],
            heading=_("Audio guide"),
        ),
        FieldPanel("ecology"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("trail marker")
        verbose_name_plural = _("trail markers")

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.audio_id:
            try:
                document_audio_check(self.audio)
            except AudioError as error:
                errors["audio"] = error.message
            if not self.transcript_ko.strip():
                errors["transcript_ko"] = _(
                    "An audio guide needs its transcript: walkers who cannot hear it read it instead."
                )
        if errors:
            raise ValidationError(errors)

    @property
    def name(self) -> str:
        return pick_language(self.name_ko, self.name_en, ja=self.name_ja, zh_hans=self.name_zh_hans)

    @property
    def text(self) -> str:
        return pick_language(self.text_ko, self.text_en, ja=self.text_ja, zh_hans=self.text_zh_hans)

    @property
    def transcript(self) -> str:
        return pick_language(
            self.transcript_ko, self.transcript_en, ja=self.transcript_ja, zh_hans=self.transcript_zh_hans
        )

    @property
    def audio_type(self) -> str:
        """The audio's MIME type for the player (the file passed audio_check when it was chosen)."""
        return audio_type(self.audio)

    @property
    def facility_labels(self) -> list[str]:
        labels = dict(Facility.choices)
        return [labels[code] for code in self.facilities if code in labels]
