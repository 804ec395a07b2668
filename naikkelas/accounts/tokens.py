"""Personal API tokens: shown once, stored as a SHA-256 hash, revocable."""

import hashlib
import secrets

PREFIX = "nk_"


def new_token_key() -> str:
    """A random token: 'nk_' + 40 url-safe characters (about 240 bits)."""
    return PREFIX + secrets.token_urlsafe(30)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()
