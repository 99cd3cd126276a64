"""The geography several areas share: points with a permanent short code (what a QR code carries),
and closures that any area raises and every page of the thing closed shows."""

from typing import Protocol

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import ProtectedError, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.common.language import pick_language
from apps.municipalities.models import Municipality


class PlaceOwner(Protocol):
    """What the area object that owns a place (a trail page, later a river section or a car park)
    answers, so that /t/<code> can send a visitor on without places importing the area."""

    def place_url(self, place: "Place", language_code: str) -> str | None:
        """Where a scan of the place lands, in that language; None when the place is no longer shown."""

    def place_parent(self, language_code: str) -> tuple[str, str] | None:
        """(title, url) of the page a retired place's note links to."""


class Place(models.Model):
    """A point a visitor can be sent to: its code and QR code never change (renaming or moving the
    place keeps them), and a code is never given to another place: places are retired, not deleted."""

    class Kind(models.TextChoices):
        TRAIL_MARKER = "trail-marker", _("Trail marker")
        FACILITY = "facility", _("Facility")
        POINT = "point", _("Point of interest")

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="places"
    )
    code = models.CharField(_("short code"), max_length=8, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name_ko = models.CharField(_("name (Korean)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    # The area object that shows this place (see PlaceOwner); null once that object is gone.
    owner_type = models.ForeignKey(
        ContentType, verbose_name=_("owner type"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    owner_id = models.PositiveBigIntegerField(_("owner id"), null=True, blank=True)
    owner = GenericForeignKey("owner_type", "owner_id")
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["latitude", "longitude"], name="place_position"),
            models.Index(fields=["owner_type", "owner_id"], name="place_owner"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def delete(self, *args, **kwargs):
        # A printed code must never open something else: a place is retired instead.
        raise ProtectedError(_("Places are retired, never deleted: their codes stay taken."), {self})

    @property
    def name(self) -> str:
        return pick_language(self.name_ko, self.name_en)

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


class ClosureQuerySet(models.QuerySet):
    def active(self, at=None) -> "ClosureQuerySet":
        """Closures in force at `at` (now): begun, and not yet over."""
        at = at or timezone.now()
        return self.filter(starts_at__lte=at).filter(Q(ends_at__isnull=True) | Q(ends_at__gt=at))


class Closure(models.Model):
    """A closure or warning the city announces, for one place (a marker, a stretch from there) or
    for a whole area object (a trail, a river walkway: its page). Shown from `starts_at` until
    `ends_at` (open-ended: until an editor lifts it)."""

    class Severity(models.TextChoices):
        NOTICE = "notice", _("Take care (open)")
        DETOUR = "detour", _("Partly closed: detour")
        CLOSED = "closed", _("Closed")

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="closures"
    )
    place = models.ForeignKey(
        Place, verbose_name=_("place"), null=True, blank=True, on_delete=models.PROTECT, related_name="closures"
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page of the area closed"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("A whole trail or walkway: choose its page. For one point, choose a place instead."),
    )
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.CLOSED)
    starts_at = models.DateTimeField(_("from"), default=timezone.now)
    ends_at = models.DateTimeField(_("until"), null=True, blank=True, help_text=_("Empty: until it is lifted."))
    reason_ko = models.CharField(_("reason (Korean)"), max_length=300)
    reason_en = models.CharField(_("reason (English)"), max_length=300, blank=True)
    detour_ko = models.CharField(_("detour (Korean)"), max_length=300, blank=True)
    detour_en = models.CharField(_("detour (English)"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ClosureQuerySet.as_manager()

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(place__isnull=False, page__isnull=True) | Q(place__isnull=True, page__isnull=False),
                name="closure_of_a_place_or_a_page",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="closure_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["starts_at", "ends_at"], name="closure_window")]

    def __str__(self) -> str:
        return self.reason

    @property
    def reason(self) -> str:
        return pick_language(self.reason_ko, self.reason_en)

    @property
    def detour(self) -> str:
        return pick_language(self.detour_ko, self.detour_en)

    def clean(self) -> None:
        if bool(self.place_id) == bool(self.page_id):
            raise ValidationError(_("Choose either a place or the page of the area closed, not both."))
        if self.ends_at and self.starts_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A closure must end after it starts.")})
