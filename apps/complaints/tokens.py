"""Secret tokens (a reporter's tracking link, an API client's key): only their hashes are stored."""

import hashlib
import hmac
import secrets


def token_new() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_matches(stored_hash: str, token: str) -> bool:
    return hmac.compare_digest(stored_hash, token_hash(token or ""))
