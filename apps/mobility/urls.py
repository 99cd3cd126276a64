"""The parking pages, per language (/<language>/mobility/parking/)."""

from django.urls import path

from apps.mobility import views

app_name = "mobility"

urlpatterns = [
    path("", views.car_park_list, name="car-parks"),
    path("board/", views.board, name="board"),
    path("<str:code>/", views.car_park_detail, name="car-park"),
]
