"""Secret tokens (a reporter's tracking link, an API client's key): only their hashes are stored."""

import hashlib
import hmac
import secrets

from django.utils.crypto import salted_hmac


def token_new() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_matches(stored_hash: str, token: str) -> bool:
    return hmac.compare_digest(stored_hash, token_hash(token or ""))


def link_code(subject: str) -> str:
    """A short code that opens `subject` and nothing else, derived from the server's SECRET_KEY: a
    link in a notification opens the case although the tracking token itself is never stored."""
    return salted_hmac("complaints.link-code", subject).hexdigest()[:24]
