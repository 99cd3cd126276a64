"""Public pages under /<language>/open-data/datasets/."""

from django.urls import path

from apps.opendata import views

app_name = "opendata"

urlpatterns = [
    path("", views.search, name="search"),
    # Matched before the dataset pages: a dataset named "request" never hides the form.
    path("request/", views.data_request, name="request"),
    path("<slug:slug>/", views.dataset, name="dataset"),
    path("<slug:slug>/report-error/", views.data_error, name="report-error"),
    path("<slug:slug>/map/<uuid:resource_id>.geojson", views.map_features, name="map"),
]
