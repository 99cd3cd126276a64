from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MobilityConfig(AppConfig):
    name = "apps.mobility"
    label = "mobility"
    verbose_name = _("Parking and transit")

    def ready(self) -> None:
        from apps.mobility import signals  # noqa: F401 - connects the receivers
