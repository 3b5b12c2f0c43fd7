"""Encryption at rest with rotating keys: Fernet (AES-128-CBC + HMAC-SHA256) over a key list.

settings.DISCLOSURE_KEYS lists Fernet keys newest first. Values are encrypted with the first
key and decrypted with any of them (cryptography's MultiFernet), so a new key is put in front,
every value re-encrypted (`manage.py disclosures_reencrypt`), and only then the old key removed:
no downtime, and no value unreadable at any moment.
"""

import json
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


class DecryptionError(Exception):
    """A stored value that none of the configured keys can decrypt."""


@lru_cache(maxsize=8)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("DISCLOSURE_KEYS is empty: set at least one Fernet key.")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "DISCLOSURE_KEYS holds a value that is not a Fernet key (32 url-safe base64 bytes)."
        ) from exc


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.DISCLOSURE_KEYS))


def encrypt_text(text: str) -> str:
    """The text encrypted under the newest key."""
    return fernet().encrypt(text.encode()).decode()


def decrypt_text(token: str) -> str:
    """The text back, with whichever configured key encrypted it."""
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise DecryptionError(
            "A stored value cannot be decrypted with any key in DISCLOSURE_KEYS: "
            "a key it was encrypted with was removed, or the value is not encrypted."
        ) from None


class EncryptedJSONField(models.JSONField):
    """A JSON value stored encrypted in a text column; Python code sees the plain value.

    The only place where the value is encrypted and decrypted. No lookups into the JSON: the
    database never sees it.
    """

    description = "JSON, encrypted at rest"

    def get_internal_type(self):
        return "TextField"

    def db_type(self, connection):
        return connection.data_types["TextField"]

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return json.loads(decrypt_text(value), cls=self.decoder)

    def get_prep_value(self, value):
        if value is None:
            return None
        return encrypt_text(json.dumps(value, cls=self.encoder))

    def get_db_prep_value(self, value, connection, prepared=False):
        return value if prepared else self.get_prep_value(value)

    def get_db_prep_save(self, value, connection):
        return self.get_prep_value(value)
