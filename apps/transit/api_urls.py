from django.urls import path

from apps.transit.api import StopArrivalsView, StopListView, TripUpdatesView

urlpatterns = [
    path("stops/", StopListView.as_view(), name="transit-stop-list"),
    path("stops/<str:stop_id>/arrivals", StopArrivalsView.as_view(), name="transit-stop-arrivals"),
    path("gtfs-rt/trip-updates", TripUpdatesView.as_view(), name="transit-gtfs-rt-trip-updates"),
]
