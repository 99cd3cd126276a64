from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class FactBlock(blocks.StructBlock):
    value = blocks.CharBlock(label=_("figure"), max_length=30, help_text=_("e.g. 71.7 km"))
    label = blocks.CharBlock(label=_("what it counts"), max_length=80)

    class Meta:
        icon = "table"
        template = "content/blocks/fact.html"


class LinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=80)
    page = blocks.PageChooserBlock(label=_("page"), required=False)
    url = blocks.URLBlock(label=_("or an address"), required=False)
    description = blocks.CharBlock(label=_("description"), max_length=160, required=False)

    class Meta:
        icon = "link"

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise blocks.StructBlockValidationError(
                block_errors={"url": blocks.BlockValidationError(_("Choose a page or give an address, not both."))}
            )
        return value


class ComplaintCategoriesBlock(blocks.StaticBlock):
    """The complaint categories of the site's city with the department each goes to and the date
    an answer is due if reported today, read live from the routing table so the page never
    disagrees with where cases are sent."""

    class Meta:
        icon = "list-ul"
        label = _("Complaint categories (live)")
        admin_text = _("Lists the complaint categories and their departments from the routing table.")
        template = "content/blocks/complaint_categories.html"

    def get_context(self, value, parent_context=None):
        from apps.complaints.deadlines import add_working_days
        from apps.complaints.selectors import category_list
        from apps.municipalities.selectors import municipality_for_request

        context = super().get_context(value, parent_context=parent_context)
        municipality = municipality_for_request((parent_context or {}).get("request"))
        categories = list(category_list(municipality=municipality)) if municipality else []
        today = timezone.localdate()
        for category in categories:
            category.due_if_reported_today = add_working_days(today, category.processing_days)
        context["categories"] = categories
        return context


def _first_name_per_code(rows) -> list[tuple[str, str]]:
    names: dict[str, str] = {}
    for code, name in rows:
        names.setdefault(code, name)
    return list(names.items())


def dataset_choices() -> list[tuple[str, str]]:
    """Every city's datasets by address name; a page shows one only while its own city publishes it."""
    from apps.opendata.models import Dataset

    return _first_name_per_code(Dataset.objects.order_by("title_ko").values_list("slug", "title_ko"))


def category_choices() -> list[tuple[str, str]]:
    from apps.complaints.models import Category

    return _first_name_per_code(Category.objects.order_by("name_ko").values_list("code", "name_ko"))


def _municipality(parent_context: dict | None):
    from apps.municipalities.selectors import municipality_for_request

    return municipality_for_request((parent_context or {}).get("request"))


class DatasetLinkBlock(blocks.StructBlock):
    """One of the city's open datasets, titled as the data portal titles it in the reader's language."""

    dataset = blocks.ChoiceBlock(choices=dataset_choices, label=_("dataset"))
    description = blocks.CharBlock(label=_("description"), max_length=160, required=False)

    class Meta:
        icon = "table"
        label = _("Dataset")
        template = "content/blocks/dataset_link.html"

    def get_context(self, value, parent_context=None):
        from apps.opendata.selectors import dataset_get_public

        context = super().get_context(value, parent_context=parent_context)
        municipality = _municipality(parent_context)
        # A dataset withdrawn from publication drops out of the page instead of leaving a dead link.
        context["dataset"] = (
            dataset_get_public(municipality=municipality, slug=value["dataset"]) if municipality else None
        )
        return context


class ReportLinkBlock(blocks.StructBlock):
    """The report form, with a complaint category already chosen."""

    title = blocks.CharBlock(label=_("title"), max_length=80)
    category = blocks.ChoiceBlock(choices=category_choices, label=_("category chosen in the form"), required=False)
    description = blocks.CharBlock(label=_("description"), max_length=160, required=False)

    class Meta:
        icon = "warning"
        label = _("Report form")
        template = "content/blocks/report_link.html"

    def get_context(self, value, parent_context=None):
        from apps.complaints.selectors import category_list

        context = super().get_context(value, parent_context=parent_context)
        url = reverse("complaints:report")
        municipality = _municipality(parent_context)
        code = value.get("category")
        # Only a category the city still takes is chosen; otherwise the form opens with none.
        if code and municipality and category_list(municipality=municipality).filter(code=code).exists():
            url = f"{url}?{urlencode({'category': code})}"
        context["url"] = url
        return context


class AssistantBlock(blocks.StructBlock):
    """A button that opens the chat assistant (static/js/chat-widget.js), with a question typed in
    for the reader to send or change. Without JavaScript it leads to the report form, as the
    assistant's own launcher does."""

    title = blocks.CharBlock(label=_("title"), max_length=80)
    question = blocks.CharBlock(label=_("question typed in for the reader"), max_length=200, required=False)
    description = blocks.CharBlock(label=_("description"), max_length=160, required=False)

    class Meta:
        icon = "openquote"
        label = _("Assistant button")
        template = "content/blocks/assistant_link.html"


# Shortcuts at the top of a section page: its data, the report form and the assistant.
QUICK_LINK_BLOCKS = [
    ("dataset", DatasetLinkBlock()),
    ("report", ReportLinkBlock()),
    ("assistant", AssistantBlock()),
    ("link", LinkBlock(template="content/blocks/link_card.html")),
]

BODY_BLOCKS = [
    ("heading", blocks.CharBlock(label=_("heading"), form_classname="title", template="content/blocks/heading.html")),
    ("paragraph", blocks.RichTextBlock(label=_("paragraph"), features=["bold", "italic", "link", "ol", "ul"])),
    (
        "facts",
        blocks.ListBlock(FactBlock(), label=_("figures"), template="content/blocks/facts.html"),
    ),
    ("links", blocks.ListBlock(LinkBlock(), label=_("links"), template="content/blocks/links.html")),
    ("complaint_categories", ComplaintCategoriesBlock()),
]
