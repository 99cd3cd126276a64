"""Reads for places and closures."""

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.db.models import Case, Q, QuerySet, When
from django.urls import reverse
from wagtail.models import Page

from apps.common.periods import next_period_edge
from apps.places.codes import code_normalise
from apps.places.models import Closure, Place


def place_by_code(code: str) -> Place | None:
    """The place a code names, retired or not; None for a code no place ever had."""
    normalised = code_normalise(code)
    if normalised is None:
        return None
    return Place.objects.select_related("municipality__site", "owner_type").filter(code=normalised).first()


def place_permanent_url(place: Place) -> str:
    """The absolute short URL a QR code carries: the city's own site address, else SITE_URL."""
    site = place.municipality.site
    root = site.root_url if site is not None else settings.SITE_URL
    return root.rstrip("/") + reverse("places:short-url", kwargs={"code": place.code})


def closures_active(
    *, pages: Iterable[Page] = (), places: Iterable[Place] = (), at: datetime | None = None
) -> QuerySet[Closure]:
    """Closures in force now (or at `at`) on any of these pages (in any of their languages: a
    closure set on the Korean trail page shows on its English page too) or places."""
    keys = [page.translation_key for page in pages]
    place_ids = [place.pk for place in places]
    if not keys and not place_ids:
        return Closure.objects.none()
    return (
        Closure.objects.active(at)
        .filter(Q(page__translation_key__in=keys) | Q(place_id__in=place_ids))
        .select_related("place", "page")
        .alias(
            weight=Case(
                When(severity=Closure.Severity.CLOSED, then=2),
                When(severity=Closure.Severity.DETOUR, then=1),
                default=0,
            )
        )
        .order_by("-weight", "starts_at")
    )


def closures_next_change(*, at: datetime) -> datetime | None:
    """When the next closure begins or ends after `at`, if any will: a page showing closures is
    out of date from that moment."""
    return next_period_edge(Closure.objects.all(), starts="starts_at", ends="ends_at", at=at)
