"""Keeps the markers' places in step with what is published (the places' owners are the Korean
trail pages), and camera metadata out of photos."""

from django.conf import settings
from django.db.models.signals import pre_delete, pre_save
from django.dispatch import receiver
from wagtail.images import get_image_model
from wagtail.signals import page_published

from apps.common.images import image_without_metadata
from apps.trails import services
from apps.trails.models import TrailPage


@receiver(page_published, sender=TrailPage)
def sync_places_on_publish(sender, instance: TrailPage, **kwargs) -> None:
    if instance.locale.language_code == settings.LANGUAGE_CODE:
        services.trail_places_sync(instance)


@receiver(pre_delete, sender=TrailPage)
def retire_places_on_delete(sender, instance: TrailPage, **kwargs) -> None:
    services.trail_places_retire(instance)


# Every Wagtail image, not only the markers' photos: a photo is uploaded before it is chosen for a
# marker, and once stored its original (with the GPS position) is public under /media/.
@receiver(pre_save, sender=get_image_model())
def strip_image_metadata(sender, instance, **kwargs) -> None:
    if not instance.file or instance.file._committed:
        return
    cleaned = image_without_metadata(instance.file)
    if cleaned is not None:
        cleaned.name = instance.file.name
        instance.file = cleaned  # sets the width and height again (a turned photo swaps them)
        instance._set_image_file_metadata()
