"""Rivers and their walkways: water-level stations with the four alert levels HRFCO gives for each,
the readings they send (kept as history), the entrances to the riverside walkway (each a place, with
its gate), the devices allowed to push, and the log of every gate change and walkway closure.

Whether an entrance is open is never stored on it: an entrance is closed while a "closed" closure
of apps.places is in force on its place (the walkway rule, its gate, or an editor made it), so every
area that hears closure_changed reacts the same way to all three."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from apps.common.language import pick_language
from apps.municipalities.models import Municipality
from apps.places.models import Closure, Place


class AlertLevel(models.TextChoices):
    """HRFCO's four water-level thresholds (attwl, wrnwl, almwl, srswl), and below the first."""

    NORMAL = "normal", _("Normal")
    ATTENTION = "attention", _("관심 (attention)")
    CAUTION = "caution", _("주의 (caution)")
    WARNING = "warning", _("경계 (warning)")
    SERIOUS = "serious", _("심각 (serious)")


# From low to high: a level "passes" another when it comes later in this list.
LEVEL_ORDER = [AlertLevel.NORMAL, AlertLevel.ATTENTION, AlertLevel.CAUTION, AlertLevel.WARNING, AlertLevel.SERIOUS]
CLOSING_LEVELS = [(level.value, level.label) for level in LEVEL_ORDER[1:]]


class River(models.Model):
    """A river of the city whose riverside walkway can be closed as a whole."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="rivers"
    )
    slug = models.SlugField(_("slug"), max_length=40, allow_unicode=False)
    name_ko = models.CharField(_("name (Korean)"), max_length=50)
    name_en = models.CharField(_("name (English)"), max_length=80, blank=True)
    closing_level = models.CharField(
        _("alert level that closes the walkway"),
        max_length=10,
        choices=CLOSING_LEVELS,
        default=AlertLevel.CAUTION,
        help_text=_("When a station of this river reaches this level, every entrance closes until staff reopen it."),
    )
    also_closes = models.ManyToManyField(
        Place,
        verbose_name=_("other places closed with the walkway"),
        blank=True,
        related_name="+",
        help_text=_("E.g. the car parks on the riverbank (둔치): they close and reopen with the walkway."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("river")
        verbose_name_plural = _("rivers")
        ordering = ["sort_order", "name_ko"]
        constraints = [models.UniqueConstraint(fields=["municipality", "slug"], name="rivers_river_unique_slug")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick_language(self.name_ko, self.name_en)

    def get_url(self, language_code: str | None = None) -> str:
        """Its Wagtail page in that language, or else its live state alone."""
        from apps.rivers.selectors import river_page_url

        language_code = language_code or translation.get_language()
        if page_url := river_page_url(self, language_code):
            return page_url
        with translation.override(language_code):
            return reverse("rivers:river", args=[self.slug])


class WaterLevelStation(models.Model):
    """A water-level gauge: one of HRFCO's (its code is HRFCO's wlobscd) or the city's own. The four
    alert levels are read from HRFCO's station data (apps.rivers.hrfco), never typed in. The current
    reading is written only by water_level_reading_apply, with update(): a new reading every ten
    minutes is no reason to empty the page cache."""

    class LevelsSource(models.TextChoices):
        HRFCO = "hrfco", _("HRFCO station data (waterlevel/info)")

    river = models.ForeignKey(River, verbose_name=_("river"), on_delete=models.PROTECT, related_name="stations")
    code = models.CharField(_("station code (HRFCO wlobscd)"), max_length=20, unique=True)
    name_ko = models.CharField(_("name (Korean)"), max_length=50)
    name_en = models.CharField(_("name (English)"), max_length=80, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    attention_m = models.FloatField(_("관심 level (m)"), null=True, blank=True, editable=False)
    caution_m = models.FloatField(_("주의 level (m)"), null=True, blank=True, editable=False)
    warning_m = models.FloatField(_("경계 level (m)"), null=True, blank=True, editable=False)
    serious_m = models.FloatField(_("심각 level (m)"), null=True, blank=True, editable=False)
    levels_source = models.CharField(
        _("alert levels from"), max_length=10, choices=LevelsSource.choices, blank=True, editable=False
    )
    levels_read_at = models.DateTimeField(_("alert levels read"), null=True, blank=True, editable=False)
    # Made up for the demonstration: every page and answer that shows the station says so.
    illustrative = models.BooleanField(_("illustrative data"), default=False)
    water_level_m = models.FloatField(_("water level (m)"), null=True, blank=True, editable=False)
    flow_m3s = models.FloatField(_("flow (m³/s)"), null=True, blank=True, editable=False)
    alert_level = models.CharField(
        _("alert level"), max_length=10, choices=AlertLevel.choices, default=AlertLevel.NORMAL, editable=False
    )
    read_at = models.DateTimeField(_("read at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("water-level station")
        verbose_name_plural = _("water-level stations")
        ordering = ["river", "name_ko"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick_language(self.name_ko, self.name_en)

    @property
    def thresholds(self) -> dict[str, float | None]:
        return {
            AlertLevel.ATTENTION: self.attention_m,
            AlertLevel.CAUTION: self.caution_m,
            AlertLevel.WARNING: self.warning_m,
            AlertLevel.SERIOUS: self.serious_m,
        }


class RiverEntrance(models.Model):
    """An entrance to the riverside walkway, with a gate (진입차단시설) or none."""

    river = models.ForeignKey(River, verbose_name=_("river"), on_delete=models.PROTECT, related_name="entrances")
    place = models.OneToOneField(
        Place, verbose_name=_("place"), on_delete=models.PROTECT, related_name="river_entrance"
    )
    name_ko = models.CharField(_("name (Korean)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    has_gate = models.BooleanField(_("has a gate"), default=True)
    # The last state the gate system or staff set, and when (a late message never overwrites it).
    gate_closed = models.BooleanField(_("gate closed"), default=False, editable=False)
    gate_changed_at = models.DateTimeField(_("gate changed"), null=True, blank=True, editable=False)
    gate_closure = models.ForeignKey(
        Closure, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("river entrance")
        verbose_name_plural = _("river entrances")
        ordering = ["river", "name_ko"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick_language(self.name_ko, self.name_en)

    def place_url(self, place: Place, language_code: str) -> str | None:
        return self.river.get_url(language_code)

    def place_parent(self, language_code: str) -> tuple[str, str] | None:
        return self.river.name, self.river.get_url(language_code)


class RiverDevice(models.Model):
    """A water-level sensor of the city or a gate system, allowed to push for one station or one
    entrance. Only a hash of its token is stored; the token is shown once, when the device is made."""

    class Kind(models.TextChoices):
        LEVEL_SENSOR = "level-sensor", _("Water-level sensor")
        GATE = "gate", _("Gate system")

    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    station = models.ForeignKey(
        WaterLevelStation,
        verbose_name=_("station"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="devices",
    )
    entrance = models.ForeignKey(
        RiverEntrance,
        verbose_name=_("entrance"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="devices",
    )
    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("river device")
        verbose_name_plural = _("river devices")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="level-sensor", station__isnull=False, entrance__isnull=True)
                | Q(kind="gate", station__isnull=True, entrance__isnull=False),
                name="rivers_device_reports_for_one_thing",
            )
        ]

    def __str__(self) -> str:
        return self.name


class WaterLevelReading(models.Model):
    """One water level received, kept as history (the chart, the open dataset)."""

    class Source(models.TextChoices):
        HRFCO = "hrfco", _("HRFCO open API")
        SENSOR = "sensor", _("City sensor push")
        ILLUSTRATIVE = "illustrative", _("Illustrative (demonstration data)")

    station = models.ForeignKey(
        WaterLevelStation, verbose_name=_("station"), on_delete=models.CASCADE, related_name="readings"
    )
    water_level_m = models.FloatField(_("water level (m)"))
    flow_m3s = models.FloatField(_("flow (m³/s)"), null=True, blank=True)
    alert_level = models.CharField(_("alert level"), max_length=10, choices=AlertLevel.choices)
    read_at = models.DateTimeField(_("read at"))
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    source = models.CharField(_("source"), max_length=15, choices=Source.choices)
    device = models.ForeignKey(
        RiverDevice, verbose_name=_("device"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message_id = models.CharField(_("message id"), max_length=100)

    class Meta:
        verbose_name = _("water-level reading")
        verbose_name_plural = _("water-level readings")
        ordering = ["-read_at"]
        constraints = [
            # A message received twice (a retry, or HRFCO's overlapping lists) is stored once.
            models.UniqueConstraint(fields=["station", "source", "message_id"], name="rivers_reading_once"),
        ]
        indexes = [models.Index(fields=["station", "read_at"], name="rivers_reading_time")]

    def __str__(self) -> str:
        return f"{self.station_id} {self.water_level_m} m @ {self.read_at:%Y-%m-%d %H:%M}"


class LevelChange(models.Model):
    """A station's current alert level moved (up or down): the alerts kept and published."""

    station = models.ForeignKey(
        WaterLevelStation, verbose_name=_("station"), on_delete=models.CASCADE, related_name="level_changes"
    )
    level_from = models.CharField(_("from"), max_length=10, choices=AlertLevel.choices)
    level_to = models.CharField(_("to"), max_length=10, choices=AlertLevel.choices)
    water_level_m = models.FloatField(_("water level (m)"))
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("alert level change")
        verbose_name_plural = _("alert level changes")
        ordering = ["-at"]
        indexes = [models.Index(fields=["at"], name="rivers_level_change_time")]

    def __str__(self) -> str:
        return f"{self.station_id} {self.level_from}→{self.level_to} @ {self.at:%Y-%m-%d %H:%M}"


class WalkwayClosure(models.Model):
    """The walkway of a river closed as a whole (every entrance, and the places closed with it),
    by the water-level rule or by staff; reopened only by staff, who say why."""

    class Cause(models.TextChoices):
        RULE = "rule", _("Water level reached the closing level")
        STAFF = "staff", _("Closed by staff")

    river = models.ForeignKey(River, verbose_name=_("river"), on_delete=models.PROTECT, related_name="closures")
    cause = models.CharField(_("cause"), max_length=10, choices=Cause.choices)
    station = models.ForeignKey(
        WaterLevelStation, verbose_name=_("station"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason_ko = models.CharField(_("reason (Korean)"), max_length=300)
    reason_en = models.CharField(_("reason (English)"), max_length=300, blank=True)
    closed_at = models.DateTimeField(_("closed"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reopened_at = models.DateTimeField(_("reopened"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reopened by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reopen_note = models.CharField(_("why reopened"), max_length=300, blank=True)
    place_closures = models.ManyToManyField(Closure, verbose_name=_("closures"), related_name="+", blank=True)

    class Meta:
        verbose_name = _("walkway closure")
        verbose_name_plural = _("walkway closures")
        ordering = ["-closed_at"]
        permissions = [("operate_walkway", "Can close and reopen walkways and set gates")]
        constraints = [
            # One walkway closure in force per river: the rule and staff find it, never add a second.
            models.UniqueConstraint(
                fields=["river"], condition=Q(reopened_at__isnull=True), name="rivers_one_open_closure_per_river"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.river} {self.closed_at:%Y-%m-%d %H:%M}"

    @property
    def reason(self) -> str:
        return pick_language(self.reason_ko, self.reason_en)


class GateChange(models.Model):
    """One gate state received from a gate system, or set by staff (who, when, why), kept as history
    whether or not it became the gate's state (a late message is kept, not applied)."""

    class Source(models.TextChoices):
        GATE = "gate", _("Gate system")
        STAFF = "staff", _("Staff")

    entrance = models.ForeignKey(
        RiverEntrance, verbose_name=_("entrance"), on_delete=models.CASCADE, related_name="gate_changes"
    )
    closed = models.BooleanField(_("closed"))
    at = models.DateTimeField(_("at"))
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    device = models.ForeignKey(
        RiverDevice, verbose_name=_("device"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(_("why"), max_length=300, blank=True)
    message_id = models.CharField(_("message id"), max_length=100, blank=True)
    applied = models.BooleanField(_("applied"), default=True)

    class Meta:
        verbose_name = _("gate change")
        verbose_name_plural = _("gate changes")
        ordering = ["-at"]
        constraints = [
            models.UniqueConstraint(
                fields=["entrance", "source", "message_id"],
                condition=~Q(message_id=""),
                name="rivers_gate_message_once",
            ),
        ]
        indexes = [models.Index(fields=["at"], name="rivers_gate_change_time")]

    def __str__(self) -> str:
        return f"{self.entrance_id} {'closed' if self.closed else 'open'} @ {self.at:%Y-%m-%d %H:%M}"


from apps.rivers.pages import RiverCoursePage, RiverPage, RiverPointPage  # noqa: E402, F401 - Wagtail's page models live in models
