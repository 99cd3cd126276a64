"""The archive's public pages, per language (/<language>/archive/...). /<language>/archive/ itself
is the Wagtail section page."""

from django.urls import path

from apps.archive import contribution_views, page_views

app_name = "archive"

urlpatterns = [
    path("search/", page_views.search, name="search"),
    path("items/<int:pk>/", page_views.item, name="item"),
    path("viewer/<int:pk>/", page_views.viewer, name="viewer"),
    path("items/<int:pk>/transcript.vtt", page_views.transcript, name="transcript"),
    path("contribute/", contribution_views.contribute, name="contribute"),
    path("contribute/<int:pk>/", contribution_views.contribution, name="contribution"),
]
