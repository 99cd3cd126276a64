from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.common.language import pick_language


class Municipality(models.Model):
    """A city or district served by this install. Every city-owned record points at one, so a
    second city is new rows, not new code."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_ko = models.CharField(_("name (Korean)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    site = models.OneToOneField(
        "wagtailcore.Site",
        verbose_name=_("Wagtail site"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="municipality",
    )
    phone = models.CharField(_("call centre phone"), max_length=30, blank=True)
    address_ko = models.CharField(_("city hall address (Korean)"), max_length=200, blank=True)
    address_en = models.CharField(_("city hall address (English)"), max_length=200, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    # When residents can call; departments without hours of their own keep these (the bot says them).
    office_hours_ko = models.CharField(_("office hours (Korean)"), max_length=100, default="평일 09:00–18:00")
    office_hours_en = models.CharField(_("office hours (English)"), max_length=100, default="Weekdays 9:00–18:00")

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name_ko"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick_language(self.name_ko, self.name_en)

    @property
    def address(self) -> str:
        return pick_language(self.address_ko, self.address_en)

    @property
    def office_hours(self) -> str:
        return pick_language(self.office_hours_ko, self.office_hours_en)


class Department(models.Model):
    """A team that answers complaints. Codes are stable; names change when the city reorganises."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="departments"
    )
    code = models.SlugField(_("code"), max_length=60)
    name_ko = models.CharField(_("name (Korean)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=150)
    # For visitors reading the site in Japanese or Chinese (tourists filing a report); blank: English.
    name_ja = models.CharField(_("name (Japanese)"), max_length=150, blank=True)
    name_zh_hans = models.CharField(_("name (Simplified Chinese)"), max_length=150, blank=True)
    parent_ko = models.CharField(_("division or office (Korean)"), max_length=100, blank=True)
    handles = models.TextField(_("what it handles"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # Blank: the city's office hours.
    office_hours_ko = models.CharField(_("office hours (Korean)"), max_length=100, blank=True)
    office_hours_en = models.CharField(_("office hours (English)"), max_length=100, blank=True)
    email = models.EmailField(_("email for deadline reminders"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Staff who answer this department's cases; a user may belong to several departments.
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("staff"), blank=True, related_name="departments"
    )

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["municipality", "name_ko"]
        constraints = [models.UniqueConstraint(fields=["municipality", "code"], name="department_code_unique_per_city")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick_language(self.name_ko, self.name_en, ja=self.name_ja, zh_hans=self.name_zh_hans)

    @property
    def office_hours_ko_or_city(self) -> str:
        return self.office_hours_ko or self.municipality.office_hours_ko

    @property
    def office_hours_en_or_city(self) -> str:
        # A department that set only Korean hours keeps them for English readers too: its own hours win.
        if self.office_hours_ko and not self.office_hours_en:
            return self.office_hours_ko
        return self.office_hours_en or self.municipality.office_hours_en


class Dong(models.Model):
    """An administrative dong (행정동). Residents name places by 법정동 or neighbourhood, so each
    dong lists those names too (aliases) to recognise it in an address."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.CASCADE, related_name="dongs"
    )
    name_ko = models.CharField(_("name (Korean)"), max_length=40)
    name_en = models.CharField(_("name (English)"), max_length=60)
    aliases = models.CharField(_("other place names, separated by |"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("administrative dong")
        verbose_name_plural = _("administrative dongs")
        ordering = ["municipality", "name_ko"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name_ko"], name="dong_name_unique_per_city")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick_language(self.name_ko, self.name_en)
