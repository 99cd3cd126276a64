from django.urls import path

from apps.archive.api import ItemListView

urlpatterns = [
    path("items/", ItemListView.as_view(), name="archive-item-list"),
]
