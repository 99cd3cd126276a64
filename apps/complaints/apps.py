from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "apps.complaints"
    verbose_name = _("Complaints (민원)")

    def ready(self) -> None:
        from apps.complaints import lookups

        lookups.connect()
