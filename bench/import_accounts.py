"""Importing an account list into PostgreSQL, three ways side by side, at 10,000 and 100,000 rows.

    python bench/import_accounts.py [--sizes 10000 100000] [--ways importer import-export copy]

1. this importer, as `manage.py import_accounts` runs it: the CSV file read lazily from disk by
   `accounts.imports.files.open_account_rows` and recorded by `accounts_bulk_create` (row
   validator, handle parsing, duplicates in the file and in the tracker, accounts, history,
   group and tag links, mirror scoring), all or nothing;
2. django-import-export 4 in bulk mode, configured as its documentation's "Bulk imports" section
   recommends (use_bulk, batch_size=1000, force_init_instance, skip_diff, skip_html_diff,
   use_transactions; the platform's foreign key widget caching its look-up), importing the
   account columns as stored (it has no handle parser; bulk mode saves no many-to-many links
   and no history);
3. a bare COPY of the same stored columns into the same table: the physical limit.

Each way runs in its own process on empty account tables (so peak RSS is that way's own), on
the `tracker_bench_imports` database (BENCH_DATABASE_URL overrides it). "insert" is the time
spent writing (this importer's batches; the whole COPY); "total" includes reading the file and
every check. Targets: total >= 10x django-import-export, insert within 3x of COPY, peak
memory that does not grow with the file.
"""

import argparse
import contextlib
import csv
import io
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tracker_bench_imports"
)

if "DISCLOSURE_KEYS" not in os.environ:  # settings need one with DEBUG off; none is read here
    from cryptography.fernet import Fernet

    os.environ["DISCLOSURE_KEYS"] = Fernet.generate_key().decode()

from bench.common import database_url, ensure_database, setup_django

PLATFORMS = ["x", "telegram", "facebook", "instagram", "youtube", "tiktok"]
GROUPS = ["Lashkar-e-Tayyiba", "Tehrik-e Taliban Pakistan", "Islamic State Khorasan Province"]
STORED = ["platform", "handle", "handle_normalized", "handle_stem", "display_name", "status",
          "first_seen_at", "notes"]  # fmt: skip


def work_peak_reset() -> None:
    """Start Linux's peak-RSS count again (VmHWM), so the way's own peak excludes preparing
    its input (the generated rows), which every way does outside the timing."""
    with contextlib.suppress(OSError):  # not Linux: the whole process's peak only
        Path("/proc/self/clear_refs").write_text("5")


def work_peak_mb() -> float:
    """Peak RSS since work_peak_reset (what stays resident counts: Django, the input file)."""
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmHWM:")[1].split()[0]) / 1024


def generated_rows(count: int) -> list[dict]:
    """Distinct accounts as an analyst's list has them: a handle, a platform, groups, tags."""
    rows = []
    for i in range(count):
        platform = PLATFORMS[i % len(PLATFORMS)]
        rows.append(
            {
                "platform": platform,
                "handle": f"@acct{i:07d}q",
                "display_name": f"Voice of the Front {i}",
                "groups": GROUPS[i % len(GROUPS)],
                "tags": "recruitment; urdu" if i % 2 else "propaganda",
                "first_seen_at": f"2026-0{1 + i % 9}-1{i % 10}",
                "notes": "from the monthly list",
            }
        )
    return rows


def list_csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def stored_rows(rows: list[dict]) -> list[list]:
    """The account columns as the table stores them (what django-import-export and COPY get)."""
    from accounts.handles import parse_handle
    from accounts.mirrors import handle_stem

    out = []
    for row in rows:
        parsed = parse_handle(row["handle"], row["platform"])
        out.append([row["platform"], parsed.handle, parsed.normalized,
                    handle_stem(parsed.normalized), row["display_name"], "active",
                    row["first_seen_at"] + "T00:00:00+00:00", row["notes"]])  # fmt: skip
    return out


def reset() -> None:
    """Empty the account tables (and what hangs off them) and make sure the reference data is
    there: platforms, groups, the importing user."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from accounts.models import Platform, ProscribedGroup

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE accounts_flaggedaccount, accounts_historicalflaggedaccount, "
            "accounts_historicalflaggedaccount_groups, accounts_tag RESTART IDENTITY CASCADE"
        )
    for slug in PLATFORMS:
        Platform.objects.get_or_create(slug=slug, defaults={"name": slug.title()})
    for name in GROUPS:
        ProscribedGroup.objects.get_or_create(name=name, defaults={"name_key": name.casefold()})
    user, _ = get_user_model().objects.get_or_create(username="bench-importer")
    if not user.is_superuser:
        user.is_superuser = True
        user.save()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE accounts_flaggedaccount")


def run_importer(rows: list[dict]) -> dict:
    """The command's path: the list written to a file, read from the open file a row at a
    time (`open_account_rows`) into `accounts_bulk_create`."""
    import tempfile

    from django.contrib.auth import get_user_model

    from accounts.imports.files import open_account_rows
    from accounts.services import accounts_bulk_create

    user = get_user_model().objects.get(username="bench-importer")
    with tempfile.NamedTemporaryFile(suffix=".csv") as file:
        file.write(list_csv(rows))
        file.flush()
        del rows
        file.seek(0)
        work_peak_reset()
        started = time.perf_counter()
        file_rows = open_account_rows(file=file, name="list.csv")
        result = accounts_bulk_create(user=user, rows=file_rows.values(), keep=False)
        total = time.perf_counter() - started
    return {"total": total, "insert": result.timings["insert"],
            "mirrors": result.timings["mirrors"], "check": result.timings["check"],
            "count": result.count}  # fmt: skip


def run_import_export(rows: list[dict]) -> dict:
    import tablib
    from import_export import fields, resources, widgets

    from accounts.models import FlaggedAccount, Platform

    class CachedForeignKeyWidget(widgets.ForeignKeyWidget):
        """The documentation's advice for bulk imports: look the related rows up once."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.cache = {p.slug: p for p in Platform.objects.all()}

        def clean(self, value, row=None, **kwargs):
            return self.cache[value]

    class AccountResource(resources.ModelResource):
        platform = fields.Field(
            attribute="platform", column_name="platform",
            widget=CachedForeignKeyWidget(Platform, "slug"),
        )  # fmt: skip

        class Meta:
            model = FlaggedAccount
            fields = STORED
            use_bulk = True
            batch_size = 1000
            force_init_instance = True
            skip_diff = True
            skip_html_diff = True
            use_transactions = True
            report_skipped = False

    # Its date-time widget reads Django's input formats ("YYYY-MM-DD HH:MM:SS").
    stored = [[*r[:6], r[6][:19].replace("T", " "), r[7]] for r in stored_rows(rows)]
    dataset = tablib.Dataset(*stored, headers=STORED)
    del rows
    work_peak_reset()
    started = time.perf_counter()
    result = AccountResource().import_data(dataset, raise_errors=True)
    total = time.perf_counter() - started
    assert not result.has_errors()
    return {"total": total, "insert": total, "count": FlaggedAccount.objects.count()}


def run_copy(rows: list[dict]) -> dict:
    from django.db import connection, transaction

    from accounts.models import FlaggedAccount, Platform

    platforms = dict(Platform.objects.values_list("slug", "pk"))
    stamp = "2026-12-01T00:00:00+00:00"
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)  # quoted: an empty text, not NULL
    for values in stored_rows(rows):
        writer.writerow([platforms[values[0]], *values[1:], "", "", "[]", "", "", "", stamp, stamp])
    del rows
    text = out.getvalue()
    work_peak_reset()
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            "COPY accounts_flaggedaccount (platform_id, handle, handle_normalized, handle_stem,"
            " display_name, status, first_seen_at, notes, platform_account_id, profile_url,"
            " avatar_crops, bio, avatar, avatar_pdq, created_at, updated_at)"
            " FROM STDIN WITH (FORMAT csv)",
            io.StringIO(text),
        )
    total = time.perf_counter() - started
    return {"total": total, "insert": total, "count": FlaggedAccount.objects.count()}


WAYS = {"importer": run_importer, "import-export": run_import_export, "copy": run_copy}
# What each way writes and checks (the comparison is not like for like).
WRITES = {
    "importer": "accounts, history records (with their group links), group links, tags; "
    "checks every row (validator, handle parser, stems, duplicates in file and tracker)",
    "import-export": "accounts only (bulk mode saves no history and no many-to-many links); "
    "its widgets clean each value, no handle parser, no duplicate check",
    "copy": "accounts only, every column prepared beforehand outside the timing; no check",
}


def child(way: str, size: int) -> None:
    setup_django()
    reset()
    # Handed over, not kept here: each way drops the rows once its input is prepared.
    given = [generated_rows(size)]
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        profile = cProfile.Profile()
        figures = profile.runcall(WAYS[way], given.pop())
        pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(45)
    else:
        figures = WAYS[way](given.pop())
    assert figures["count"] == size, figures
    figures["work_mb"] = work_peak_mb()
    figures["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(figures))


def baseline() -> float:
    """Peak RSS of a process that only sets Django up (what every way starts from)."""
    setup_django()
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--ways", nargs="+", choices=list(WAYS), default=list(WAYS))
    parser.add_argument("--child", nargs=2, metavar=("WAY", "SIZE"), help=argparse.SUPPRESS)
    parser.add_argument("--baseline", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]))
        return
    if args.baseline:
        print(json.dumps({"peak_mb": baseline()}))
        return
    ensure_database(database_url())
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    me = [sys.executable, __file__]
    base = json.loads(subprocess.run([*me, "--baseline"], capture_output=True, text=True,
                                     check=True).stdout)["peak_mb"]  # fmt: skip
    print(f"PostgreSQL {database_url().rsplit('/', 1)[-1]}; peak RSS of Django alone {base:.0f} MB")
    for way in args.ways:
        writes = WRITES[way]
        print(f"  {way}: {writes}")
    print("  peak MB: the process's peak RSS; work MB: its peak while importing (after the"
          " generated rows are dropped)")  # fmt: skip
    header = f"{'rows':>8} {'way':<14} {'total s':>8} {'rows/s':>9} {'insert s':>9} " \
             f"{'ins rows/s':>10} {'peak MB':>8} {'work MB':>8} {'load 1m':>8}"  # fmt: skip
    for size in args.sizes:
        print()
        print(header)
        found = {}
        for way in args.ways:
            done = subprocess.run([*me, "--child", way, str(size)], capture_output=True,
                                  text=True)  # fmt: skip
            load = os.getloadavg()[0]  # the machine's load over the last minute of this way
            if done.returncode:
                print(f"{size:>8} {way:<14} failed:\n{done.stderr[-2000:]}")
                continue
            f = found[way] = json.loads(done.stdout.strip().splitlines()[-1])
            print(f"{size:>8} {way:<14} {f['total']:>8.2f} {size / f['total']:>9.0f} "
                  f"{f['insert']:>9.2f} {size / f['insert']:>10.0f} "
                  f"{f['peak_mb']:>8.0f} {f['work_mb']:>8.0f} {load:>8.1f}")  # fmt: skip
        mine = found.get("importer")
        if mine:
            print(f"         this importer: check {mine['check']:.2f} s, insert "
                  f"{mine['insert']:.2f} s, mirror scoring {mine['mirrors']:.2f} s")  # fmt: skip
        if mine and "import-export" in found:
            print(f"         total vs django-import-export: "
                  f"{found['import-export']['total'] / mine['total']:.1f}x faster")  # fmt: skip
        if mine and "copy" in found:
            print(f"         insert vs COPY: {mine['insert'] / found['copy']['insert']:.1f}x "
                  "the time of COPY")  # fmt: skip


if __name__ == "__main__":
    main()
