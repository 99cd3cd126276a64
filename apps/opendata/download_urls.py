"""File downloads under /open-data/files/ (no language prefix: a data address must not change
with the reader's language)."""

from django.urls import path

from apps.opendata import downloads

urlpatterns = [
    path("<uuid:resource_id>/", downloads.original, name="opendata-file"),
    path("<uuid:resource_id>/v<int:number>/", downloads.original, name="opendata-file-version"),
    path("<uuid:resource_id>.csv", downloads.as_csv, name="opendata-file-csv"),
    path("<uuid:resource_id>.xlsx", downloads.as_xlsx, name="opendata-file-xlsx"),
]
