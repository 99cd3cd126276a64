"""The systems that file cases through Open311 and /api/v1 (the chatbot among them) and their keys."""

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from apps.common.tokens import token_hash, token_new
from apps.complaints import lookups
from apps.complaints.models import ApiClient
from apps.municipalities.models import Municipality


def api_client_create(*, municipality: Municipality, name: str, consent_purpose: str = "") -> tuple[ApiClient, str]:
    """A new client and its key; the key is returned once and never stored. Names are unique per
    city (a database constraint backs this check). No capability is given here."""
    if ApiClient.objects.filter(municipality=municipality, name=name).exists():
        raise ValidationError(
            _("An API client named %(name)s already exists in this city."), code="name_taken", params={"name": name}
        )
    key = token_new()
    client = ApiClient.objects.create(
        municipality=municipality, name=name, key_hash=token_hash(key), consent_purpose=consent_purpose
    )
    return client, key


@transaction.atomic
def api_client_ensure(
    *, municipality: Municipality, name: str, key: str, consent_purpose: str, can_look_up_by_phone: bool
) -> tuple[ApiClient, str]:
    """The client of that name, active, taking exactly this key and with exactly this capability;
    made when missing. For a system whose key lives in its configuration (the chatbot's
    CHATBOT_API_KEY) rather than one handed out by create_api_client. A consent purpose an admin
    edited is kept. Returns the client and what was done: "created", "updated" or "unchanged"."""
    key_hash = token_hash(key)
    client = ApiClient.objects.select_for_update().filter(municipality=municipality, name=name).first()
    if client is None:
        client = ApiClient.objects.create(
            municipality=municipality,
            name=name,
            key_hash=key_hash,
            consent_purpose=consent_purpose,
            can_look_up_by_phone=can_look_up_by_phone,
        )
        return client, "created"
    wanted = {
        "key_hash": key_hash,
        "is_active": True,
        "consent_purpose": client.consent_purpose or consent_purpose,
        "can_look_up_by_phone": can_look_up_by_phone,
    }
    changed = [field for field, value in wanted.items() if getattr(client, field) != value]
    if not changed:
        return client, "unchanged"
    if "key_hash" in changed:
        lookups.forget_api_clients(client.key_hash)  # the old key; saving forgets the new one
    for field in changed:
        setattr(client, field, wanted[field])
    client.save(update_fields=changed)
    return client, "updated"


def api_client_for_key(key: str) -> ApiClient | None:
    """The active client of this key (kept in the cache, see apps.complaints.lookups)."""
    if not key:
        return None
    key_hash = token_hash(key)
    cache_key = lookups.api_client_key(key_hash)
    client = cache.get(cache_key)
    if client is None:
        client = ApiClient.objects.filter(key_hash=key_hash, is_active=True).select_related("municipality").first()
        if client is not None:  # unknown keys are not kept: nobody may fill the cache with them
            cache.set(cache_key, client, lookups.LOOKUP_SECONDS)
    return client
