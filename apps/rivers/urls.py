"""The river pages, per language (/<language>/rivers/)."""

from django.urls import path

from apps.rivers import views

app_name = "rivers"

urlpatterns = [
    path("<slug:slug>/", views.river_detail, name="river"),
]
