"""One GTFS feed per city as imported by apps.transit.services.gtfs_feed_import: agencies, routes,
stops (each with a places.Place for its position and /t/<code> URL), trips, their stop times and the
calendars saying on which days a trip runs. A new feed replaces the old one whole."""

from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from apps.common.language import pick_language
from apps.municipalities.models import Municipality
from apps.places.models import Place


class Feed(models.Model):
    municipality = models.OneToOneField(
        Municipality, verbose_name=_("municipality"), on_delete=models.CASCADE, related_name="transit_feed"
    )
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    version = models.CharField(_("version"), max_length=100, blank=True)
    # Shown next to every timetable taken from this feed (e.g. the seed feed is illustrative).
    is_illustrative = models.BooleanField(_("illustrative"), default=False)
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    class Meta:
        verbose_name = _("transit feed")

    def __str__(self) -> str:
        return f"{self.municipality_id}: {self.version}"


class Agency(models.Model):
    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="agencies")
    agency_id = models.CharField(max_length=100)
    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("web site"), blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["feed", "agency_id"], name="transit_agency_unique")]

    def __str__(self) -> str:
        return self.name


class Route(models.Model):
    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="routes")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="routes")
    route_id = models.CharField(max_length=100)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    long_name = models.CharField(_("long name"), max_length=200, blank=True)
    route_type = models.PositiveSmallIntegerField(_("GTFS route type"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["feed", "route_id"], name="transit_route_unique")]

    def __str__(self) -> str:
        return self.short_name or self.long_name

    @property
    def display_name(self) -> str:
        """As riders say it: the long name in Korean (1번, 1호선), the short one otherwise (1, Line 1)."""
        return pick_language(self.long_name or self.short_name, self.short_name or self.long_name)


class Stop(models.Model):
    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="stops")
    stop_id = models.CharField(max_length=100, db_index=True)
    code = models.CharField(_("stop number"), max_length=50, blank=True)
    name = models.CharField(_("name"), max_length=200)
    place = models.OneToOneField(Place, on_delete=models.PROTECT, related_name="transit_stop")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["feed", "stop_id"], name="transit_stop_unique")]

    def __str__(self) -> str:
        return self.name

    def place_url(self, place: Place, language_code: str) -> str | None:
        with translation.override(language_code):
            return reverse("transit:stop", args=[self.stop_id])

    def place_parent(self, language_code: str) -> tuple[str, str] | None:
        return None


class Calendar(models.Model):
    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="calendars")
    service_id = models.CharField(max_length=100)
    # Monday first, as date.weekday() counts.
    weekdays = models.CharField(max_length=7)
    start_date = models.DateField()
    end_date = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["feed", "service_id"], name="transit_calendar_unique")]

    def __str__(self) -> str:
        return self.service_id


class CalendarDate(models.Model):
    """calendar_dates.txt: a service added (1) or removed (2) on one date, e.g. a holiday."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="calendar_dates")
    service_id = models.CharField(max_length=100)
    date = models.DateField()
    exception_type = models.PositiveSmallIntegerField()

    def __str__(self) -> str:
        return f"{self.service_id} {self.date}"


class Trip(models.Model):
    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="trips")
    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="trips")
    service_id = models.CharField(max_length=100)
    trip_id = models.CharField(max_length=100)
    headsign = models.CharField(max_length=200, blank=True)
    direction_id = models.PositiveSmallIntegerField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["feed", "trip_id"], name="transit_trip_unique")]

    def __str__(self) -> str:
        return self.trip_id


class StopTime(models.Model):
    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="stop_times")
    stop = models.ForeignKey(Stop, on_delete=models.CASCADE, related_name="stop_times")
    sequence = models.PositiveIntegerField()
    # Seconds after midnight of the service day: GTFS writes a trip leaving at 00:20 the next
    # morning as 24:20:00, so values reach past 86,400.
    departure_seconds = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["stop", "departure_seconds"], name="transit_stoptime_stop_dep")]

    def __str__(self) -> str:
        return f"{self.trip_id}#{self.sequence}"
