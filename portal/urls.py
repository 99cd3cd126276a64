from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from apps.archive import views as archive_views
from apps.archive.urls import iiif_patterns
from apps.chat import views as chat_views
from apps.complaints import open311
from apps.complaints import views as complaint_views
from apps.complaints.api import (
    CategoryListView,
    ComplaintCreateView,
    ComplaintStatusByPhoneView,
    ComplaintStatusView,
    NearbyView,
    PhotoUploadView,
    TriageView,
)
from apps.municipalities.api import DepartmentListView
from apps.opendata.api_urls import api_v1_patterns, catalog_patterns, ckan_patterns
from apps.opendata.sitemaps import DatasetSitemap
from apps.trails.api import TrailDetailView, TrailListView
from content.api import SiteAlertListView
from content.sitemaps import MultilingualSitemap
from portal import documents, health, media, pwa
from portal.admin_login import RateLimitedLoginView

api_v1 = [
    path("departments/", DepartmentListView.as_view(), name="department-list"),
    path("complaints/categories/", CategoryListView.as_view(), name="category-list"),
    path("complaints/triage", TriageView.as_view(), name="complaint-triage"),
    path("complaints/nearby/", NearbyView.as_view(), name="complaint-nearby"),
    path("complaints/photos/", PhotoUploadView.as_view(), name="complaint-photo-upload"),
    path("complaints/", ComplaintCreateView.as_view(), name="complaint-create"),
    path("complaints/<str:number>/", ComplaintStatusView.as_view(), name="complaint-status"),
    path(
        "complaints/<str:number>/status-by-phone/",
        ComplaintStatusByPhoneView.as_view(),
        name="complaint-status-by-phone",
    ),
    path("alerts/", SiteAlertListView.as_view(), name="alert-list"),
    path("trails/", TrailListView.as_view(), name="trail-list"),
    path("trails/<int:id>/", TrailDetailView.as_view(), name="trail-detail"),
    path("mobility/", include("apps.mobility.api_urls")),
    path("mobility/", include("apps.transit.api_urls")),
    path("rivers/", include("apps.rivers.api_urls")),
    path("archive/", include("apps.archive.api_urls")),
    path("staff/", include("apps.complaints.staff_urls")),
    path("opendata/", include(api_v1_patterns)),
]

FORMAT = r"\.(?P<fmt>json|xml)$"
open311_v2 = [
    re_path(r"^discovery" + FORMAT, open311.discovery),
    re_path(r"^services" + FORMAT, open311.services_list),
    re_path(r"^services/(?P<code>[\w-]+)" + FORMAT, open311.service_definition),
    re_path(r"^requests" + FORMAT, open311.requests_view),
    re_path(r"^requests/(?P<number>[\w-]+)" + FORMAT, open311.request_detail),
]

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service-worker"),
    path("offline/", pwa.offline, name="offline"),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": MultilingualSitemap, "datasets": DatasetSitemap}}),
    # Before Wagtail's own login/ below, which the wrapper replaces: failed sign-ins are limited.
    path("admin/login/", RateLimitedLoginView.as_view(), name="admin-login"),
    path("admin/", include(wagtailadmin_urls)),
    # Before Wagtail's own: the same checks, with byte ranges and streaming (portal/documents.py).
    re_path(r"^documents/(\d+)/(.*)$", documents.serve, name="wagtaildocs_serve"),
    path("documents/", include(wagtaildocs_urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include((api_v1, "api"), namespace="v1")),
    path("open311/v2/", include(open311_v2)),
    # CKAN clients use either prefix; both answer the same calls.
    path("api/3/action/", include(ckan_patterns)),
    path("api/action/", include(ckan_patterns)),
    *catalog_patterns,
    path("open-data/files/", include("apps.opendata.download_urls")),
    path("complaints/photos/<uuid:uuid>.jpg", complaint_views.photo, name="complaint-photo"),
    path("chat/photos/", chat_views.photo_upload, name="chat-photo-upload"),
    # Printed on trail markers (and later river signs): the same address in every language, for ever.
    path("t/", include("apps.places.urls")),
    # The stamp tour's calls from the phone (its pages are per language, below).
    path("stamps/api/", include("apps.stamps.api_urls")),
    # The archive for viewers (IIIF Image and Presentation APIs) and harvesters (OAI-PMH 2.0).
    path("iiif/", include(iiif_patterns)),
    path("oai", archive_views.oai_pmh, name="archive-oai"),
    path("files/<path:name>", archive_views.item_file, name="archive-file"),
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media.public_file),
]

urlpatterns += i18n_patterns(
    # Below the 민원 section page: the report form, the tracking page, the public cases.
    path("complaints/", include("apps.complaints.urls")),
    path("open-data/datasets/", include("apps.opendata.urls")),
    path("stamps/", include("apps.stamps.urls")),
    # Below the 주차·교통 section page: car parks with free spaces now, fees, the kiosk board.
    path("mobility/parking/", include("apps.mobility.urls")),
    # Bus stops and stations: arrivals live (GBIS) or scheduled, the last bus or train of the day.
    path("mobility/stops/", include("apps.transit.urls")),
    # A river's walkway, entrances and water levels now (the river guide pages come later).
    path("rivers/", include("apps.rivers.urls")),
    # Below the 아카이브 section page: search with facets, map and timeline; each item's page.
    path("archive/", include("apps.archive.page_urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

handler500 = "portal.errors.server_error"
