from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.menus import MenuItem as ListingMenuItem
from wagtail.admin.widgets.button import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import EditView, IndexView, SnippetViewSet, SnippetViewSetGroup

from apps.archive import admin_views
from apps.archive.models import Collection, Item


def _files_url(item: Item) -> str:
    return reverse("archive_item_files", args=[item.pk])


class ItemIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        return [
            *super().get_list_more_buttons(instance),
            ListingMenuItem(
                _("Images, PDF, film and recording"), url=_files_url(instance), icon_name="image", priority=15
            ),
        ]


class ItemEditView(EditView):
    @property
    def header_more_buttons(self):
        return [
            *super().header_more_buttons,
            Button(_("Images, PDF, film and recording"), url=_files_url(self.object), icon_name="image", priority=5),
        ]


class ItemViewSet(SnippetViewSet):
    """Items in Dublin Core, registered as a snippet so exhibition pages can choose them; their
    images, PDF, film and recording are managed on their own page (admin_views.ItemFilesView)."""

    model = Item
    index_view_class = ItemIndexView
    edit_view_class = ItemEditView
    icon = "image"
    menu_label = _("Items")
    list_display = ["identifier", "title_ko", "item_type", "date_text", "licence", "is_public"]
    list_filter = ["item_type", "licence", "is_public", "is_illustration", "collections"]
    search_fields = ["identifier", "title_ko", "title_en", "subjects_ko", "description_ko"]
    panels = [
        FieldRowPanel([FieldPanel("identifier"), FieldPanel("item_type")]),
        MultiFieldPanel(
            [FieldPanel("title_ko"), FieldPanel("title_en"), FieldPanel("creator_ko"), FieldPanel("creator_en")],
            heading=_("Title and creator"),
        ),
        FieldPanel("date_text"),
        MultiFieldPanel(
            [
                FieldPanel("subjects_ko"),
                FieldPanel("subjects_en"),
                FieldPanel("description_ko"),
                FieldPanel("description_en"),
            ],
            heading=_("Subjects and description"),
        ),
        FieldPanel("place"),
        MultiFieldPanel(
            [
                FieldPanel("licence"),
                FieldPanel("rights_holder_ko"),
                FieldPanel("rights_holder_en"),
                FieldPanel("source_ko"),
                FieldPanel("source_en"),
            ],
            heading=_("Rights and source"),
        ),
        FieldPanel("transcript_vtt"),
        FieldRowPanel([FieldPanel("is_public"), FieldPanel("is_illustration")]),
        FieldPanel("municipality"),
    ]


class CollectionViewSet(SnippetViewSet):
    model = Collection
    icon = "folder-open-inverse"
    menu_label = _("Collections")
    list_display = ["slug", "title_ko", "title_en"]
    search_fields = ["slug", "title_ko", "title_en"]
    panels = [
        FieldPanel("municipality"),
        FieldPanel("slug"),
        FieldPanel("title_ko"),
        FieldPanel("title_en"),
        FieldPanel("description_ko"),
        FieldPanel("description_en"),
        FieldPanel("items"),
    ]


class ArchiveViewSetGroup(SnippetViewSetGroup):
    items = (ItemViewSet, CollectionViewSet)
    menu_icon = "image"
    menu_label = _("Archive")
    menu_order = 410


register_snippet(ArchiveViewSetGroup)


@hooks.register("register_admin_urls")
def register_archive_admin_urls():
    return [
        path("archive/contributions/", admin_views.ContributionQueueView.as_view(), name="archive_contributions"),
        path(
            "archive/contributions/<int:pk>/",
            admin_views.ContributionModerateView.as_view(),
            name="archive_contribution_moderate",
        ),
        path("archive/items/<int:pk>/files/", admin_views.ItemFilesView.as_view(), name="archive_item_files"),
        path(
            "archive/contributions/<int:pk>/photo.jpg",
            admin_views.contribution_photo,
            name="archive_contribution_photo",
        ),
    ]


class ModeratorMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.has_perm(admin_views.MODERATE)


@hooks.register("register_admin_menu_item")
def register_contributions_menu_item():
    return ModeratorMenuItem(_("Archive contributions"), reverse("archive_contributions"), icon_name="image", order=420)


@hooks.register("register_log_actions")
def register_archive_log_actions(actions) -> None:
    actions.register_action(
        admin_views.CONTACT_SHOWN_ACTION,
        _("Show a contributor's contact"),
        _("A contributor's contact details were shown"),
    )
