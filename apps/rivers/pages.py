"""The river guide as Wagtail pages under the 하천 가이드 section: a page per river (the editor's text
above the river's live state), its points (facilities, ecology spots, history spots along 중랑천
and 부용천) and walking courses. Each point is a place (a permanent /t/<code> QR URL), may carry
species cards and a 3D model shown with <model-viewer> (AR on phones that can), and gives way to the
safety notice while its river's walkway is closed."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Page
from wagtail.search import index

from apps.common.guide_media import GuideFileError, audio_type, document_audio_check, document_model_check


class RiverPage(Page):
    """A river's page: what the editor writes about it (its course, ecology, facilities, history),
    then its live state as the river page shows it (walkway, entrances, water levels, fine dust, its
    guide points). One per river in each language; the translations share the river."""

    river = models.ForeignKey("rivers.River", verbose_name=_("river"), on_delete=models.PROTECT, related_name="+")
    summary = models.CharField(
        _("summary"), max_length=160, help_text=_("One line under the title and on the 하천 가이드 page.")
    )
    body = RichTextField(
        _("about the river"), blank=True, features=["h2", "h3", "bold", "italic", "link", "ol", "ul", "image"]
    )
    illustrative = models.BooleanField(_("illustrative"), default=False, help_text=_("Says so on the page."))

    content_panels = Page.content_panels + [
        FieldPanel("river"),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("illustrative"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["content.SectionPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("river page")
        verbose_name_plural = _("river pages")

    def clean(self) -> None:
        super().clean()
        others = RiverPage.objects.filter(river_id=self.river_id, locale_id=self.locale_id).exclude(pk=self.pk)
        if self.river_id and others.exists():
            raise ValidationError({"river": _("This river has a page in this language already.")})

    def serve(self, request, *args, **kwargs):
        from apps.rivers.views import river_page_response

        return river_page_response(request, self.river, page=self)


class SpeciesBlock(blocks.StructBlock):
    """A species to look for at the spot, from the city's 생태도감."""

    name_ko = blocks.CharBlock(label=_("name (Korean)"), max_length=80)
    name_en = blocks.CharBlock(label=_("name (English)"), max_length=120, required=False)
    scientific_name = blocks.CharBlock(label=_("scientific name"), max_length=120, required=False)
    season = blocks.CharBlock(label=_("when to see it"), max_length=80, required=False)
    photo = ImageChooserBlock(label=_("photo"), required=False)
    how_to_recognise = blocks.TextBlock(label=_("how to recognise it"), required=False)

    class Meta:
        icon = "pick"
        label = _("Species")
        template = "rivers/blocks/species.html"


class PhotoBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("photo"))
    alt_ko = blocks.CharBlock(label=_("what it shows (Korean)"), max_length=200)
    alt_en = blocks.CharBlock(label=_("what it shows (English)"), max_length=200, required=False)

    class Meta:
        icon = "image"
        label = _("Photo")
        template = "rivers/blocks/photo.html"


class RiverPointPage(Page):
    class Kind(models.TextChoices):
        FACILITY = "facility", _("Facility")
        ECOLOGY = "ecology", _("Ecology spot")
        HISTORY = "history", _("History spot")

    river = models.ForeignKey("rivers.River", verbose_name=_("river"), on_delete=models.PROTECT, related_name="points")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ECOLOGY)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    # Lit by a smart pole at night: only lit points make a night course.
    lit = models.BooleanField(_("lit at night"), default=False)
    place = models.OneToOneField(
        "places.Place", verbose_name=_("place"), null=True, blank=True, editable=False, on_delete=models.PROTECT
    )
    intro = models.TextField(_("introduction"), blank=True)
    photos = StreamField([("photo", PhotoBlock())], verbose_name=_("photos"), blank=True)
    audio = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("audio guide (MP3 or M4A)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    transcript = models.TextField(_("transcript of the audio guide"), blank=True)
    species = StreamField([("species", SpeciesBlock())], verbose_name=_("species cards"), blank=True)
    model_glb = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("3D model (GLB)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    model_usdz = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("3D model for iPhone (USDZ)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    model_alt = models.CharField(_("what the model shows"), max_length=200, blank=True)
    model_poster = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("picture shown before the model loads"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    illustrative = models.BooleanField(_("illustrative"), default=False, help_text=_("Says so on the page."))

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("river"), FieldPanel("kind")]),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude"), FieldPanel("lit")]),
        FieldPanel("intro"),
        FieldPanel("photos"),
        MultiFieldPanel([FieldPanel("audio"), FieldPanel("transcript")], heading=_("Audio guide")),
        FieldPanel("species"),
        MultiFieldPanel(
            [FieldPanel("model_glb"), FieldPanel("model_usdz"), FieldPanel("model_alt"), FieldPanel("model_poster")],
            heading=_("3D and AR"),
        ),
        FieldPanel("illustrative"),
    ]
    parent_page_types = ["content.SectionPage"]
    subpage_types: list[str] = []
    # One place (one QR code) per point: its translations and copies point to the Korean page's.
    exclude_fields_in_copy = ["place"]

    class Meta:
        verbose_name = _("river guide point")
        verbose_name_plural = _("river guide points")

    def save(self, *args, **kwargs):
        # Wagtail saves pages itself (revisions, publishing): the point's place follows here.
        from apps.places.models import Place
        from apps.places.services import place_create, place_update

        super().save(*args, **kwargs)
        if self.place_id is None and self.alias_of_id is None and self.locale.language_code == "ko":
            self.place = place_create(
                municipality=self.river.municipality,
                kind=Place.Kind.POINT,
                name_ko=self.title,
                latitude=self.latitude,
                longitude=self.longitude,
                owner=self,
            )
            super().save(update_fields=["place"])
        elif self.place_id and (self.place.name_ko, self.place.latitude, self.place.longitude) != (
            self.title,
            self.latitude,
            self.longitude,
        ):
            place_update(
                self.place,
                name_ko=self.title,
                name_en=self.place.name_en,
                latitude=self.latitude,
                longitude=self.longitude,
            )

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.audio:
            try:
                document_audio_check(self.audio)
            except GuideFileError as error:
                errors["audio"] = error.message
            if not self.transcript.strip():
                errors["transcript"] = _("An audio guide needs its transcript, for visitors who cannot hear it.")
        for field, extension in (("model_glb", "glb"), ("model_usdz", "usdz")):
            if document := getattr(self, field):
                try:
                    document_model_check(document, extension)
                except GuideFileError as error:
                    errors[field] = error.message
        if self.model_usdz and not self.model_glb:
            errors["model_usdz"] = _("Add the GLB model too: it is the one every other phone and computer shows.")
        if errors:
            raise ValidationError(errors)

    @property
    def audio_type(self) -> str:
        """The audio's MIME type for the player (the file passed the check when it was chosen)."""
        return audio_type(self.audio)

    @property
    def shared_place(self):
        """The point's place, which its translations share with the Korean page."""
        if self.place_id:
            return self.place
        korean = self.get_translations().filter(locale__language_code="ko").first()
        return korean.specific.place if korean else None

    def place_url(self, place, language_code: str) -> str | None:
        page = self.get_translations(inclusive=True).filter(locale__language_code=language_code).live().first()
        page = page or (self if self.live else None)
        return page.url if page else None

    def place_parent(self, language_code: str) -> tuple[str, str] | None:
        return self.river.name, self.river.get_url(language_code)

    def get_context(self, request, *args, **kwargs):
        from apps.rivers.selectors import point_state

        context = super().get_context(request, *args, **kwargs)
        context.update(point_state(self))
        return context


class RiverCoursePage(Page):
    """A walk along a river for a time of day, made of its guide points in order. A night course
    goes only by points a smart pole lights."""

    class TimeOfDay(models.TextChoices):
        MORNING = "morning", _("Morning")
        EVENING = "evening", _("Evening")
        NIGHT = "night", _("Night")

    time_of_day = models.CharField(_("time of day"), max_length=10, choices=TimeOfDay.choices)
    summary = models.CharField(_("summary"), max_length=160)
    points = StreamField(
        [("point", blocks.PageChooserBlock(page_type="rivers.RiverPointPage", label=_("point")))],
        verbose_name=_("points in walking order"),
    )
    illustrative = models.BooleanField(_("illustrative"), default=False, help_text=_("Says so on the page."))

    content_panels = Page.content_panels + [
        FieldPanel("time_of_day"),
        FieldPanel("summary"),
        FieldPanel("points"),
        FieldPanel("illustrative"),
    ]
    parent_page_types = ["content.SectionPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("river walking course")
        verbose_name_plural = _("river walking courses")

    def clean(self) -> None:
        super().clean()
        if self.time_of_day == self.TimeOfDay.NIGHT:
            dark = [block.value.title for block in self.points if block.value and not block.value.specific.lit]
            if dark:
                raise ValidationError(
                    {
                        "points": _("A night course goes only by lit points; not lit: %(points)s")
                        % {"points": ", ".join(dark)}
                    }
                )
