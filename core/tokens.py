"""Bearer keys (API tokens, feed tokens): generated once, shown once, stored only as a hash."""

import hashlib
import secrets


def token_hash(key: str) -> str:
    """What is stored of a key: its SHA-256 (a key has 256 random bits, so no salt is needed)."""
    return hashlib.sha256(key.encode()).hexdigest()


def token_generate(prefix: str = "") -> str:
    """A new key: 32 random bytes, URL-safe, after an optional prefix that says what it opens."""
    return prefix + secrets.token_urlsafe(32)
