"""Stories told with the archive's items, as Wagtail pages under the 아카이브 section: curated
exhibitions (캠프 스탠리와 빼벌마을, 부대찌개거리의 시작, 망월사의 문화재), people (인물) and the
everyday-culture topics (영상, 축제·행사, 문학, 음악, 모임, 인물, 역사). One page type: they differ in
what the editor writes, not in what the page can do."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.snippets.blocks import SnippetChooserBlock


class ItemBlock(blocks.StructBlock):
    """An archive item in the story, with the editor's caption; a private item is left out."""

    item = SnippetChooserBlock("archive.Item", label=_("item"))
    caption = blocks.CharBlock(label=_("caption"), max_length=300, required=False)

    class Meta:
        icon = "image"
        label = _("Archive item")
        template = "archive/blocks/item.html"

    def get_context(self, value, parent_context=None):
        from apps.archive.selectors import THUMBNAIL_WIDTH, iiif_image_url

        context = super().get_context(value, parent_context)
        item = value["item"]
        media = list(item.media.order_by("position")[:1]) if item and item.is_public else []
        context["shown"] = item if item and item.is_public else None
        context["image"] = (
            {"src": iiif_image_url(media[0], 2 * THUMBNAIL_WIDTH), "srcset": iiif_image_url(media[0], 960)}
            if media
            else None
        )
        return context


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("words"))
    attribution = blocks.CharBlock(label=_("who said it"), max_length=200, required=False)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "archive/blocks/quote.html"


class TimelineBlock(blocks.StructBlock):
    """What happened when, in the story's order: e.g. a camp opened, a street got its name."""

    heading = blocks.CharBlock(label=_("heading"), max_length=100, required=False)
    events = blocks.ListBlock(
        blocks.StructBlock(
            [
                ("when", blocks.CharBlock(label=_("when"), max_length=60, help_text=_("e.g. 1951년, 1960년대"))),
                ("what", blocks.CharBlock(label=_("what happened"), max_length=300)),
            ],
            label=_("event"),
        ),
        label=_("events"),
        min_num=1,
    )

    class Meta:
        icon = "time"
        label = _("Timeline")
        template = "archive/blocks/timeline.html"


STORY_BLOCKS = [
    ("heading", blocks.CharBlock(label=_("heading"), form_classname="title", template="content/blocks/heading.html")),
    ("paragraph", blocks.RichTextBlock(label=_("paragraph"), features=["bold", "italic", "link", "ol", "ul"])),
    ("item", ItemBlock()),
    ("quote", QuoteBlock()),
    ("timeline", TimelineBlock()),
]


class ArchiveStoryPage(Page):
    class Kind(models.TextChoices):
        EXHIBITION = "exhibition", _("Exhibition")
        PERSON = "person", _("Person")
        CULTURE = "culture", _("Everyday culture")

    # The everyday-culture categories of the city's archive plan.
    class Topic(models.TextChoices):
        FILM = "film", _("Film and video")
        FESTIVAL = "festival", _("Festivals and events")
        LITERATURE = "literature", _("Literature")
        MUSIC = "music", _("Music")
        GATHERINGS = "gatherings", _("Gatherings")
        PEOPLE = "people", _("People")
        HISTORY = "history", _("History")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.EXHIBITION)
    topic = models.CharField(_("topic"), max_length=12, choices=Topic.choices, blank=True)
    summary = models.CharField(
        _("summary"), max_length=160, help_text=_("One line shown in lists and in search results.")
    )
    years = models.CharField(_("years"), max_length=60, blank=True, help_text=_("A person's, e.g. 1890년대-1960년경"))
    role = models.CharField(
        _("who they were"), max_length=120, blank=True, help_text=_("A person's, e.g. 조선 후기의 학자")
    )
    portrait = models.ForeignKey(
        "archive.Item",
        verbose_name=_("portrait"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A person's: the archive item whose first image shows them."),
    )
    collection = models.ForeignKey(
        "archive.Collection",
        verbose_name=_("collection shown below the story"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(STORY_BLOCKS, verbose_name=_("story"), blank=True)
    illustrative = models.BooleanField(
        _("written for the demonstration"), default=False, help_text=_("Says so on the page.")
    )

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("topic")]),
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("years"), FieldPanel("role")]),
        FieldPanel("portrait"),
        FieldPanel("body"),
        FieldPanel("collection"),
        FieldPanel("illustrative"),
    ]
    parent_page_types = ["content.ArchiveIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("archive story")
        verbose_name_plural = _("archive stories")

    def get_context(self, request, *args, **kwargs):
        from apps.archive.selectors import collection_public_items, item_portrait, items_on_map

        context = super().get_context(request, *args, **kwargs)
        context["items"] = collection_public_items(self.collection) if self.collection_id else []
        # The places of the story: its item blocks' and its collection's.
        shown = {block.value["item"].pk for block in self.body if block.block_type == "item" and block.value["item"]}
        if self.collection_id:
            shown |= set(self.collection.items.values_list("pk", flat=True))
        context["points"] = items_on_map(shown)
        context["portrait"] = item_portrait(self.portrait) if self.portrait_id else None
        return context
