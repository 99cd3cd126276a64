"""Writes for places and closures; every area creates, moves and retires its places through these."""

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from apps.municipalities.models import Municipality
from apps.places.codes import code_new
from apps.places.models import Closure, Place
from apps.places.signals import closure_changed

# A clash in 28.6 million codes is rare; a few fresh draws settle it.
CODE_ATTEMPTS = 8


def place_create(
    *,
    municipality: Municipality,
    kind: str,
    name_ko: str,
    name_en: str = "",
    latitude: float,
    longitude: float,
    owner: models.Model | None = None,
) -> Place:
    """A new place with a code no place ever had (codes are never freed: places are only retired)."""
    for _attempt in range(CODE_ATTEMPTS):
        place = Place(
            municipality=municipality,
            code=code_new(),
            kind=kind,
            name_ko=name_ko,
            name_en=name_en,
            latitude=latitude,
            longitude=longitude,
        )
        if owner is not None:
            place.owner = owner
        try:
            with transaction.atomic():
                place.save()
        except IntegrityError:
            continue
        return place
    raise IntegrityError("no free place code after several attempts")


def place_update(
    place: Place,
    *,
    name_ko: str,
    name_en: str,
    latitude: float,
    longitude: float,
    owner: models.Model | None = None,
) -> Place:
    """Renames or moves a place (its owner may be a new row of the same object); the code stays.
    A place that is shown again (an editor restored a removed marker) is no longer retired."""
    place.name_ko, place.name_en = name_ko, name_en
    place.latitude, place.longitude = latitude, longitude
    if owner is not None:
        place.owner_type = ContentType.objects.get_for_model(owner)
        place.owner_id = owner.pk
    place.retired_at = None
    place.save()
    return place


def place_retire(place: Place, *, at: datetime | None = None) -> Place:
    """The place is no longer in use; its URL keeps answering with a note (never with another place)."""
    if place.retired_at is None:
        place.retired_at = at or timezone.now()
        place.save(update_fields=["retired_at"])
    return place


def _announce(closure: Closure, change: str) -> None:
    transaction.on_commit(lambda: closure_changed.send(sender=Closure, closure=closure, change=change))


def _municipality_of(closure: Closure) -> Municipality | None:
    if closure.place_id:
        return closure.place.municipality
    site = closure.page.get_site() if closure.page_id else None
    return Municipality.objects.filter(site=site).first() if site else None


def closure_create(**fields) -> Closure:
    """Announces a closure of a place or an area object (fields as on Closure); the city is the
    place's, or that of the site the page belongs to."""
    closure = Closure(**fields)
    if not closure.municipality_id:
        closure.municipality = _municipality_of(closure)
    closure.full_clean()
    closure.save()
    _announce(closure, "created")
    return closure


def closure_update(closure: Closure, **fields) -> Closure:
    for name, value in fields.items():
        setattr(closure, name, value)
    closure.full_clean()
    closure.save()
    _announce(closure, "updated")
    return closure


def closure_lift(closure: Closure, *, at: datetime | None = None) -> Closure:
    """Ends the closure now (or at `at`); one that has not begun yet ends before it starts: it is
    deleted, since a window that ends before it starts would never have been shown."""
    at = at or timezone.now()
    if closure.starts_at >= at:
        closure_delete(closure)
        return closure
    if closure.ends_at is None or closure.ends_at > at:
        closure.ends_at = at
        closure.save(update_fields=["ends_at", "updated_at"])
        _announce(closure, "lifted")
    return closure


def closure_delete(closure: Closure) -> None:
    """Removes a closure announced by mistake."""
    closure_id = closure.pk
    closure.delete()
    closure.pk = closure_id  # Django clears it; listeners tell which closure went by its id
    _announce(closure, "deleted")
