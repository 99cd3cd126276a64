"""Car parks of every kind, merged from many sources (the ParkAPI pattern: one car park per stable
id, and a row per source keeping what that source said), the sensors that report their free
spaces, and every reading kept as history."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from apps.common.language import pick_language
from apps.municipalities.models import Municipality
from apps.places.models import Place


class CarPark(models.Model):
    """One car park as residents see it. Its static fields are merged from its sources
    (apps.mobility.services.car_park_merge); free_spaces is the current state that only
    occupancy_reading_apply writes (with a queryset update: live numbers do not empty the page cache)."""

    class Kind(models.TextChoices):
        PUBLIC = "public", _("Public")
        ATTACHED = "attached", _("Attached (부설)")
        OPENED = "opened", _("Opened to the public (개방: school, church)")
        PRIVATE = "private", _("Private partner")
        RESIDENT = "resident", _("Resident-priority zone")

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="car_parks"
    )
    # The 주차장관리번호 of the national standard file; a car park known only to another source is
    # "<source>:<its id>" until the standard file names it.
    stable_id = models.CharField(_("stable id"), max_length=60)
    place = models.OneToOneField(Place, verbose_name=_("place"), on_delete=models.PROTECT, related_name="car_park")
    name_ko = models.CharField(_("name (Korean)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PUBLIC)
    lot_type = models.CharField(_("type (노상/노외/부설)"), max_length=20, blank=True)
    address_road = models.CharField(_("road address"), max_length=200, blank=True)
    address_lot = models.CharField(_("lot address"), max_length=200, blank=True)
    spaces_total = models.PositiveIntegerField(_("spaces"), default=0)
    spaces_accessible = models.PositiveIntegerField(_("accessible bays"), null=True, blank=True)
    spaces_ev = models.PositiveIntegerField(_("EV charging bays"), null=True, blank=True)
    has_accessible_bays = models.BooleanField(_("has accessible bays"), default=False)
    # Opening hours by day type; both empty: closed on such days. 00:00-23:59 is round the clock.
    weekday_opens = models.TimeField(_("weekdays from"), null=True, blank=True)
    weekday_closes = models.TimeField(_("weekdays until"), null=True, blank=True)
    saturday_opens = models.TimeField(_("Saturdays from"), null=True, blank=True)
    saturday_closes = models.TimeField(_("Saturdays until"), null=True, blank=True)
    holiday_opens = models.TimeField(_("Sundays and holidays from"), null=True, blank=True)
    holiday_closes = models.TimeField(_("Sundays and holidays until"), null=True, blank=True)
    is_free = models.BooleanField(_("free of charge"), default=False)
    base_minutes = models.PositiveIntegerField(_("base time (minutes)"), null=True, blank=True)
    base_fee = models.PositiveIntegerField(_("base fee (₩)"), null=True, blank=True)
    extra_unit_minutes = models.PositiveIntegerField(_("extra unit (minutes)"), null=True, blank=True)
    extra_unit_fee = models.PositiveIntegerField(_("fee per extra unit (₩)"), null=True, blank=True)
    daily_max_fee = models.PositiveIntegerField(_("day pass / daily maximum (₩)"), null=True, blank=True)
    daily_pass_hours = models.CharField(_("hours the day pass covers"), max_length=40, blank=True)
    monthly_pass_fee = models.PositiveIntegerField(_("monthly pass (₩)"), null=True, blank=True)
    # Discounts in percent, by the driver's entitlement (apps.mobility.fees.Discount).
    discount_ev = models.PositiveSmallIntegerField(_("EV discount (%)"), default=0, validators=[MaxValueValidator(100)])
    discount_compact = models.PositiveSmallIntegerField(
        _("compact car discount (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    discount_disabled = models.PositiveSmallIntegerField(
        _("disabled driver discount (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    discount_merit = models.PositiveSmallIntegerField(
        _("national merit discount (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    discount_multichild = models.PositiveSmallIntegerField(
        _("multi-child family discount (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    payment_methods = models.CharField(_("payment methods"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    operator = models.CharField(_("operator"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    data_date = models.DateField(_("data as of"), null=True, blank=True)
    # Set by a closure event (a river flood closing the 둔치 car parks): shown as closed.
    closed_by_event = models.BooleanField(_("closed by an event"), default=False)
    closed_reason = models.CharField(_("why closed"), max_length=300, blank=True)
    # Which source gave each merged field: {"base_fee": "standard-file", ...}.
    field_sources = models.JSONField(_("source of each field"), default=dict, blank=True, editable=False)
    # The current state, written only under the row lock by occupancy_reading_apply.
    free_spaces = models.IntegerField(_("free spaces"), null=True, blank=True, editable=False)
    free_spaces_read_at = models.DateTimeField(_("free spaces read at"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("car park")
        verbose_name_plural = _("car parks")
        ordering = ["name_ko"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "stable_id"], name="mobility_carpark_unique_stable_id"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick_language(self.name_ko, self.name_en)

    def place_url(self, place: Place, language_code: str) -> str | None:
        with translation.override(language_code):
            return reverse("mobility:car-park", args=[place.code])

    def place_parent(self, language_code: str) -> tuple[str, str] | None:
        with translation.override(language_code):
            return str(_("Car parks")), reverse("mobility:car-parks")


class CarParkSource(models.Model):
    """What one source said about one car park, as it said it (raw) and as read (fields), and when."""

    class Source(models.TextChoices):
        STANDARD_FILE = "standard-file", _("전국주차장정보표준데이터")
        KOTSA_FACILITY = "kotsa-facility", _("KOTSA facility info (PrkSttusInfo)")
        KOTSA_OPERATION = "kotsa-operation", _("KOTSA operation info (PrkOprInfo)")

    car_park = models.ForeignKey(CarPark, verbose_name=_("car park"), on_delete=models.CASCADE, related_name="sources")
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    source_id = models.CharField(_("id at the source"), max_length=60)
    raw = models.JSONField(_("as received"), default=dict, encoder=DjangoJSONEncoder)
    fields = models.JSONField(_("as read"), default=dict, encoder=DjangoJSONEncoder)
    fetched_at = models.DateTimeField(_("fetched"))

    class Meta:
        verbose_name = _("car park source record")
        verbose_name_plural = _("car park source records")
        constraints = [
            models.UniqueConstraint(fields=["car_park", "source"], name="mobility_source_one_per_car_park"),
            models.UniqueConstraint(fields=["source", "source_id"], name="mobility_source_unique_id"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.source_id}"


class CarParkImport(models.Model):
    """One upload of the 전국주차장정보표준데이터 file: the file as received, stored before the task that
    imports it is queued (a worker that dies loses nothing: the import runs again from the stored
    file, and changes nothing the second time), where that task is, and what it did."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        PROCESSING = "processing", _("Importing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.CASCADE, related_name="car_park_imports"
    )
    file = models.FileField(_("file as uploaded"), upload_to="mobility/imports/%Y/%m/", max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED)
    # The rows of the city to merge (the national file's other cities are left out) and how many are.
    rows_total = models.PositiveIntegerField(_("rows to import"), default=0)
    rows_done = models.PositiveIntegerField(_("rows imported"), default=0)
    added = models.PositiveIntegerField(_("car parks added"), default=0)
    updated = models.PositiveIntegerField(_("car parks updated"), default=0)
    unchanged = models.PositiveIntegerField(_("car parks unchanged"), default=0)
    other_cities = models.PositiveIntegerField(_("rows of other cities"), default=0)
    problem_count = models.PositiveIntegerField(_("rows refused"), default=0)
    # The first MAX_STORED_PROBLEMS refused rows, each {"line": n, "ko": reason, "en": reason}.
    problems = models.JSONField(_("rows refused, with the reason"), default=list, blank=True)
    error = models.TextField(_("why it failed"), blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    MAX_STORED_PROBLEMS = 1000

    class Meta:
        verbose_name = _("car park import")
        verbose_name_plural = _("car park imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.created_at:%Y-%m-%d %H:%M})"


class SensorDevice(models.Model):
    """A sensor or gate system allowed to push readings for one car park. Only a hash of its token
    is stored; the token is shown once, when the device is made."""

    car_park = models.ForeignKey(CarPark, verbose_name=_("car park"), on_delete=models.CASCADE, related_name="devices")
    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sensor device")
        verbose_name_plural = _("sensor devices")

    def __str__(self) -> str:
        return self.name


class OccupancyReading(models.Model):
    """One applied count of free spaces, kept as history (typical occupancy, the open dataset)."""

    class Source(models.TextChoices):
        SENSOR = "sensor", _("Sensor push")
        KOTSA_REALTIME = "kotsa-realtime", _("KOTSA realtime (PrkRealtimeInfo)")

    car_park = models.ForeignKey(CarPark, verbose_name=_("car park"), on_delete=models.CASCADE, related_name="readings")
    free_spaces = models.PositiveIntegerField(_("free spaces"))
    read_at = models.DateTimeField(_("read at (device time)"))
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    device = models.ForeignKey(
        SensorDevice, verbose_name=_("device"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message_id = models.CharField(_("message id"), max_length=100)

    class Meta:
        verbose_name = _("occupancy reading")
        verbose_name_plural = _("occupancy readings")
        ordering = ["-read_at"]
        constraints = [
            # A message sent twice (a retry after a lost answer) is stored once.
            models.UniqueConstraint(fields=["car_park", "source", "message_id"], name="mobility_reading_once"),
        ]
        indexes = [models.Index(fields=["car_park", "read_at"], name="mobility_reading_time")]

    def __str__(self) -> str:
        return f"{self.car_park_id} {self.free_spaces} @ {self.read_at:%Y-%m-%d %H:%M}"


class ResidentSpace(models.Model):
    """A 거주자우선주차 space whose permit holder shares it by the hour. The city issues the permit, so
    staff register the space; the holder manages it through a link whose token only a hash of is kept.
    The holder's name and phone are never shown publicly (see sharing_services)."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="resident_spaces"
    )
    place = models.ForeignKey(Place, verbose_name=_("place"), on_delete=models.PROTECT, related_name="resident_spaces")
    zone_name = models.CharField(_("zone / space number"), max_length=100)
    holder_name = models.CharField(_("permit holder's name"), max_length=100)
    holder_phone = models.CharField(_("permit holder's phone"), max_length=30)
    hourly_fee = models.PositiveIntegerField(_("fee per hour for sharing (₩)"))
    management_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("resident-priority space")
        verbose_name_plural = _("resident-priority spaces")
        ordering = ["zone_name"]

    def __str__(self) -> str:
        return self.zone_name


class SharingSlot(models.Model):
    """A time the holder offers the space for; drivers book parts of it."""

    space = models.ForeignKey(ResidentSpace, verbose_name=_("space"), on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("offered time")
        verbose_name_plural = _("offered times")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="mobility_slot_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.space_id} {self.starts_at:%Y-%m-%d %H:%M}-{self.ends_at:%H:%M}"


class SharingBooking(models.Model):
    """A driver's request for part of an offered time. Requested and approved bookings of one space
    never overlap: checked under the space's row lock, and on PostgreSQL by an exclusion constraint
    (migration 0003)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        CANCELLED = "cancelled", _("Cancelled")

    HOLDING = (Status.REQUESTED, Status.APPROVED)

    space = models.ForeignKey(ResidentSpace, verbose_name=_("space"), on_delete=models.CASCADE, related_name="bookings")
    slot = models.ForeignKey(
        SharingSlot, verbose_name=_("offered time"), on_delete=models.PROTECT, related_name="bookings"
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    driver_name = models.CharField(_("driver's name"), max_length=100)
    driver_phone = models.CharField(_("driver's phone"), max_length=30)
    licence_plate = models.CharField(_("licence plate"), max_length=20)
    consent_at = models.DateTimeField(_("consent given at"))
    consent_purpose = models.CharField(_("purpose shown at consent"), max_length=300)
    # Recorded when requested: the fee shown to the driver, whatever the hourly fee becomes later.
    fee = models.PositiveIntegerField(_("fee (₩)"))
    tracking_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("sharing booking")
        verbose_name_plural = _("sharing bookings")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="mobility_booking_ordered"
            ),
        ]
        indexes = [models.Index(fields=["space", "starts_at"], name="mobility_booking_time")]

    def __str__(self) -> str:
        return f"{self.space_id} {self.starts_at:%Y-%m-%d %H:%M}-{self.ends_at:%H:%M} {self.status}"
