"""manage.py import_designations SOURCE FILE_OR_URL: import one official designation list."""

from django.core.management.base import BaseCommand, CommandError

from accounts.importers.base import SOURCES
from accounts.services.designation_imports import designation_import
from core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Import an official designation list from a file or an http(s) URL: un (UN consolidated "
        "XML), uk (OFSI/FCDO CSV or XML), ofac (sdn.csv, with the alt.csv beside it, or SDN.XML), "
        "eu (EU FSF XML), nacta (the simple CSV of docs/designations.md). Nothing is written when "
        "the file is refused; the run is listed either way."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", choices=SOURCES)
        parser.add_argument("file_or_url")

    def handle(self, *args, source: str, file_or_url: str, **options):
        try:
            run = designation_import(
                source=source, path_or_url=file_or_url, user=None, notify=self.stdout.write
            )
        except DomainError as exc:
            import_id = exc.extra.get("import_id")
            where = f" (import #{import_id} recorded as failed)" if import_id else ""
            raise CommandError(f"{exc.message}{where}") from exc
        self.stdout.write(self.style.SUCCESS(f"Import {source} #{run.pk}: {run.summary}."))
        for error in run.errors:
            self.stderr.write(f"  {error['message']}")
