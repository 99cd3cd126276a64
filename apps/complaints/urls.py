"""Resident pages under /<language>/complaints/."""

from django.urls import path

from apps.complaints import views

app_name = "complaints"

urlpatterns = [
    path("report/", views.report, name="report"),
    path("report/received/", views.received, name="received"),
    path("track/", views.track, name="track"),
    path("track/<str:number>/", views.track_case, name="track-case"),
    path("cases/", views.cases, name="cases"),
    path("cases/<str:number>/", views.case, name="case"),
]
