from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import LiveStatusTagColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from content.models import SiteAlert


class SiteAlertViewSet(SnippetViewSet):
    model = SiteAlert
    icon = "warning"
    menu_label = _("Site alerts")
    add_to_admin_menu = True
    menu_order = 210
    list_display = ["title", "level", "starts_at", "ends_at", LiveStatusTagColumn()]
    list_filter = ["level", "live", "locale"]
    search_fields = ["title"]


register_snippet(SiteAlertViewSet)
