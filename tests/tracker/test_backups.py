"""Backup and restore (tracker/backups.py, manage.py backup / restore): a dump of the test
database and its media, restored into a fresh database and folder, holds every record and file."""

import hashlib
import uuid

import psycopg2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from accounts import services
from takedowns.models import Disclosure
from tests.accounts.avatar_images import encoded, picture
from tests.factories import TakedownFactory
from tracker.backups import MANIFEST_NAME, Target, table_counts

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fresh_database():
    """An empty PostgreSQL database beside the test one, dropped after the test."""
    target = Target.from_settings(connection.settings_dict)
    name = f"restore_{uuid.uuid4().hex[:10]}"
    admin = psycopg2.connect(
        dbname="postgres", user=target.user, password=target.password, host=target.host,
        port=target.port or None,
    )  # fmt: skip
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    fresh = Target(name, target.user, target.password, target.host, target.port)
    yield fresh
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def connect(target):
    return psycopg2.connect(
        dbname=target.name, user=target.user, password=target.password, host=target.host,
        port=target.port or None,
    )  # fmt: skip


def test_a_backup_restored_into_a_fresh_database_holds_every_record_and_file(
    analyst, supervisor, platforms, settings, tmp_path, fresh_database
):
    settings.MEDIA_ROOT = tmp_path / "media"
    account = services.account_create(
        user=analyst,
        value="x.com/backed_up",
        avatar=SimpleUploadedFile("a.png", encoded(picture(3)), "image/png"),
    )
    shot = encoded(picture(9), "PNG")
    evidence = services.evidence_capture(
        account=account, user=analyst, file=SimpleUploadedFile("shot.png", shot, "image/png")
    )
    takedown = TakedownFactory(platform=platforms["x"], created_by=analyst, accounts=[account])
    Disclosure.objects.create(
        request=takedown, account=account, data={"phone": "+923001234567"}, recorded_by=supervisor
    )
    with connection.cursor() as cursor:
        before = table_counts(cursor)

    call_command("backup", str(tmp_path / "backup"))
    restored_media = tmp_path / "restored-media"
    database_url = (
        f"postgres://{fresh_database.user}@{fresh_database.host}:{fresh_database.port or 5432}/"
        f"{fresh_database.name}"
    )
    call_command(
        "restore", str(tmp_path / "backup"), database_url=database_url,
        media_root=str(restored_media),
    )  # fmt: skip

    with connect(fresh_database) as restored, restored.cursor() as cursor:
        assert table_counts(cursor) == before
        assert before["accounts_flaggedaccount"] == 1 and before["accounts_evidence"] == 1
        cursor.execute("SELECT handle, avatar FROM accounts_flaggedaccount")
        assert cursor.fetchone() == ("backed_up", account.avatar.name)
        cursor.execute("SELECT sha256, file, display_file FROM accounts_evidence")
        sha, file_name, display_name = cursor.fetchone()
        cursor.execute("SELECT data FROM takedowns_disclosure")
        ciphertext = cursor.fetchone()[0]
    assert sha == hashlib.sha256(shot).hexdigest() == evidence.sha256
    assert (restored_media / file_name).read_bytes() == shot
    assert (restored_media / display_name).read_bytes() == evidence.display_file.open().read()
    assert (restored_media / account.avatar.name).exists()
    assert "+923001234567" not in str(ciphertext)  # still encrypted in the restored copy


def test_restore_refuses_a_tampered_backup_and_changes_nothing(
    analyst, platforms, settings, tmp_path, fresh_database
):
    settings.MEDIA_ROOT = tmp_path / "media"
    services.account_create(user=analyst, value="x.com/tampered")
    call_command("backup", str(tmp_path / "backup"))
    with (tmp_path / "backup" / "database.dump").open("ab") as dump:
        dump.write(b"extra")

    with pytest.raises(CommandError, match="checksum"):
        call_command(
            "restore", str(tmp_path / "backup"),
            database_url=f"postgres://{fresh_database.user}@{fresh_database.host}/"
            f"{fresh_database.name}",
            media_root=str(tmp_path / "restored"),
        )  # fmt: skip
    with connect(fresh_database) as restored, restored.cursor() as cursor:
        assert table_counts(cursor) == {}
    assert not (tmp_path / "restored").exists()


def test_restore_into_our_own_database_needs_yes(tmp_path):
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(tmp_path))


def test_backup_refuses_a_folder_that_is_not_empty(tmp_path, db):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / MANIFEST_NAME).write_text("{}")

    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(tmp_path / "old"))
