from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from apps.archive import admin_views


@hooks.register("register_admin_urls")
def register_archive_admin_urls():
    return [
        path("archive/contributions/", admin_views.ContributionQueueView.as_view(), name="archive_contributions"),
        path(
            "archive/contributions/<int:pk>/",
            admin_views.ContributionModerateView.as_view(),
            name="archive_contribution_moderate",
        ),
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
