from django.urls import path, re_path

from apps.archive import views

_ID = r"(?P<identifier>[^/]+)"

iiif_patterns = [
    re_path(rf"^image/{_ID}$", views.image_base, name="archive-iiif-image-base"),
    re_path(rf"^image/{_ID}/info\.json$", views.image_information, name="archive-iiif-image-info"),
    re_path(
        rf"^image/{_ID}/(?P<region>[^/]+)/(?P<size>[^/]+)/(?P<rotation>[^/]+)/(?P<quality>[^/.]+)\.(?P<image_format>[^/.]+)$",
        views.image,
        name="archive-iiif-image",
    ),
    path("manifest/<int:pk>.json", views.item_manifest, name="archive-iiif-manifest"),
    path("collection/<int:pk>.json", views.collection_manifest, name="archive-iiif-collection"),
]
