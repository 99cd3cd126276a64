"""The archive's landing page (/<language>/archive/): the section's own text and quick links, the
archive search, then its stories grouped as the city's archive plan groups them: curated
exhibitions, people (인물) and everyday culture by topic. The stories themselves are
apps.archive's ArchiveStoryPage; a plain section page already at /archive/ becomes this page in
place (apps.archive.services.archive_index_install), keeping its address and translations."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from content.blocks import BODY_BLOCKS, QUICK_LINK_BLOCKS


class ArchiveIndexPage(Page):
    summary = models.CharField(
        _("summary"), max_length=160, help_text=_("One line shown on the home page and in search results.")
    )
    quick_links = StreamField(QUICK_LINK_BLOCKS, verbose_name=_("quick links"), blank=True)
    body = StreamField(BODY_BLOCKS, verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("summary"), FieldPanel("quick_links"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]

    parent_page_types = ["content.HomePage"]
    subpage_types = ["archive.ArchiveStoryPage", "content.SectionPage"]
    max_count_per_parent = 1

    # The home page draws each section with its icon (static/img/icons.svg).
    icon = "archive"

    class Meta:
        verbose_name = _("archive index")

    def get_context(self, request, *args, **kwargs):
        from apps.archive.selectors import story_groups

        context = super().get_context(request, *args, **kwargs)
        context["stories"] = story_groups(self.get_children().live().public().specific())
        return context
