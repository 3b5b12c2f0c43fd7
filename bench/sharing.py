"""STIX 2.1 bundle of 100,000 accounts: streamed plain dictionaries (sharing/stix/export.py)
beside the same bundle built with the stix2 library's objects, time and peak memory of each.

    python bench/sharing.py [--accounts 100000] [--seed]

--seed fills the bench database first (bench/seed_scale.py, with --accounts accounts) and gives
the removed accounts an avatar hash, so the bundle holds file objects too. Each way runs in its
own process, so one's memory does not hide the other's: the figure is the growth of the
process's peak resident memory (VmHWM) over what it held when the export began.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import database_url, ensure_database, setup_django

if "DISCLOSURE_KEYS" not in os.environ:
    # Settings with DEBUG off want a key; nothing here reads disclosed data.
    from cryptography.fernet import Fernet

    os.environ["DISCLOSURE_KEYS"] = Fernet.generate_key().decode()


def _status_kib(field: str) -> int:
    """A memory figure of this process from /proc/self/status (VmRSS now, VmHWM its peak)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _accounts(limit: int):
    from accounts.models import FlaggedAccount

    last = FlaggedAccount.objects.order_by("pk").values_list("pk", flat=True)[limit - 1 : limit]
    return FlaggedAccount.objects.filter(pk__lte=last[0]) if last else FlaggedAccount.objects.all()


def streamed(accounts) -> tuple[int, int]:
    """(bytes, objects) of the bundle as the app streams it."""
    from sharing.stix.export import bundle_chunks, bundle_objects

    size = count = 0
    for chunk in bundle_chunks(bundle_objects(accounts=accounts)):
        size += len(chunk.encode())
        count += 1
    return size, count - 2  # the opening and the closing chunk hold no object


def with_stix2(accounts) -> tuple[int, int]:
    """The same objects as stix2 library objects, then stix2.Bundle(...).serialize()."""
    import stix2

    from sharing.stix.export import bundle_objects

    classes = {
        "user-account": stix2.UserAccount,
        "file": stix2.File,
        "relationship": stix2.Relationship,
        "intrusion-set": stix2.IntrusionSet,
    }
    objects = [
        classes[obj["type"]](allow_custom=True, **obj) for obj in bundle_objects(accounts=accounts)
    ]
    text = stix2.Bundle(objects=objects, allow_custom=True).serialize()
    return len(text.encode()), len(objects)


def child(way: str, limit: int) -> None:
    setup_django()
    accounts = _accounts(limit)
    count = accounts.count()
    before = _status_kib("VmRSS")
    start = time.perf_counter()
    size, objects = {"streamed": streamed, "stix2": with_stix2}[way](accounts)
    seconds = time.perf_counter() - start
    peak = _status_kib("VmHWM")
    print(
        f"{way:<9} {count:>8,} accounts {objects:>8,} objects {size / 1e6:>7.1f} MB "
        f"{seconds:>7.1f} s  peak memory +{(peak - before) / 1024:>6.1f} MiB"
    )


def seed(limit: int) -> None:
    from django.db import connection

    from bench.seed_scale import seed as seed_scale

    seed_scale(limit, max(limit // 100, 100))
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accounts_flaggedaccount SET avatar_pdq = md5(id::text) || md5(handle), "
            "avatar_quality = 90 WHERE status = 'removed'"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--seed", action="store_true")
    parser.add_argument("--way", choices=["streamed", "stix2"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.way:
        child(args.way, args.accounts)
        return
    ensure_database(database_url())
    if args.seed:
        setup_django()
        seed(args.accounts)
    print(f"STIX 2.1 bundle export, database {database_url().rsplit('/', 1)[-1]}")
    for way in ("streamed", "stix2"):
        subprocess.run(
            [sys.executable, __file__, "--way", way, "--accounts", str(args.accounts)], check=True
        )


if __name__ == "__main__":
    main()
