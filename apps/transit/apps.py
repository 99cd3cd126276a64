from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransitConfig(AppConfig):
    name = "apps.transit"
    label = "transit"
    verbose_name = _("Public transport")

    def ready(self) -> None:
        from apps.places.departures import departures_provider_register
        from apps.transit.selectors import departures_for_places

        # Trail pages and markers show the next buses and trains near them (apps/places/departures.py).
        departures_provider_register(departures_for_places)
