from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "apps.archive"
    label = "archive"
    verbose_name = _("History and culture archive")

    def ready(self) -> None:
        from apps.archive.selectors import history_for_places
        from apps.places.history import history_provider_register

        # Trail markers show the archive's items near them (apps/places/history.py).
        history_provider_register(history_for_places)
