"""Fernet with a key list: newest key encrypts, any decrypts, a missing key fails clearly."""

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from core.encryption import DecryptionError, decrypt_text, encrypt_text

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def test_a_value_round_trips_and_is_not_readable(settings):
    settings.DISCLOSURE_KEYS = [NEW]
    token = encrypt_text('{"phone": "+923000000000"}')
    assert "923000000000" not in token and token.startswith("gAAAAA")
    assert decrypt_text(token) == '{"phone": "+923000000000"}'


def test_the_newest_key_encrypts_and_an_older_one_still_decrypts(settings):
    settings.DISCLOSURE_KEYS = [OLD]
    old_token = encrypt_text("secret")
    settings.DISCLOSURE_KEYS = [NEW, OLD]
    assert decrypt_text(old_token) == "secret"
    new_token = encrypt_text("secret")
    settings.DISCLOSURE_KEYS = [NEW]
    assert decrypt_text(new_token) == "secret"
    with pytest.raises(DecryptionError, match="DISCLOSURE_KEYS"):
        decrypt_text(old_token)


def test_a_wrong_key_fails_clearly(settings):
    settings.DISCLOSURE_KEYS = [OLD]
    token = encrypt_text("secret")
    settings.DISCLOSURE_KEYS = [NEW]
    with pytest.raises(DecryptionError, match="cannot be decrypted with any key"):
        decrypt_text(token)


@pytest.mark.parametrize("keys", [[], ["not-a-key"]])
def test_missing_or_malformed_keys_are_a_configuration_error(settings, keys):
    settings.DISCLOSURE_KEYS = keys
    with pytest.raises(ImproperlyConfigured):
        encrypt_text("x")
