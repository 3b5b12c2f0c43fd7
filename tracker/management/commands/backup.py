"""manage.py backup FOLDER: dump the database and the media files into a new folder."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tracker.backups import BackupError, backup_make


class Command(BaseCommand):
    help = (
        "Write a backup into FOLDER (new or empty): database.dump (pg_dump -Fc), media.tar.gz "
        "and manifest.json (row counts and checksums). docs/operations.md says how to restore."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)

    def handle(self, *args, folder: Path, **options):
        try:
            manifest = backup_make(folder=Path(folder))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Backed up {sum(manifest['tables'].values())} rows in {len(manifest['tables'])} "
            f"tables and {len(manifest['media'])} media files into {folder}."
        )
