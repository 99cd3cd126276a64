"""The stamp tour's pages, per language (/<language>/stamps/)."""

from django.urls import path

from apps.stamps import views

app_name = "stamps"

urlpatterns = [
    path("", views.passport, name="passport"),
    path("certificates/<str:code>/", views.certificate, name="certificate"),
]
