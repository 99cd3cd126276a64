from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


def pick_language(korean: str, english: str) -> str:
    """Korean for Korean readers, English for everybody else (tourist languages included)."""
    return korean if translation.get_language() in (None, "ko") else (english or korean)


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


class Department(models.Model):
    """A team that answers complaints. Codes are stable; names change when the city reorganises."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="departments"
    )
    code = models.SlugField(_("code"), max_length=60)
    name_ko = models.CharField(_("name (Korean)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=150)
    parent_ko = models.CharField(_("division or office (Korean)"), max_length=100, blank=True)
    handles = models.TextField(_("what it handles"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["municipality", "name_ko"]
        constraints = [models.UniqueConstraint(fields=["municipality", "code"], name="department_code_unique_per_city")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick_language(self.name_ko, self.name_en)
