"""Benchmark: import the full published UN list (2 MB, 1,003 entries) into a fresh database.

Side by side:
- ours: `designation_import` (defusedxml streaming parse, name index across lists, audited
  writes, one transaction);
- ours, re-import: the same file again (everything unchanged);
- naive: the obvious alternative, `xml.etree.ElementTree.parse` of the whole tree (no defence
  against entity bombs) and `get_or_create` per row on exact names, without the name index, in
  one transaction too.

Each runs in a child process of its own, on a fresh test database (the one DATABASE_URL points
at, or SQLite in memory when unset), measured twice: once for time and SQL statements, once
under tracemalloc for the peak of Python allocations. The RSS column is the growth of the
child's peak resident set (resource.getrusage) across both runs.

    python bench/designations.py [--file PATH_TO_UN_XML]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPROACHES = {
    "ours": "ours: designation_import",
    "ours-again": "ours: re-import, unchanged",
    "naive": "naive: etree.parse + get_or_create",
}


def default_file() -> Path:
    """The real UN list in shared/fixtures beside the repository (or a worktree's parents)."""
    for folder in ROOT.parents:
        candidate = folder / "shared/fixtures/designations/un_consolidated_2026-02-27.xml"
        if candidate.is_file():
            return candidate
    return ROOT.parent / "shared/fixtures/designations/un_consolidated_2026-02-27.xml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=default_file())
    parser.add_argument("--child", choices=APPROACHES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.file.is_file():
        sys.exit(f"No UN list at {args.file}; give --file.")
    if args.child:
        print(json.dumps(run_child(args.child, args.file)))
        return
    results = []
    for name in APPROACHES:
        done = subprocess.run(
            [sys.executable, __file__, "--child", name, "--file", str(args.file)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            check=False,
        )
        if done.returncode:
            sys.exit(f"{name} failed:\n{done.stderr}")
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print_table(args.file, results)


def print_table(path: Path, results: list[dict]) -> None:
    first = results[0]
    print(
        f"UN list {path.name} ({path.stat().st_size / 1e6:.1f} MB), {first['database']}, "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs"
    )
    header = (
        f"{'approach':<38} {'seconds':>8} {'SQL':>6} {'py peak MB':>11} {'RSS +MB':>8} "
        f"{'groups':>7} {'designations':>13}"
    )
    print(header)
    print("-" * len(header))
    for row in results:
        print(
            f"{APPROACHES[row['name']]:<38} {row['seconds']:>8.2f} {row['queries']:>6} "
            f"{row['python_peak_mb']:>11.1f} {row['rss_growth_mb']:>8.1f} "
            f"{row['groups']:>7} {row['designations']:>13}"
        )


# --- in the child process ----------------------------------------------------------------------


def run_child(name: str, path: Path) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    from accounts.models import Designation, ProscribedGroup

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        prepare, run = {
            "ours": (_nothing, _ours),
            "ours-again": (_ours, _ours),
            "naive": (_nothing, _naive),
        }[name]
        prepare(path)
        rss_before = _max_rss_mb()
        queries = _QueryCounter()
        with connection.execute_wrapper(queries):
            started = time.perf_counter()
            run(path)
            seconds = time.perf_counter() - started
        result = {
            "name": name,
            "database": connection.vendor,
            "seconds": seconds,
            "queries": queries.count,
            "groups": ProscribedGroup.objects.count(),
            "designations": Designation.objects.count(),
        }
        call_command("flush", "--no-input", verbosity=0)
        prepare(path)
        tracemalloc.start()
        run(path)
        result["python_peak_mb"] = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        result["rss_growth_mb"] = _max_rss_mb() - rss_before
        return result
    finally:
        connection.creation.destroy_test_db(
            connection.settings_dict["NAME"], verbosity=0, keepdb=False
        )


class _QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _nothing(path: Path) -> None:
    pass


def _ours(path: Path) -> None:
    from accounts.services_imports import designation_import

    designation_import(source="un", path_or_url=path)


def _naive(path: Path) -> None:
    import xml.etree.ElementTree as ET

    from django.db import transaction

    from accounts.matching import name_key
    from accounts.models import Designation, GroupAlias, ProscribedGroup
    from accounts.services_imports import UN_LISTS_KEPT

    tree = ET.parse(path)
    with transaction.atomic():
        for entity in tree.getroot().iter("ENTITY"):
            if entity.findtext("UN_LIST_TYPE") not in UN_LISTS_KEPT:
                continue
            name = " ".join((entity.findtext("FIRST_NAME") or "").split())
            group, _ = ProscribedGroup.objects.get_or_create(
                name=name, defaults={"name_key": name_key(name)}
            )
            for alias in entity.iter("ALIAS_NAME"):
                # One real alias is 324 characters: even the naive way must cut at 255.
                text = " ".join((alias.text or "").split())[:255]
                if text:
                    GroupAlias.objects.get_or_create(
                        group=group, name=text, defaults={"name_key": name_key(text)}
                    )
            Designation.objects.update_or_create(
                authority="un",
                source_record_id=entity.findtext("DATAID"),
                defaults={
                    "group": group,
                    "reference": entity.findtext("REFERENCE_NUMBER") or "",
                    "name_as_listed": name,
                },
            )


if __name__ == "__main__":
    main()
