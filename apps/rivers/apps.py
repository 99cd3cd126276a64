from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiversConfig(AppConfig):
    name = "apps.rivers"
    label = "rivers"
    verbose_name = _("Rivers")
