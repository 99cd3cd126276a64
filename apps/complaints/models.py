from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.municipalities.models import Department, Municipality, pick_language


class Category(models.Model):
    """A kind of complaint, published as an Open311 service. The department is where new cases
    are routed by default; staff may still route a single case elsewhere."""

    class Kind(models.TextChoices):
        # The three legal kinds of 민원 under the Civil Petitions Act.
        GRIEVANCE = "grievance", _("Grievance (고충)")
        SUGGESTION = "suggestion", _("Suggestion (건의)")
        INQUIRY = "inquiry", _("Inquiry (질의)")

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="categories"
    )
    code = models.SlugField(_("code"), max_length=60)
    name_ko = models.CharField(_("name (Korean)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=150)
    department = models.ForeignKey(
        Department, verbose_name=_("routed to"), on_delete=models.PROTECT, related_name="categories"
    )
    kind = models.CharField(_("legal kind"), max_length=20, choices=Kind.choices)
    processing_days = models.PositiveSmallIntegerField(_("processing period (working days)"))
    needs_location = models.BooleanField(_("needs a location"))
    public_by_default = models.BooleanField(_("public by default"))
    example_ko = models.CharField(_("example report (Korean)"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("complaint category")
        verbose_name_plural = _("complaint categories")
        ordering = ["municipality", "name_ko"]
        constraints = [models.UniqueConstraint(fields=["municipality", "code"], name="category_code_unique_per_city")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick_language(self.name_ko, self.name_en)
