"""Proof that a browser opened a place's permanent address (/t/<code>, what its QR code carries),
for areas that reward being there (the trails' stamp tour).

A proof is the place's code and the moment, signed with the server's key: it cannot be made for
another code or edited, and it is short-lived. It travels in the fragment of the redirect
(`#scan=<proof>`), which browsers keep and never send to a server: the page it opens stays the same
for every visitor (and in the page cache), and only a script on it can hand the proof on. What it
does not prove is presence: the code is printed on the sign and shown on the place's page, so anyone
who has it can ask for a proof (decision 0028)."""

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core import signing

from apps.places.models import Place

SALT = "places.scan-proof"
# Long enough to go from the redirect to the page's script on a slow phone, short enough that a
# proof copied from someone's screen is soon worthless.
PROOF_MAX_AGE = 10 * 60
PROOF_MAX_LENGTH = 200
FRAGMENT = "scan"


@dataclass(frozen=True)
class Scan:
    code: str
    at: datetime


def scan_proof_new(place: Place) -> str:
    return signing.TimestampSigner(salt=SALT).sign_object({"c": place.code, "a": int(time.time())})


def scan_proof_read(proof: object, *, max_age: int = PROOF_MAX_AGE) -> Scan | None:
    """The scan a proof states, or None for anything else (edited, expired, not a proof)."""
    if not isinstance(proof, str) or not 0 < len(proof) <= PROOF_MAX_LENGTH:
        return None
    try:
        data = signing.TimestampSigner(salt=SALT).unsign_object(proof, max_age=max_age)
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("c"), str) or not isinstance(data.get("a"), int):
        return None
    return Scan(code=data["c"], at=datetime.fromtimestamp(data["a"], tz=UTC))
