from django.urls import path

from apps.rivers.api import GateStateView, LevelReadingView, RiverDetailView, RiverListView

urlpatterns = [
    path("", RiverListView.as_view(), name="river-list"),
    path("sensors/readings", LevelReadingView.as_view(), name="river-sensor-reading"),
    path("gates/states", GateStateView.as_view(), name="river-gate-state"),
    path("<slug:slug>/", RiverDetailView.as_view(), name="river-detail"),
]
