"""Benchmark: import the full published UN list (2 MB, 1,003 entries) into a fresh database.

Side by side:
- ours: `designation_import` (defusedxml streaming parse, name index across lists, audited
  writes, one transaction);
- ours, re-import: the same file again (everything unchanged);
- naive: the obvious alternative, `xml.etree.ElementTree.parse` of the whole tree (no defence
  against entity bombs) and `get_or_create` per row on exact names, without the name index,
  in one transaction too (its history rows are written by the same simple_history signals).

On a fresh test database (the one DATABASE_URL points at, or a SQLite file when unset), emptied
before every run. The approaches are timed in turns, --repeat rounds, and the best time of each
is shown: on a shared machine, turns spread the neighbours' load evenly. The SQL statements are
counted and the peak of Python allocations taken with tracemalloc in that same process. The
growth of the peak resident set (resource.getrusage, after resetting the peak through
/proc/self/clear_refs) is taken in a fresh process per approach, started by a parent that stays
small, since a process's peak starts from what it inherited.

    python bench/designations.py [--file PATH_TO_UN_XML] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
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
    parser.add_argument("--repeat", type=int, default=3, help="timed rounds; the best is shown")
    parser.add_argument("--phase", choices=("create", "time", "rss"), help=argparse.SUPPRESS)
    parser.add_argument("--approach", choices=APPROACHES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.file.is_file():
        sys.exit(f"No UN list at {args.file}; give --file.")
    if args.phase:
        print(json.dumps(run_phase(args)))
        return
    # This process only starts the others and stays small: a child's peak RSS starts from its
    # parent's resident set at the fork, which would hide the import's own growth.
    folder = tempfile.mkdtemp()
    try:
        env = {**os.environ, "BENCH_SQLITE": str(Path(folder) / "bench.sqlite3")}
        env["BENCH_DATABASE"] = child(env, args, "create")["database"]
        rss = {name: child(env, args, "rss", name)["rss_growth_mb"] for name in APPROACHES}
        timed = child(env, args, "time")  # and drops the test database
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print_table(args.file, timed.pop("vendor"), timed, rss)


def child(env: dict, args, phase: str, approach: str | None = None) -> dict:
    command = [sys.executable, __file__, "--phase", phase, "--file", str(args.file)]
    command += ["--repeat", str(args.repeat)] + (["--approach", approach] if approach else [])
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env, check=False)
    if done.returncode:
        sys.exit(f"The {phase} phase failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_phase(args) -> dict:
    """One step in a process of its own: create the test database, measure, or drop it."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    if connection.vendor == "sqlite":
        # A file, not memory, so that every phase sees the same test database.
        connection.settings_dict["TEST"]["NAME"] = os.environ["BENCH_SQLITE"]
    if args.phase == "create":
        name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        return {"database": name}
    # The test database as it is: even checking its migrations would leave memory resident
    # that the import then reuses, hiding its growth.
    connection.settings_dict["NAME"] = os.environ["BENCH_DATABASE"]
    if args.phase == "rss":
        return {"rss_growth_mb": rss_growth(args.approach, args.file)}
    try:
        return {"vendor": connection.vendor, **measure(args.file, args.repeat)}
    finally:
        # Drops the database named in settings, which is the test database set just above.
        connection.creation.destroy_test_db(verbosity=0, keepdb=False)


def measure(path: Path, repeat: int) -> dict[str, dict]:
    """Best time and SQL statements over `repeat` rounds, then the tracemalloc peak."""
    from django.db import connection

    from accounts.models import Designation, ProscribedGroup

    results: dict[str, dict] = {name: {"seconds": float("inf")} for name in APPROACHES}
    for _ in range(repeat):
        for name in APPROACHES:
            prepare, run = _steps(name)
            _empty()
            prepare(path)
            queries = _QueryCounter()
            with connection.execute_wrapper(queries):
                started = time.perf_counter()
                run(path)
                seconds = time.perf_counter() - started
            row = results[name]
            row["seconds"] = min(row["seconds"], seconds)
            row["queries"] = queries.count
            row["groups"] = ProscribedGroup.objects.count()
            row["designations"] = Designation.objects.count()
    for name in APPROACHES:
        prepare, run = _steps(name)
        _empty()
        prepare(path)
        tracemalloc.start()
        run(path)
        results[name]["python_peak_mb"] = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
    return results


def rss_growth(name: str, path: Path) -> float:
    from accounts.matching import NameIndex

    # Libraries load their tables once (ICU transliteration, territories): not the import's.
    NameIndex([(1, ["Warm-up Group (Kenya)"])]).resolve(["Warm-up"])
    prepare, run = _steps(name)
    _empty()
    prepare(path)
    _reset_peak_rss()
    before = _max_rss_mb()
    run(path)
    return _max_rss_mb() - before


def _reset_peak_rss() -> None:
    """Bring the peak back to the current RSS (Linux), so that creating the test database or
    the set-up import do not hide the measured run's peak."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        print("cannot reset the peak RSS here: the RSS column is a lower bound", file=sys.stderr)


def print_table(path: Path, database: str, results: dict[str, dict], rss: dict) -> None:
    print(
        f"UN list {path.name} ({path.stat().st_size / 1e6:.1f} MB), {database}, "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs"
    )
    header = (
        f"{'approach':<38} {'seconds':>8} {'SQL':>6} {'py peak MB':>11} {'RSS +MB':>8} "
        f"{'groups':>7} {'designations':>13}"
    )
    print(header)
    print("-" * len(header))
    for name, row in results.items():
        print(
            f"{APPROACHES[name]:<38} {row['seconds']:>8.2f} {row['queries']:>6} "
            f"{row['python_peak_mb']:>11.1f} {rss[name]:>8.1f} "
            f"{row['groups']:>7} {row['designations']:>13}"
        )


class _QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _empty() -> None:
    from django.core.management import call_command

    call_command("flush", "--no-input", verbosity=0)


def _steps(name: str):
    """(set-up, measured run) of an approach."""
    return {
        "ours": (_nothing, _ours),
        "ours-again": (_ours, _ours),
        "naive": (_nothing, _naive),
    }[name]


def _nothing(path: Path) -> None:
    pass


def _ours(path: Path) -> None:
    from accounts.services.designation_imports import designation_import

    designation_import(source="un", path_or_url=path)


def _naive(path: Path) -> None:
    import xml.etree.ElementTree as ET

    from django.db import transaction

    from accounts.matching import name_key
    from accounts.models import Designation, GroupAlias, ProscribedGroup
    from accounts.services.designation_imports import UN_LISTS_KEPT

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
