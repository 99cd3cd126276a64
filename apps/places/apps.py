from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "apps.places"
    verbose_name = _("Places")

    def ready(self) -> None:
        from apps.places import live  # noqa: F401  (connects the push of closures to open pages)
