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
