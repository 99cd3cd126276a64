"""What the parking area does when other areas announce something through apps.places."""

from django.dispatch import receiver

from apps.mobility.models import CarPark
from apps.mobility.services import car_park_closures_sync
from apps.places.models import Closure
from apps.places.signals import closure_changed


@receiver(closure_changed)
def _closure_closes_car_park(sender, closure: Closure, change: str, **kwargs) -> None:
    """A closure of a car park's place (the river area closing the 둔치 car parks) shows the car park
    as closed while a closing one is in force; one scheduled ahead takes effect through the beat
    task apps.mobility.tasks.sync_car_park_closures."""
    if closure.place_id and CarPark.objects.filter(place_id=closure.place_id).exists():
        car_park_closures_sync(place_ids=[closure.place_id])
