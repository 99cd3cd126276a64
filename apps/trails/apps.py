from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrailsConfig(AppConfig):
    name = "apps.trails"
    verbose_name = _("Trails")

    def ready(self) -> None:
        from apps.trails import signals  # noqa: F401 - connects the receivers
