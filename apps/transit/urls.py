"""Stop and station pages, per language (/<language>/mobility/stops/<stop id>/)."""

from django.urls import path

from apps.transit import views

app_name = "transit"

urlpatterns = [
    path("<str:stop_id>/", views.stop_detail, name="stop"),
    path("<str:stop_id>/board/", views.stop_board_fragment, name="stop-board"),
]
