"""The parking pages, per language (/<language>/mobility/parking/)."""

from django.urls import path

from apps.mobility import sharing_views, views

app_name = "mobility"

urlpatterns = [
    path("", views.car_park_list, name="car-parks"),
    path("board/", views.board, name="board"),
    # Resident-priority sharing, before the car park codes (a code is never "sharing").
    path("sharing/", sharing_views.free_slots, name="sharing"),
    path("sharing/spaces/<int:pk>/request/", sharing_views.booking_request, name="sharing-request"),
    path("sharing/bookings/<str:token>/", sharing_views.booking_tracking, name="sharing-booking"),
    path("sharing/manage/<str:token>/", sharing_views.holder_page, name="sharing-holder"),
    path("<str:code>/", views.car_park_detail, name="car-park"),
]
