"""The conversation id the browser keeps, signed so that no one reads another's transcript by guessing."""

import uuid

from django.core import signing

SALT = "apps.chat.conversation"


def conversation_id_sign(conversation_uuid: uuid.UUID) -> str:
    return signing.Signer(salt=SALT).sign(str(conversation_uuid))


def conversation_id_unsign(signed: object) -> uuid.UUID | None:
    """The conversation's uuid, or None for anything this server did not sign."""
    if not isinstance(signed, str) or not signed:
        return None
    try:
        return uuid.UUID(signing.Signer(salt=SALT).unsign(signed))
    except (signing.BadSignature, ValueError):
        return None
