"""Keeps the markers' places in step with what is published (the places' owners are the Korean
trail pages)."""

from django.conf import settings
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from wagtail.signals import page_published

from apps.trails import services
from apps.trails.models import TrailPage


@receiver(page_published, sender=TrailPage)
def sync_places_on_publish(sender, instance: TrailPage, **kwargs) -> None:
    if instance.locale.language_code == settings.LANGUAGE_CODE:
        services.trail_places_sync(instance)


@receiver(pre_delete, sender=TrailPage)
def retire_places_on_delete(sender, instance: TrailPage, **kwargs) -> None:
    services.trail_places_retire(instance)
