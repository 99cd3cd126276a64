from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button

from apps.opendata import admin_views, selectors, services
from apps.opendata.admin_forms import DatasetForm
from apps.opendata.models import Dataset, Resource

# --- Datasets ---------------------------------------------------------------------------------


def _file_resources(dataset: Dataset) -> list[Resource]:
    return [resource for resource in dataset.resources.all() if resource.kind == Resource.Kind.FILE]


def _resource_url(resource: Resource) -> str:
    return reverse("opendata_admin:resource", kwargs={"resource_id": resource.pk})


class EditorDatasetsMixin:
    """Every dataset view starts from the editor's own datasets: another department's is a 404."""

    def get_queryset(self):
        return selectors.dataset_list_for_editor(user=self.request.user)

    def get_base_object_queryset(self):
        return selectors.dataset_list_for_editor(user=self.request.user)


class DatasetIndexView(generic.IndexView):
    def get_base_queryset(self):
        return selectors.dataset_list_for_editor(user=self.request.user).prefetch_related("resources")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        for resource in _file_resources(instance):
            label = _("Files: %(name)s") % {"name": resource.name}
            buttons.append(MenuItem(label, url=_resource_url(resource), icon_name="upload", priority=15))
        return buttons


class RefreshAfterSaveMixin:
    """Search text and quality score follow every save of the metadata."""

    def save_instance(self):
        dataset = super().save_instance()
        return services.dataset_refresh(dataset)


class DatasetCreateView(RefreshAfterSaveMixin, generic.CreateView):
    pass


class DatasetEditView(EditorDatasetsMixin, RefreshAfterSaveMixin, generic.EditView):
    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        for resource in _file_resources(self.object):
            label = _("Files and versions: %(name)s") % {"name": resource.name}
            buttons.append(Button(label, url=_resource_url(resource), icon_name="upload", priority=5))
        return buttons


class DatasetDeleteView(EditorDatasetsMixin, generic.DeleteView):
    pass


class DatasetHistoryView(EditorDatasetsMixin, HistoryView):
    pass


class DatasetUsageView(EditorDatasetsMixin, UsageView):
    pass


class DatasetViewSet(ModelViewSet):
    model = Dataset
    icon = "table"
    url_prefix = "opendata/datasets"
    name = "opendata_datasets"
    menu_label = gettext_lazy("Datasets")
    menu_order = 10
    index_view_class = DatasetIndexView
    add_view_class = DatasetCreateView
    edit_view_class = DatasetEditView
    delete_view_class = DatasetDeleteView
    history_view_class = DatasetHistoryView
    usage_view_class = DatasetUsageView
    copy_view_enabled = False
    list_display = [
        "title_ko",
        "department",
        "category",
        "update_cycle",
        BooleanColumn("is_published", label=gettext_lazy("published")),
        "quality_score",
    ]
    list_filter = ["department", "category", "is_published"]
    search_fields = ["title_ko", "title_en", "slug"]
    search_backend_name = None
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("title_ko"),
                    FieldPanel("title_en"),
                    FieldPanel("slug"),
                    FieldPanel("description_ko"),
                    FieldPanel("description_en"),
                ],
                heading=gettext_lazy("What the data is"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("department"),
                    FieldPanel("category"),
                    FieldPanel("keyword_names"),
                    FieldPanel("licence"),
                    FieldPanel("update_cycle"),
                ],
                heading=gettext_lazy("Who keeps it and how it may be reused"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("spatial_coverage"),
                    FieldRowPanel([FieldPanel("temporal_start"), FieldPanel("temporal_end")]),
                ],
                heading=gettext_lazy("Coverage"),
            ),
            MultiFieldPanel(
                [FieldPanel("contact_name"), FieldPanel("contact_phone"), FieldPanel("contact_email")],
                heading=gettext_lazy("Contact"),
            ),
            FieldPanel("is_published"),
            InlinePanel(
                "resources",
                heading=gettext_lazy("Resources"),
                label=gettext_lazy("Resource"),
                help_text=gettext_lazy(
                    "Files get their versions on their own page (Files and versions, in the menu at the top) "
                    "once the dataset is saved."
                ),
                panels=[
                    FieldPanel("name_ko"),
                    FieldPanel("name_en"),
                    FieldRowPanel([FieldPanel("kind"), FieldPanel("format")]),
                    FieldPanel("url"),
                    FieldPanel("description"),
                ],
            ),
        ],
        base_form_class=DatasetForm,
    )


class OpenDataMenuGroup(ViewSetGroup):
    menu_label = gettext_lazy("Open data")
    menu_icon = "table"
    menu_order = 160
    items = (DatasetViewSet,)


@hooks.register("register_admin_viewset")
def register_opendata_menu() -> OpenDataMenuGroup:
    return OpenDataMenuGroup()


# --- Resource pages ---------------------------------------------------------------------------

editor_urlpatterns = [
    path("resources/<uuid:resource_id>/", admin_views.ResourceView.as_view(), name="resource"),
    path(
        "resources/<uuid:resource_id>/v<int:number>/status.json",
        admin_views.VersionStatusView.as_view(),
        name="version-status",
    ),
]


@hooks.register("register_admin_urls")
def register_opendata_urls():
    return [path("opendata/", include((editor_urlpatterns, "opendata_admin"), namespace="opendata_admin"))]
