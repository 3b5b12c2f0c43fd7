"""What putting a removed account on the watch list costs at 1M accounts (accounts.mirrors.
watchlist.index_account: signals, blocking keys and avatar rows written in the removal's
transaction), for accounts with and without an avatar.

    python bench/mirror_index_cost.py [--accounts 60]

On the database bench/mirrors.py seeded (tracker_bench_mirrors unless the variable says
otherwise). Each account already on the watch list is first taken off it (untimed), then
indexed as a removal indexes it, inside a transaction that is rolled back, so the database is
left as it was. Prints p50/p95 of the call and the rows written, split by avatar.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import setup_django
from bench.mirrors import mirrors_url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=60, help="of each kind")
    args = parser.parse_args()
    os.environ["BENCH_DATABASE_URL"] = mirrors_url()
    setup_django()
    from django.db import connection, transaction

    from accounts.mirrors.models import WatchAvatar, WatchKey, WatchSignal
    from accounts.mirrors.watchlist import index_account, withdraw_account
    from accounts.models import FlaggedAccount

    removed = FlaggedAccount.objects.filter(status="removed")
    kinds = {
        "with an avatar": removed.exclude(avatar_pdq="").order_by("?")[: args.accounts],
        "without": removed.filter(avatar_pdq="").order_by("?")[: args.accounts],
    }
    load = "/".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"{connection.settings_dict['NAME']}: {removed.count():,} removed accounts (load {load})")
    for kind, accounts in kinds.items():
        times, rows = [], []
        for account in accounts:
            group_ids = list(account.groups.values_list("pk", flat=True))
            with transaction.atomic():
                withdraw_account(account)
                started = time.perf_counter()
                index_account(account, group_ids)
                times.append(1000 * (time.perf_counter() - started))
                rows.append(
                    WatchSignal.objects.filter(account=account).count()
                    + WatchKey.objects.filter(account=account).count()
                    + WatchAvatar.objects.filter(account=account).count()
                )
                transaction.set_rollback(True)
        if times:
            p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
            print(
                f"index_account, {kind:<15} p50 {statistics.median(times):7.1f} ms   p95 "
                f"{p95:7.1f} ms   rows written p50 {statistics.median(rows):.0f}   (n={len(times)})"
            )
    load = "/".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"(load {load})")


if __name__ == "__main__":
    main()
