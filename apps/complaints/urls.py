"""Resident pages under /<language>/complaints/."""

app_name = "complaints"

urlpatterns: list = []
