from django.urls import path

from apps.mobility.api import CarParkDetailView, CarParkListView, KotsaRealtimeFeedView, SensorReadingView

urlpatterns = [
    path("car-parks/", CarParkListView.as_view(), name="car-park-list"),
    path("car-parks/<str:code>/", CarParkDetailView.as_view(), name="car-park-detail"),
    path("feeds/kotsa-realtime", KotsaRealtimeFeedView.as_view(), name="car-park-kotsa-realtime"),
    path("sensors/readings", SensorReadingView.as_view(), name="sensor-reading"),
]
