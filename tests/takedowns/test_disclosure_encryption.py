"""Disclosed data is encrypted in the database, read as before, and re-encrypted on rotation."""

import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from core.encryption import DecryptionError
from takedowns.models import Disclosure

pytestmark = pytest.mark.django_db
NEW = Fernet.generate_key().decode()


def _raw(pk) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM takedowns_disclosure WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_the_column_holds_no_plaintext(world):
    raw = _raw(world.disclosure.pk)
    assert raw.startswith("gAAAAA")
    assert "923000000000" not in raw and "phone" not in raw
    assert Disclosure.objects.get().data == {"phone": "+923000000000"}


def test_the_api_shows_the_data_as_before(world, supervisor_api):
    response = supervisor_api.get(f"/api/v1/disclosures/{world.disclosure.pk}/")
    assert response.json()["data"] == {"phone": "+923000000000"}


def test_rotation_re_encrypts_every_disclosure_and_the_old_key_can_go(world, settings):
    old_raw = _raw(world.disclosure.pk)
    settings.DISCLOSURE_KEYS = [NEW, *settings.DISCLOSURE_KEYS]
    out = io.StringIO()
    call_command("disclosures_reencrypt", stdout=out)
    assert "Re-encrypted 1 disclosures" in out.getvalue()
    assert _raw(world.disclosure.pk) != old_raw

    settings.DISCLOSURE_KEYS = [NEW]  # the old key removed
    assert Disclosure.objects.get().data == {"phone": "+923000000000"}


def test_without_the_key_a_read_fails_clearly(world, settings):
    settings.DISCLOSURE_KEYS = [NEW]
    with pytest.raises(DecryptionError, match="DISCLOSURE_KEYS"):
        Disclosure.objects.get()


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_the_rows_already_there(world):
    from django.db.migrations.executor import MigrationExecutor

    before, after = (
        [("takedowns", "0004_item_platform")],
        [("takedowns", "0005_disclosure_data_encrypted")],
    )
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    assert '"phone"' in _raw(world.disclosure.pk)  # back to plain JSON
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    raw = _raw(world.disclosure.pk)
    assert raw.startswith("gAAAAA") and "phone" not in raw
    assert Disclosure.objects.get().data == {"phone": "+923000000000"}
