"""manage.py import_accounts FILE [--dry-run] [--user USERNAME]: record accounts from a CSV or
XLSX list, all or nothing, with every refused row reported by its line."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.imports.files import open_account_rows
from accounts.services import accounts_bulk_create
from core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Record flagged accounts from a CSV or XLSX file whose first row names the columns "
        "(handle, platform, groups, tags, display_name, bio, notes, status, first_seen_at, "
        "platform_account_id). Nothing is written if any row is refused, or with --dry-run."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the .csv or .xlsx file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row, write nothing."
        )
        parser.add_argument(
            "--user", help="Username to record as the flagger (default: none, the system)."
        )

    def handle(self, *args, file, dry_run, user, **options):
        path = Path(file)
        flagger = None
        if user:
            flagger = get_user_model().objects.filter(username=user, is_active=True).first()
            if flagger is None:
                raise CommandError(f"No active user “{user}”.")
        try:
            handle = path.open("rb")
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from None
        with handle:
            self._import(handle, path.name, flagger, dry_run)

    def _import(self, handle, name, flagger, dry_run):
        """The file's rows flow from the open file into the bulk create (never read whole)."""
        rows = None
        try:
            rows = open_account_rows(file=handle, name=name)
            if not rows:
                raise CommandError(f"{name} has a header but no account rows.")
            # keep=False: the count only, no account of a big file held in memory.
            result = accounts_bulk_create(
                user=flagger, rows=rows.values(), dry_run=dry_run, keep=False
            )
        except DomainError as exc:
            for error in exc.extra.get("rows", ()):
                field = f"{error['field']}: " if error["field"] else ""
                first = error.get("first_index")
                where = f" (line {rows.line(first)})" if first is not None else ""
                self.stderr.write(
                    f"Line {rows.line(error['index'])}: {field}{error['message']}{where}"
                )
            raise CommandError(f"{name}: {exc.message}") from None
        count = result.count
        if dry_run:
            self.stdout.write(
                f"Dry run: all {count} rows are valid; nothing was written (run again "
                "without --dry-run to record them)."
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"Recorded {count} accounts from {name}."))
