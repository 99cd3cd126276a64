"""The calls a phone makes for the stamp tour, the same in every language (/stamps/api/)."""

from django.urls import path

from apps.stamps import views

app_name = "stamps_api"

urlpatterns = [
    path("stamp", views.stamp, name="stamp"),
    path("certificate", views.certificate_request, name="certificate"),
]
