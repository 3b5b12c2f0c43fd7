"""manage.py restore FOLDER: put a backup back into a database and the media folder."""

from pathlib import Path

import dj_database_url
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from tracker.backups import BackupError, Target, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup`: the database's tables are replaced and the "
        "media files written over. By default into this installation's database and MEDIA_ROOT; "
        "--database-url and --media-root restore elsewhere (a fresh database to check a backup)."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument("--database-url", default="", help="postgres://... (default: ours)")
        parser.add_argument("--media-root", type=Path, default=None)
        parser.add_argument(
            "--yes", action="store_true", help="replace this installation's own data"
        )

    def handle(self, *args, folder: Path, database_url: str, media_root, yes: bool, **options):
        if not database_url and not yes:
            raise CommandError(
                "This replaces every table of the configured database: add --yes, or give "
                "--database-url to restore into another database."
            )
        alias = dj_database_url.parse(database_url) if database_url else connection.settings_dict
        try:
            manifest = backup_restore(
                folder=Path(folder),
                target=Target.from_settings(alias),
                media_root=Path(media_root or settings.MEDIA_ROOT),
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored the backup of {manifest['made_at']} ({len(manifest['media'])} media files)."
        )
