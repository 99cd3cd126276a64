from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.views.generic import DeleteView, EditView, IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from apps.common.permissions import ViewOnlyPermissionPolicy
from apps.complaints import admin_views, selectors
from apps.complaints.models import Category, CategoryQuestion, ContactAccess, ReplyTemplate
from apps.complaints.staff_forms import ReplyTemplateForm
from apps.municipalities.wagtail_hooks import CITY_SETUP_MENU_HOOK

# Registered before any viewset asks for the model's policy.
register_permission_policy(ContactAccess, ViewOnlyPermissionPolicy(ContactAccess))


# --- Categories, in the City set-up menu ------------------------------------------------------


class CategoryViewSet(ModelViewSet):
    model = Category
    icon = "tag"
    menu_label = _("Complaint categories")
    menu_hook = CITY_SETUP_MENU_HOOK
    menu_order = 30
    list_display = ["name_ko", "code", "department", "kind", "processing_days"]
    list_filter = ["municipality", "kind", "department", "is_active"]
    search_fields = ["name_ko", "name_en", "code"]
    form_fields = [
        "municipality",
        "code",
        "name_ko",
        "name_en",
        "name_ja",
        "name_zh_hans",
        "department",
        "kind",
        "processing_days",
        "needs_location",
        "public_by_default",
        "example_ko",
        "is_active",
    ]


class CategoryQuestionViewSet(ModelViewSet):
    model = CategoryQuestion
    icon = "help"
    menu_label = _("Category questions")
    menu_hook = CITY_SETUP_MENU_HOOK
    menu_order = 40
    list_display = ["category", "code", "datatype", BooleanColumn("required", label=_("required")), "order"]
    list_filter = ["category__municipality", "datatype", "required"]
    search_fields = ["code", "description_ko", "description_en"]
    form_fields = ["category", "code", "datatype", "required", "order", "description_ko", "description_en", "values"]


@hooks.register("register_admin_viewset")
def register_category_admin() -> list[ModelViewSet]:
    return [CategoryViewSet(), CategoryQuestionViewSet()]


# --- Reply templates --------------------------------------------------------------------------


class ReplyTemplateIndexView(IndexView):
    def get_base_queryset(self):
        return selectors.reply_template_list_for_staff(user=self.request.user)


class ReplyTemplateEditView(EditView):
    def get_queryset(self):
        return selectors.reply_template_list_for_staff(user=self.request.user)


class ReplyTemplateDeleteView(DeleteView):
    def get_queryset(self):
        return selectors.reply_template_list_for_staff(user=self.request.user)


class ReplyTemplateViewSet(ModelViewSet):
    model = ReplyTemplate
    icon = "doc-full"
    url_prefix = "complaints/reply-templates"
    menu_label = _("Reply templates")
    menu_order = 30
    index_view_class = ReplyTemplateIndexView
    edit_view_class = ReplyTemplateEditView
    delete_view_class = ReplyTemplateDeleteView
    copy_view_enabled = False
    list_display = ["title", "department", "municipality"]
    list_filter = ["municipality", "department"]
    search_fields = ["title", "body_ko", "body_en"]
    edit_handler = ObjectList(
        [
            FieldPanel("municipality"),
            FieldPanel("department", help_text=_("Leave empty to share the template with every department.")),
            FieldPanel("title"),
            FieldPanel("body_ko"),
            FieldPanel("body_en", help_text=_("Used for reporters who wrote in another language than Korean.")),
        ],
        base_form_class=ReplyTemplateForm,
    )


# --- Contact access log -----------------------------------------------------------------------


class ContactAccessViewSet(ModelViewSet):
    model = ContactAccess
    icon = "view"
    url_prefix = "complaints/contact-log"
    menu_label = _("Contact details log")
    menu_order = 40
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["accessed_at", "user", "complaint", "route", "ip_address"]
    list_filter = ["route", "accessed_at"]
    search_fields = ["complaint__number", "user__username"]
    search_backend_name = None
    # ModelViewSet needs a form; ViewOnlyPermissionPolicy keeps its add and edit views closed.
    form_fields = ["complaint"]


# --- The 민원 menu ----------------------------------------------------------------------------


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.VIEW_PERMISSION)


class ComplaintsMenuGroup(ViewSetGroup):
    menu_label = _("Complaints")
    menu_icon = "mail"
    menu_order = 150
    submenu_hook = "register_complaints_menu_item"
    items = (ReplyTemplateViewSet, ContactAccessViewSet)


@hooks.register("register_admin_viewset")
def register_complaints_menu() -> ComplaintsMenuGroup:
    return ComplaintsMenuGroup()


@hooks.register("register_complaints_menu_item")
def inbox_menu_item() -> MenuItem:
    return StaffMenuItem(_("Complaints inbox"), reverse("complaints_admin:inbox"), icon_name="mail", order=10)


@hooks.register("register_complaints_menu_item")
def dashboard_menu_item() -> MenuItem:
    return StaffMenuItem(_("Complaints dashboard"), reverse("complaints_admin:dashboard"), icon_name="table", order=20)


staff_urlpatterns = [
    path("", admin_views.InboxView.as_view(), name="inbox"),
    path("map/", admin_views.MapView.as_view(), name="map"),
    path("export.csv", admin_views.ExportView.as_view(), name="export"),
    path("dashboard/", admin_views.DashboardView.as_view(), name="dashboard"),
    path("<int:pk>/", admin_views.CaseView.as_view(), name="case"),
    path("<int:pk>/contact/", admin_views.ContactView.as_view(), name="contact"),
    path("<int:pk>/accept/", admin_views.AcceptView.as_view(), name="accept"),
    path("<int:pk>/answer/", admin_views.AnswerView.as_view(), name="answer"),
    path("<int:pk>/note/", admin_views.NoteView.as_view(), name="note"),
    path("<int:pk>/transfer/", admin_views.TransferView.as_view(), name="transfer"),
    path("<int:pk>/duplicate/", admin_views.DuplicateView.as_view(), name="duplicate"),
    path("<int:pk>/close/", admin_views.CloseView.as_view(), name="close"),
    path("<int:pk>/extend/", admin_views.ExtendView.as_view(), name="extend"),
]


@hooks.register("register_admin_urls")
def register_complaints_urls():
    return [path("complaints/", include((staff_urlpatterns, "complaints_admin"), namespace="complaints_admin"))]


@hooks.register("construct_homepage_panels")
def add_complaints_summary(request, panels) -> None:
    if request.user.has_perm(admin_views.VIEW_PERMISSION):
        panels.append(admin_views.ComplaintsSummaryPanel())
