from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList, PageChooserPanel
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from apps.places import services
from apps.places.models import Closure

CLOSURE_FIELDS = [
    "place",
    "page",
    "severity",
    "starts_at",
    "ends_at",
    "reason_ko",
    "reason_en",
    "detour_ko",
    "detour_en",
]


class ClosureCreateView(generic.CreateView):
    def save_instance(self):
        return services.closure_create(**{name: self.form.cleaned_data[name] for name in CLOSURE_FIELDS})


class ClosureEditView(generic.EditView):
    def save_instance(self):
        return services.closure_update(self.object, **{name: self.form.cleaned_data[name] for name in CLOSURE_FIELDS})


class ClosureDeleteView(generic.DeleteView):
    def delete_action(self):
        services.closure_delete(self.object)


class ClosureViewSet(ModelViewSet):
    """Closures and warnings editors announce; every page of the place or area shows them while
    they are in force, and other areas hear of each change (apps.places.signals)."""

    model = Closure
    icon = "warning"
    url_prefix = "places/closures"
    name = "places_closures"
    menu_label = _("Closures")
    menu_order = 250
    add_to_admin_menu = True
    add_view_class = ClosureCreateView
    edit_view_class = ClosureEditView
    delete_view_class = ClosureDeleteView
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = ["reason_ko", "severity", "place", "page", "starts_at", "ends_at"]
    list_filter = ["severity"]
    search_fields = ["reason_ko", "reason_en"]
    search_backend_name = None
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [FieldPanel("place"), PageChooserPanel("page")],
                heading=_("What is closed"),
                help_text=_("One point (a trail marker) or a whole area (a trail page), not both."),
            ),
            FieldPanel("severity"),
            FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
            FieldRowPanel([FieldPanel("reason_ko"), FieldPanel("reason_en")]),
            FieldRowPanel([FieldPanel("detour_ko"), FieldPanel("detour_en")]),
        ]
    )


@hooks.register("register_admin_viewset")
def register_closures():
    return ClosureViewSet()
