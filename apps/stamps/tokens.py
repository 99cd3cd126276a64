"""The signed things a phone keeps for the stamp tour: its passport id, and a token per stamp.

Both are signed with the server's key (django.core.signing), each kind with its own salt, so one
cannot pass for the other. A stamp token names the passport it was given to, the marker's place code,
the course (its Korean page) and the moment: changing any of them breaks the signature, so a token
cannot be edited, moved to another marker or course, or shown by a phone whose passport is another's.
"""

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core import signing

PASSPORT_SALT = "stamps.passport"
STAMP_SALT = "stamps.stamp"
# Longer than any genuine value (a passport is about 40 characters, a token about 150): anything
# longer is refused before a signature is computed.
PASSPORT_MAX_LENGTH = 80
TOKEN_MAX_LENGTH = 300


@dataclass(frozen=True)
class Stamp:
    passport_id: str
    code: str
    trail_id: int
    at: datetime


def passport_new() -> str:
    return signing.Signer(salt=PASSPORT_SALT).sign(secrets.token_urlsafe(12))


def passport_id_of(passport: object) -> str | None:
    """The id inside a passport this server issued; None for anything else."""
    if not isinstance(passport, str) or not 0 < len(passport) <= PASSPORT_MAX_LENGTH:
        return None
    try:
        return signing.Signer(salt=PASSPORT_SALT).unsign(passport)
    except signing.BadSignature:
        return None


def stamp_sign(stamp: Stamp) -> str:
    return signing.dumps(
        {"p": stamp.passport_id, "c": stamp.code, "t": stamp.trail_id, "a": int(stamp.at.timestamp())},
        salt=STAMP_SALT,
    )


def stamp_read(token: object) -> Stamp | None:
    """The stamp a token holds, or None when it is not one this server signed as it stands."""
    if not isinstance(token, str) or not 0 < len(token) <= TOKEN_MAX_LENGTH:
        return None
    try:
        data = signing.loads(token, salt=STAMP_SALT)
    except (signing.BadSignature, ValueError):
        return None
    if not (
        isinstance(data, dict)
        and isinstance(data.get("p"), str)
        and isinstance(data.get("c"), str)
        and type(data.get("t")) is int
        and type(data.get("a")) is int
    ):
        return None
    return Stamp(
        passport_id=data["p"], code=data["c"], trail_id=data["t"], at=datetime.fromtimestamp(data["a"], tz=UTC)
    )
