from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, PublishingPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import DraftStateMixin, Page, RevisionMixin, TranslatableMixin
from wagtail.search import index

from content.blocks import BODY_BLOCKS, QUICK_LINK_BLOCKS, FactBlock

# Icons drawn in static/img/icons.svg; one per portal area.
SECTION_ICONS = [
    ("complaint", _("Complaints")),
    ("data", _("Open data")),
    ("trail", _("Trails")),
    ("river", _("River guide")),
    ("transit", _("Parking and transit")),
    ("archive", _("Archive")),
    ("info", _("Information")),
]


class HomePage(Page):
    """The front door of one municipality's site: what residents most often come to do."""

    hero_title = models.CharField(_("headline"), max_length=120)
    hero_text = models.TextField(_("introduction"), max_length=400, blank=True)
    facts = StreamField([("fact", FactBlock())], verbose_name=_("city at a glance"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("hero_title"),
        FieldPanel("hero_text"),
        FieldPanel("facts"),
    ]
    search_fields = Page.search_fields + [index.SearchField("hero_text")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["content.SectionPage", "content.ArchiveIndexPage", "trails.TrailIndexPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = self.get_children().live().public().specific().filter(show_in_menus=True)
        return context


class SectionPage(Page):
    """One area of the portal (민원, open data, trails...) or a page inside it."""

    summary = models.CharField(
        _("summary"), max_length=160, help_text=_("One line shown on the home page and in search results.")
    )
    icon = models.CharField(_("icon"), max_length=20, choices=SECTION_ICONS, default="info")
    quick_links = StreamField(
        QUICK_LINK_BLOCKS,
        verbose_name=_("quick links"),
        blank=True,
        help_text=_("Shown under the summary: the section's datasets, the report form and the chat assistant."),
    )
    body = StreamField(BODY_BLOCKS, verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("summary"), FieldPanel("icon")]),
        FieldPanel("quick_links"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]

    parent_page_types = ["content.HomePage", "content.SectionPage"]
    subpage_types = [
        "content.SectionPage",
        "rivers.RiverPage",
        "rivers.RiverPointPage",
        "rivers.RiverCoursePage",
    ]

    class Meta:
        verbose_name = _("section page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["subpages"] = self.get_children().live().public().specific()
        return context


class SiteAlertQuerySet(models.QuerySet):
    def showing(self, at=None):
        """Alerts that are published and inside their display window."""
        at = at or timezone.now()
        return (
            self.filter(live=True)
            .filter(models.Q(starts_at__isnull=True) | models.Q(starts_at__lte=at))
            .filter(models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=at))
            .alias(
                severity=models.Case(
                    models.When(level=SiteAlert.Level.DANGER, then=2),
                    models.When(level=SiteAlert.Level.WARNING, then=1),
                    default=0,
                )
            )
            .order_by("-severity", "-first_published_at")
        )


class SiteAlert(TranslatableMixin, DraftStateMixin, RevisionMixin, models.Model):
    """A notice on every page of the site, e.g. "중랑천 산책로 통제 중". Editors write it in Korean,
    translate it, and publish; open pages receive it at once over the alerts websocket."""

    class Level(models.TextChoices):
        INFO = "info", _("Information")
        WARNING = "warning", _("Warning")
        DANGER = "danger", _("Danger")

    title = models.CharField(_("title"), max_length=80)
    message = RichTextField(_("message"), features=["bold", "link"], max_length=500)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.WARNING)
    starts_at = models.DateTimeField(_("show from"), null=True, blank=True)
    ends_at = models.DateTimeField(_("show until"), null=True, blank=True)

    objects = SiteAlertQuerySet.as_manager()

    panels = [
        FieldPanel("title"),
        FieldPanel("message"),
        FieldPanel("level"),
        MultiFieldPanel([FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")])], heading=_("When")),
        PublishingPanel(),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("site alert")
        verbose_name_plural = _("site alerts")

    def __str__(self) -> str:
        return self.title


from content.archive_pages import ArchiveIndexPage  # noqa: E402, F401 - Wagtail's page models live in models
