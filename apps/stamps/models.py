"""The trails' stamp tour. Stamps themselves are not stored: the phone keeps the signed tokens
(apps/stamps/tokens.py) and shows them when it asks for a certificate. What is stored is the
certificate a completed course earns, and every time staff looked one up or verified it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.municipalities.models import Municipality


class Certificate(models.Model):
    """A course completed by one phone's passport: its short code is what the walker shows at the
    tourist office, where staff verify it in the admin."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(_("code"), max_length=8, unique=True, editable=False)
    course = models.ForeignKey(
        "trails.TrailPage",
        verbose_name=_("course"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The Korean page of the course."),
    )
    # Kept as issued: the certificate still reads right if the course is renamed or removed.
    course_title = models.CharField(_("course title"), max_length=255)
    # The phone's random passport id (no person behind it is known): one certificate per course.
    passport_id = models.CharField(_("passport"), max_length=40, editable=False)
    stamps = models.PositiveSmallIntegerField(_("stamps"))
    completed_at = models.DateTimeField(_("completed"))
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("stamp tour certificate")
        verbose_name_plural = _("stamp tour certificates")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(fields=["passport_id", "course"], name="one_certificate_per_passport_and_course")
        ]
        permissions = [("verify_certificate", _("Can look up and verify stamp tour certificates"))]

    def __str__(self) -> str:
        return f"{self.display_code} {self.course_title}"

    @property
    def display_code(self) -> str:
        return f"{self.code[:4]}-{self.code[4:]}"


class CertificateCheck(models.Model):
    """A staff member looked a certificate code up or verified it (the staff access log)."""

    class Action(models.TextChoices):
        LOOKUP = "lookup", _("Looked up")
        VERIFY = "verify", _("Verified")

    certificate = models.ForeignKey(
        Certificate, verbose_name=_("certificate"), null=True, on_delete=models.CASCADE, related_name="checks"
    )
    code_typed = models.CharField(_("code typed"), max_length=20)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    checked_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("certificate check")
        verbose_name_plural = _("certificate checks")
        ordering = ["-checked_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.get_action_display()} {self.code_typed} {self.checked_at:%Y-%m-%d %H:%M}"
