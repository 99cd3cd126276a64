"""Machine doors to the catalogue: the CKAN Action API, the DCAT catalogue and the row API."""

from django.urls import path

from apps.opendata import api, ckan, dcat

# No trailing slash: ckanapi posts without following redirects.
ckan_patterns: list = [path("<str:name>", ckan.action, name="ckan-action")]
catalog_patterns: list = [
    path("catalog.jsonld", dcat.catalog_jsonld, name="opendata-catalog-jsonld"),
    path("catalog.ttl", dcat.catalog_turtle, name="opendata-catalog-ttl"),
]
api_v1_patterns: list = [
    path("datasets/", api.DatasetListView.as_view(), name="opendata-dataset-list"),
    path("datasets/<slug:slug>/", api.DatasetDetailView.as_view(), name="opendata-dataset-detail"),
    path("resources/<uuid:resource_id>/rows/", api.ResourceRowsView.as_view(), name="opendata-resource-rows"),
]
