from django.urls import path

from apps.transit.api import StopArrivalsView, StopListView

urlpatterns = [
    path("stops/", StopListView.as_view(), name="transit-stop-list"),
    path("stops/<str:stop_id>/arrivals", StopArrivalsView.as_view(), name="transit-stop-arrivals"),
]
