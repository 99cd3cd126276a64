"""Permanent addresses of places, outside the language prefixes: a printed code must work in any
language and for ever."""

from django.urls import path

from apps.places import views

app_name = "places"

urlpatterns = [
    path("<str:code>", views.short_url, name="short-url"),
    path("<str:code>/proof", views.scan_proof, name="scan-proof"),
    path("<str:code>/qr.svg", views.qr_code, {"image_format": "svg"}, name="qr-svg"),
    path("<str:code>/qr.png", views.qr_code, {"image_format": "png"}, name="qr-png"),
]
