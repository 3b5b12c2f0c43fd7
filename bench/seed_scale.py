"""Fill the bench database with a national-scale data set, in a few minutes, with COPY.

    python bench/seed_scale.py [--accounts 1000000] [--requests 100000]

Creates `tracker_bench` (or BENCH_DATABASE_URL) if needed, migrates it, empties the tables it
fills, then streams: 7 platforms, 300 groups with aliases and designations, 1,000,000 flagged
accounts (about 1.3 groups each, three years of first-seen dates, a fifth removed, some
mirrors), 100,000 takedown requests in every status with 1 to 5 accounts each, their
timeline events, and mirror suggestions, from a seeded random generator.
Every later benchmark reuses it; nothing here touches the test or app databases.
"""

import argparse
import json
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import copy, database_url, ensure_database, setup_django

NOW = datetime.now(UTC).replace(microsecond=0)
PLATFORMS = ["x", "facebook", "instagram", "whatsapp", "telegram", "youtube", "tiktok"]
ACCOUNT_STATUSES = [
    ("active", 60),
    ("reported", 9),
    ("restricted", 3),
    ("suspended", 4),
    ("removed", 20),
    ("restored", 1),
    ("unknown", 3),
]
# status -> (share in %, how many steps of draft->...->status it took)
REQUEST_STATUSES = {
    "draft": (4, 1),
    "pending_approval": (4, 2),
    "approved": (3, 3),
    "submitted": (8, 4),
    "acknowledged": (6, 5),
    "actioned": (45, 6),
    "partially_actioned": (10, 6),
    "rejected": (12, 6),
    "withdrawn": (8, 2),
}
PATH = ["draft", "pending_approval", "approved", "submitted", "acknowledged"]
OPEN = {"draft", "pending_approval", "approved", "submitted", "acknowledged"}
SYLLABLES = [
    "abu",
    "sada",
    "haq",
    "noor",
    "khor",
    "asan",
    "zarb",
    "umar",
    "bilal",
    "fateh",
    "qalam",
    "sher",
    "tariq",
    "ahrar",
    "ansar",
]


def ts(moment: datetime | None) -> str:
    return "\\N" if moment is None else moment.isoformat()


def weighted(rng: random.Random, table) -> list:
    values, weights = zip(*table, strict=True)
    return rng.choices(values, weights, k=1)[0]


def seed(accounts: int, requests: int) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection, transaction

    from accounts.models import (
        Designation,
        FlaggedAccount,
        GroupAlias,
        MirrorCandidate,
        Platform,
        ProscribedGroup,
    )
    from takedowns.models import TakedownEvent, TakedownItem, TakedownRequest
    from tracker.roles import ANALYST, SUPERVISOR

    rng = random.Random(20260201)
    started = time.monotonic()

    def step(message):
        print(f"[{time.monotonic() - started:6.1f}s] {message}", flush=True)

    call_command("migrate", verbosity=0)
    step("migrated")
    through = FlaggedAccount.groups.through
    tables = [
        m._meta.db_table
        for m in (
            TakedownEvent,
            TakedownItem,
            TakedownRequest,
            MirrorCandidate,
            through,
            FlaggedAccount,
            Designation,
            GroupAlias,
            ProscribedGroup,
            Platform,
        )
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        # The history tables and the rest stay as they are; these are refilled from scratch.
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        # The generator keeps every reference valid, so per-row foreign-key triggers are only
        # cost during the load (bench database only; needs the superuser the bench runs as).
        cursor.execute("SET LOCAL session_replication_role = replica")
        users = get_user_model()
        people = {}
        for role, prefix, n in ((ANALYST, "analyst", 20), (SUPERVISOR, "supervisor", 5)):
            group = Group.objects.get(name=role)
            for i in range(n):
                user, _ = users.objects.get_or_create(username=f"bench_{prefix}{i}")
                user.groups.add(group)
                people.setdefault(prefix, []).append(user.pk)
        analysts, supervisors = people["analyst"], people["supervisor"]

        platform_ids = {}
        for slug in PLATFORMS:
            platform_ids[slug] = Platform.objects.create(slug=slug, name=slug.title()).pk

        copy(
            cursor,
            ProscribedGroup._meta.db_table,
            ["id", "name", "name_key", "country", "notes", "created_at", "updated_at"],
            (
                (str(g), f"Group {g} {rng.choice(SYLLABLES)}", f"group {g}", "Pakistan", "",
                 ts(NOW), ts(NOW))
                for g in range(1, 301)
            ),
        )  # fmt: skip
        copy(
            cursor,
            GroupAlias._meta.db_table,
            ["group_id", "name", "name_key"],
            ((str(g), f"G{g}-{k}", f"g{g} {k}") for g in range(1, 301) for k in range(3)),
        )
        copy(
            cursor,
            Designation._meta.db_table,
            ["group_id", "authority", "reference", "name_as_listed", "aliases_as_listed",
             "programs", "source_url", "source_record_id"],
            (
                (str(g), authority, f"QDe.{g:03d}", f"GROUP {g}", "[]", "[]", "",
                 f"{authority}-{g}")
                for g in range(1, 301)
                for authority in rng.sample(["un", "us_fto", "uk_proscribed", "pk_nacta"], 2)
            ),
        )  # fmt: skip
        step("platforms, groups, aliases, designations")

        by_platform: dict[int, list[int]] = {pid: [] for pid in platform_ids.values()}
        removed_ids = []
        seconds = 3 * 365 * 24 * 3600

        def account_rows():
            for pk in range(1, accounts + 1):
                slug = PLATFORMS[pk % len(PLATFORMS)]
                pid = platform_ids[slug]
                by_platform[pid].append(pk)
                handle = f"{rng.choice(SYLLABLES)}_{rng.choice(SYLLABLES)}{pk}"
                status = weighted(rng, ACCOUNT_STATUSES)
                seen = NOW - timedelta(seconds=rng.randrange(seconds))
                removed = None
                if status == "removed":
                    removed = seen + timedelta(hours=rng.randrange(1, 2000))
                    removed = min(removed, NOW)
                    removed_ids.append(pk)
                yield (
                    str(pk), str(pid), handle, handle, handle.rstrip("0123456789"), "",
                    f"https://{slug}.example/{handle}", handle.replace("_", " ").title(), "", "",
                    "", "\\N", "[]", status, ts(seen), "\\N", ts(removed),
                    str(rng.choice(analysts)), "", "\\N", ts(seen), ts(seen),
                )  # fmt: skip

        columns = [f.column for f in FlaggedAccount._meta.concrete_fields]
        copy(cursor, FlaggedAccount._meta.db_table, columns, account_rows())
        step(f"{accounts:,} accounts")

        def link_rows():
            for pk in range(1, accounts + 1):
                for group in rng.sample(range(1, 301), 1 if rng.random() < 0.7 else 2):
                    yield str(pk), str(group)

        links = copy(
            cursor, through._meta.db_table, ["flaggedaccount_id", "proscribedgroup_id"], link_rows()
        )
        step(f"{links:,} account-group links")

        # Mirrors: 2,000 confirmed (mirror_of set), 5,000 awaiting a supervisor.
        cursor.execute(
            f"UPDATE {FlaggedAccount._meta.db_table} SET mirror_of_id = pairs.removed "
            "FROM (SELECT unnest(%s::bigint[]) AS account, unnest(%s::bigint[]) AS removed) pairs "
            "WHERE id = pairs.account",
            [rng.sample(range(1, accounts + 1), 2000), rng.sample(removed_ids, 2000)],
        )
        copy(
            cursor,
            MirrorCandidate._meta.db_table,
            ["account_id", "removed_account_id", "score", "strong", "features", "status",
             "created_at"],
            (
                (str(a), str(r), f"{rng.uniform(0.7, 1):.2f}", "f", "[]", "suggested", ts(NOW))
                for a, r in zip(
                    rng.sample(range(1, accounts + 1), 5000), rng.sample(removed_ids, 5000),
                    strict=True,
                )
            ),
        )  # fmt: skip
        step("mirrors")

        request_columns = [f.column for f in TakedownRequest._meta.concrete_fields]
        items, events = [], []
        statuses = list(REQUEST_STATUSES)
        weights = [REQUEST_STATUSES[s][0] for s in statuses]

        def request_rows():
            for pk in range(1, requests + 1):
                status = rng.choices(statuses, weights)[0]
                pid = platform_ids[rng.choice(PLATFORMS)]
                # Open requests are recent; closed ones spread over three years.
                age = rng.randrange(30 * 86400 if status in OPEN else seconds)
                created = NOW - timedelta(seconds=age)
                author = rng.choice(analysts)
                steps = REQUEST_STATUSES[status][1]
                approved = created + timedelta(hours=2) if steps >= 3 else None
                submitted = created + timedelta(hours=rng.randrange(3, 48)) if steps >= 4 else None
                due = submitted + timedelta(hours=48) if submitted else None
                resolved = None
                if status in ("actioned", "partially_actioned", "rejected"):
                    resolved = submitted + timedelta(hours=rng.randrange(2, 96))
                elif status == "withdrawn":
                    resolved = created + timedelta(hours=1)
                supervisor = rng.choice(supervisors)
                chosen = rng.sample(by_platform[pid], rng.randint(1, 5))
                outcome = {"actioned": "removed", "rejected": "not_actioned"}.get(status, "pending")
                for account in chosen:
                    if status == "partially_actioned":
                        outcome = rng.choice(["removed", "not_actioned"])
                    items.append((str(pk), str(pid), str(account), outcome, ts(resolved), ""))
                trail = PATH[: min(steps, 5)] + (
                    [status] if steps == 6 or status == "withdrawn" else []
                )
                moment = created
                for n, to_status in enumerate(trail):
                    kind = "created" if n == 0 else "status_changed"
                    actor = author if n < 2 else supervisor
                    previous = trail[n - 1] if n else ""
                    events.append(
                        (str(pk), kind, previous, to_status, str(actor), "", "{}", ts(moment))
                    )
                    moment += timedelta(minutes=30)
                overdue = due is not None and status in OPEN and due < NOW
                acknowledged = submitted + timedelta(hours=1) if steps >= 5 else None
                with_platform = status in ("submitted", "acknowledged")
                kind = rng.choice(["removal", "removal", "geo_block", "preservation"])
                priority = "emergency" if rng.random() < 0.1 else "normal"
                yield (
                    str(pk), str(pid), kind, priority, "PECA 2016 s.37", "", status,
                    str(author), str(supervisor) if approved else "\\N", ts(approved),
                    str(supervisor) if submitted else "\\N", ts(submitted), "\\N",
                    f"T-{pk}" if acknowledged else "", ts(acknowledged),
                    ts(resolved), ts(due), "\\N", "", "\\N", "\\N", ts(due if overdue else None),
                    "1" if overdue else "0", "\\N", ts(due if with_platform else None),
                    str(len(trail)), ts(created), ts(moment),
                )  # fmt: skip

        copy(cursor, TakedownRequest._meta.db_table, request_columns, request_rows())
        step(f"{requests:,} takedown requests")
        copy(
            cursor,
            TakedownItem._meta.db_table,
            ["request_id", "platform_id", "account_id", "outcome", "outcome_at", "note"],
            items,
        )
        step(f"{len(items):,} request items")
        copy(
            cursor,
            TakedownEvent._meta.db_table,
            ["request_id", "kind", "from_status", "to_status", "actor_id", "message", "data",
             "created_at"],
            events,
        )  # fmt: skip
        step(f"{len(events):,} timeline events")
        for table in (ProscribedGroup, FlaggedAccount, TakedownRequest):
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT max(id) FROM "
                f"{table._meta.db_table}))",
                [table._meta.db_table],
            )
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {', '.join(tables)}")
    step("committed and analysed")
    print(json.dumps({"accounts": accounts, "requests": requests, "items": len(items),
                      "events": len(events), "database": database_url()}))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=100_000)
    args = parser.parse_args()
    ensure_database(database_url())
    setup_django()
    seed(args.accounts, args.requests)


if __name__ == "__main__":
    main()
