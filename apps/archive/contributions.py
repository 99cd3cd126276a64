"""Residents' contributions to the archive and their moderation: each change of state is one
function here, checked on the row under its lock, used by the public pages and the admin alike."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.archive import services
from apps.archive.dates import year_range
from apps.archive.models import Contribution, Item
from apps.common.photos import PhotoError, photo_clean
from apps.common.text import has_forbidden_characters
from apps.common.tokens import token_hash, token_matches, token_new
from apps.municipalities.models import Municipality
from apps.places.models import Place
from apps.places.services import place_create

# How long a decided contribution keeps the contributor's name and email (the consent's promise).
CONTACT_RETENTION = timedelta(days=365)
# Shown beside the consent box.
CONSENT_PURPOSE = _(
    "Your name and email are used only to tell you about your contribution and are never shown; they are "
    "deleted a year after it is decided. What you contribute is published under the licence you choose, "
    "crediting you by the name you give."
)


class ContributionError(ValidationError):
    """A contribution or a decision that cannot be taken; the message is for the person who asked."""


@dataclass(frozen=True)
class ContributionText:
    """What the contributor wrote (and may write again when changes are asked)."""

    title: str
    story: str = ""
    date_text: str = ""
    place_text: str = ""
    latitude: float | None = None
    longitude: float | None = None


def _checked(text: ContributionText) -> ContributionText:
    if not text.title.strip():
        raise ContributionError(_("Please give your photo or story a title."), code="title_missing")
    if any(has_forbidden_characters(value) for value in (text.title, text.story, text.date_text, text.place_text)):
        raise ContributionError(_("Please remove the invisible control characters from your text."), code="control")
    if (text.latitude is None) != (text.longitude is None) or (
        text.latitude is not None and not (-90 <= text.latitude <= 90 and -180 <= text.longitude <= 180)
    ):
        raise ContributionError(_("That location is not on the map."), code="location_invalid")
    return text


def _photo(upload: UploadedFile | None):
    try:
        return photo_clean(upload) if upload else None
    except PhotoError as error:
        raise ContributionError(error.message, code=error.code) from None


def contribution_submit(
    *,
    municipality: Municipality,
    text: ContributionText,
    photo: UploadedFile | None,
    licence: str,
    credit: str,
    contact_name: str = "",
    contact_email: str = "",
    consented: bool,
) -> tuple[Contribution, str]:
    """Stores a contribution for review; returns it with the token of its private tracking link
    (only its hash is kept). Nothing is stored unless every part is acceptable."""
    if not consented:
        raise ContributionError(
            _("We can keep your contribution and contact details only with your consent."), code="consent_missing"
        )
    if not text.story.strip() and photo is None:
        raise ContributionError(_("Please add a photo or write your story."), code="empty")
    if licence not in Contribution.Grant.values:
        raise ContributionError(_("Please choose how others may use it."), code="licence_invalid")
    if not credit.strip() or has_forbidden_characters(credit + contact_name):
        raise ContributionError(_("Please say how we should credit you."), code="credit_missing")
    _checked(text)
    cleaned = _photo(photo)
    token = token_new()
    contribution = Contribution(
        municipality=municipality,
        **text.__dict__,
        licence=licence,
        credit=credit.strip(),
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip(),
        consent_at=timezone.now(),
        token_hash=token_hash(token),
    )
    if cleaned is not None:
        contribution.photo.save(cleaned.name, cleaned, save=False)
    try:
        contribution.save()
    except BaseException:
        if cleaned is not None:
            contribution.photo.delete(save=False)
        raise
    return contribution, token


def contribution_for_token(pk: int, token: str) -> Contribution | None:
    """The contribution its tracking link names, or None for a wrong token or id (the same answer)."""
    contribution = Contribution.objects.filter(pk=pk).select_related("item").first()
    if contribution is None or not token_matches(contribution.token_hash, token or ""):
        return None
    return contribution


def _locked(pk: int) -> Contribution:
    return Contribution.objects.select_for_update().get(pk=pk)


@transaction.atomic
def contribution_resubmit(
    contribution: Contribution, *, text: ContributionText, photo: UploadedFile | None
) -> Contribution:
    """The contributor's new version after a moderator asked for changes; it waits for review again."""
    locked = _locked(contribution.pk)
    if locked.status != Contribution.Status.CHANGES_ASKED:
        raise ContributionError(_("This contribution cannot be changed now."), code="not_changeable")
    _checked(text)
    cleaned = _photo(photo)
    for field, value in text.__dict__.items():
        setattr(locked, field, value)
    if cleaned is not None:
        locked.photo.save(cleaned.name, cleaned, save=False)
    locked.status = Contribution.Status.WAITING
    locked.save()
    return locked


def _decided(contribution: Contribution, status: str, user: AbstractBaseUser, note: str) -> Contribution:
    locked = _locked(contribution.pk)
    if locked.status != Contribution.Status.WAITING:
        raise ContributionError(
            _("This contribution is no longer waiting for review (someone decided first)."), code="decided"
        )
    locked.status, locked.decided_by, locked.note = status, user, note.strip()
    return locked


@transaction.atomic
def contribution_approve(contribution: Contribution, *, user: AbstractBaseUser) -> Item:
    """Publishes a waiting contribution as a public item crediting the contributor by the name they
    chose; its place, if they marked one, becomes a place on the map."""
    locked = _decided(contribution, Contribution.Status.APPROVED, user, "")
    place = None
    if locked.latitude is not None:
        place = place_create(
            municipality=locked.municipality,
            kind=Place.Kind.POINT,
            name_ko=locked.place_text or locked.title,
            latitude=locked.latitude,
            longitude=locked.longitude,
        )
    earliest, _latest = year_range(locked.date_text)
    item = services.item_save(
        Item(
            municipality=locked.municipality,
            identifier=f"C-{locked.pk}",
            item_type=Item.Type.PHOTOGRAPH if locked.photo else Item.Type.DOCUMENT,
            title_ko=locked.title,
            creator_ko=locked.credit,
            date_text=locked.date_text if earliest is not None else "",
            description_ko=locked.story,
            source_ko="시민 기증",
            source_en="Contributed by a resident",
            place=place,
            licence=locked.licence,
            rights_holder_ko=locked.credit,
        )
    )
    if locked.photo:
        with locked.photo.open("rb") as stored:
            services.item_media_add(item, image=stored.read(), filename=f"contribution-{locked.pk}.jpg")
    locked.item = item
    locked.save()
    return item


@transaction.atomic
def contribution_ask_changes(contribution: Contribution, *, user: AbstractBaseUser, note: str) -> Contribution:
    if not note.strip():
        raise ContributionError(_("Please say what should change."), code="note_missing")
    locked = _decided(contribution, Contribution.Status.CHANGES_ASKED, user, note)
    locked.save()
    return locked


@transaction.atomic
def contribution_refuse(contribution: Contribution, *, user: AbstractBaseUser, reason: str) -> Contribution:
    if not reason.strip():
        raise ContributionError(_("Please give the contributor the reason."), code="reason_missing")
    locked = _decided(contribution, Contribution.Status.REFUSED, user, reason)
    locked.save()
    return locked


def contributions_contact_purge(*, now: datetime | None = None) -> int:
    """Blanks the contributor's name and email a year after the decision, as the consent says; the
    contribution (and the public credit they chose) stays. Returns how many were blanked."""
    cutoff = (now or timezone.now()) - CONTACT_RETENTION
    decided = [Contribution.Status.APPROVED, Contribution.Status.REFUSED]
    return (
        Contribution.objects.filter(status__in=decided, updated_at__lt=cutoff)
        .exclude(contact_name="", contact_email="")
        .update(contact_name="", contact_email="")
    )
