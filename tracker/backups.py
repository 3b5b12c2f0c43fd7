"""Backup and restore of the PostgreSQL database and the media files (evidence, avatars,
reports), as `manage.py backup` and `manage.py restore` run them.

A backup is a folder: `database.dump` (pg_dump's custom format, compressed, restorable table by
table with pg_restore), `media.tar.gz` (every file under MEDIA_ROOT) and `manifest.json` (when,
the row count of every table, and the SHA-256 of every media file and of the two archives), so
a restore can be checked against what was saved. The password never appears on a command line:
it is passed to pg_dump and pg_restore in PGPASSWORD.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess  # nosec B404: pg_dump and pg_restore, with argument lists, never a shell
import tarfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

DUMP_NAME = "database.dump"
MEDIA_NAME = "media.tar.gz"
MANIFEST_NAME = "manifest.json"


class BackupError(RuntimeError):
    """A backup or restore could not be made; the message says why."""


@dataclass(frozen=True)
class Target:
    """A PostgreSQL database to dump from or restore into."""

    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""

    @classmethod
    def from_settings(cls, alias_settings: dict) -> Target:
        if alias_settings["ENGINE"] != "django.db.backends.postgresql":
            raise BackupError("Backups need PostgreSQL; this installation uses another database.")
        return cls(
            name=alias_settings["NAME"],
            user=alias_settings.get("USER") or "",
            password=alias_settings.get("PASSWORD") or "",
            host=alias_settings.get("HOST") or "",
            port=str(alias_settings.get("PORT") or ""),
        )

    def dbname(self) -> str:
        """A libpq connection URI without the password."""
        user = quote(self.user, safe="") + "@" if self.user else ""
        host = self.host or ""
        port = f":{self.port}" if self.port else ""
        return f"postgresql://{user}{host}{port}/{quote(self.name, safe='')}"

    def env(self) -> dict:
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = self.password
        return env


def _run(command: list[str], target: Target) -> None:
    result = subprocess.run(  # nosec B603: fixed programs, arguments as a list
        command, env=target.env(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def table_counts(cursor) -> dict[str, int]:
    """Rows in every table of the public schema, by table name."""
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # nosec B608: names from pg_tables
        counts[table] = cursor.fetchone()[0]
    return counts


def media_files(root: Path) -> dict[str, str]:
    """SHA-256 of every file under root, by path relative to it."""
    if not root.exists():
        return {}
    return {
        str(path.relative_to(root)): _sha256(path)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def backup_make(*, folder: Path, target: Target | None = None, media_root: Path | None = None):
    """Write database.dump, media.tar.gz and manifest.json into folder (created; must be
    empty). Returns the manifest."""
    target = target or Target.from_settings(connection.settings_dict)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    folder.mkdir(parents=True, exist_ok=True)
    if any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty; give a new folder for each backup.")
    dump = folder / DUMP_NAME
    _run(
        [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            f"--file={dump}",
            f"--dbname={target.dbname()}",
        ],
        target,
    )
    files = media_files(media_root)
    with tarfile.open(folder / MEDIA_NAME, "w:gz") as archive:
        for relative in files:
            archive.add(media_root / relative, arcname=relative, recursive=False)
    with connection.cursor() as cursor:
        counts = table_counts(cursor) if target.name == connection.settings_dict["NAME"] else {}
    manifest = {
        "made_at": datetime.now(UTC).isoformat(),
        "database": target.name,
        "tables": counts,
        "media": files,
        "archives": {DUMP_NAME: _sha256(dump), MEDIA_NAME: _sha256(folder / MEDIA_NAME)},
    }
    (folder / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return manifest


def _check_archives(folder: Path) -> dict:
    try:
        manifest = json.loads((folder / MANIFEST_NAME).read_text())
    except FileNotFoundError:
        raise BackupError(f"{folder} has no {MANIFEST_NAME}: it is not a backup.") from None
    for name, expected in manifest["archives"].items():
        if _sha256(folder / name) != expected:
            raise BackupError(f"{name} does not match its checksum in {MANIFEST_NAME}.")
    return manifest


def backup_restore(*, folder: Path, target: Target, media_root: Path) -> dict:
    """Restore a backup into the target database (its tables replaced) and media_root (files
    written over); archives are checked against the manifest first. Returns the manifest."""
    manifest = _check_archives(folder)
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={target.dbname()}",
            str(folder / DUMP_NAME),
        ],
        target,
    )
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / MEDIA_NAME, "r:gz") as archive:
        archive.extractall(media_root, filter="data")  # no absolute paths, links or ../
    restored = media_files(media_root)
    missing = [name for name, sha in manifest["media"].items() if restored.get(name) != sha]
    if missing:
        raise BackupError(f"{len(missing)} media files differ after the restore: {missing[:5]}")
    return manifest
