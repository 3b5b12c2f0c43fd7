"""Quality of the mirror engine on a generated, labelled set, through the real watch list.

    python bench/mirrors_quality.py [--originals 4400] [--decoys 3000] [--negatives 4400]

Stores the removed accounts (originals and decoys that nothing re-creates) with their watch-list
signals in its own PostgreSQL database (tracker_bench_quality, or BENCH_QUALITY_DATABASE_URL),
checks every mirror and hard negative through the indexed look-up and the feature code the
service uses, and prints recall@1, recall@5, MRR (ranks over every removed account on the watch
list at the time of the check) and the share of hard negatives with a strong match, for the
default weights and for weights fitted on the tuning half; both are measured on the HELD-BACK
half only (originals split in two by index; mirrors and negatives follow). Then where it fails.
"""

import argparse
import io
import sys
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import database_url, ensure_database, setup_django
from bench.mirror_data import PLATFORMS, Generator

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def quality_url() -> str:
    import os

    if os.environ.get("BENCH_QUALITY_DATABASE_URL"):
        return os.environ["BENCH_QUALITY_DATABASE_URL"]
    parts = urlsplit(database_url())
    return urlunsplit(parts._replace(path="/tracker_bench_quality"))


def store(gen: Generator, hashes: dict) -> dict:
    """Platforms, groups, the removed accounts and their watch-list signals; key -> id."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from accounts.handles import normalize_handle
    from accounts.mirrors.watchlist import signals_from
    from accounts.models import (
        FlaggedAccount,
        Platform,
        ProscribedGroup,
        WatchAvatar,
        WatchKey,
        WatchSignal,
    )

    call_command("migrate", verbosity=0)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE accounts_watchkey, accounts_watchsignal, accounts_watchavatar, "
                "accounts_mirrorcandidate, "
                "accounts_flaggedaccount_groups, accounts_flaggedaccount, accounts_platform, "
                "accounts_proscribedgroup RESTART IDENTITY CASCADE"
            )
        platforms = {
            slug: Platform.objects.create(slug=slug, name=slug.title()) for slug in PLATFORMS
        }
        groups = {
            g: ProscribedGroup.objects.create(name=f"Group {g}", name_key=f"group {g}")
            for g in gen.groups
        }
        removed = gen.originals + gen.decoys
        accounts = FlaggedAccount.objects.bulk_create(
            [
                FlaggedAccount(
                    platform=platforms[r.platform],
                    handle=r.handle,
                    handle_normalized=normalize_handle(r.handle),
                    display_name=r.display_name,
                    bio=r.bio,
                    status="removed",
                    removed_at=NOW - timedelta(days=r.removed_days_ago),
                    avatar_pdq=hashes[r.key].pdq if r.key in hashes else "",
                    avatar_quality=hashes[r.key].quality if r.key in hashes else None,
                    avatar_crops=list(hashes[r.key].crops) if r.key in hashes else [],
                    avatar_variants=list(hashes[r.key].watched) if r.key in hashes else [],
                )
                for r in removed
            ],
            batch_size=2000,
        )
        through = FlaggedAccount.groups.through
        through.objects.bulk_create(
            [
                through(flaggedaccount_id=a.pk, proscribedgroup_id=groups[g].pk)
                for a, r in zip(accounts, removed, strict=True)
                for g in r.groups
            ],
            batch_size=5000,
        )
        rows, keys, avatars = [], [], []
        for account, record in zip(accounts, removed, strict=True):
            signals = signals_from(
                handle=account.handle_normalized,
                display_name=record.display_name,
                bio=record.bio,
                avatar_pdq=account.avatar_pdq,
                avatar_quality=account.avatar_quality,
                avatar_crops=account.avatar_crops,
                avatar_variants=account.avatar_variants,
            )
            group_ids = [groups[g].pk for g in record.groups]
            rows += [
                WatchSignal(account=account, kind=k, value=v) for k, v in signals.rows(group_ids)
            ]
            keys += [WatchKey(account=account, key=key) for key in signals.block_keys()]
            avatars += signals.avatars(account.pk)
        WatchSignal.objects.bulk_create(rows, batch_size=5000)
        WatchKey.objects.bulk_create(keys, batch_size=10000)
        WatchAvatar.objects.bulk_create(avatars, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE accounts_watchsignal, accounts_watchkey, accounts_watchavatar")
    ids = {r.key: a.pk for a, r in zip(accounts, removed, strict=True)}
    ids["_platforms"] = {slug: p.pk for slug, p in platforms.items()}
    ids["_groups"] = {g: p.pk for g, p in groups.items()}
    return ids


def check(record, hashed, ids):
    """(watched, features) pairs of one record, dropping removals later than its check."""
    from accounts.handles import normalize_handle
    from accounts.mirrors.scoring import make_probe, pairs
    from accounts.mirrors.watchlist import signals_from

    signals = signals_from(
        handle=normalize_handle(record.handle),
        display_name=record.display_name,
        bio=record.bio,
        avatar_pdq=hashed.pdq if hashed else "",
        avatar_quality=hashed.quality if hashed else None,
    )
    probe = make_probe(
        signals,
        platform_id=ids["_platforms"][record.platform],
        group_ids=[ids["_groups"][g] for g in record.groups],
        avatar=hashed,
    )
    at = NOW - timedelta(days=record.checked_days_ago)
    return [(w, f) for w, f in pairs(probe, now=at) if w.removed_at is None or w.removed_at <= at]


def evaluate(queries, spec, *, strong_at: float):
    """Per-record rank of the true original (None: not found) and top score."""
    from accounts.mirrors.scoring import rank_pairs

    out = {}
    for key, (_record, target_id, found) in queries.items():
        ranked = rank_pairs(found, spec, limit=None)
        position = next((i + 1 for i, r in enumerate(ranked) if r.account_id == target_id), None)
        top = ranked[0].score if ranked else 0.0
        out[key] = (position, top, ranked[0].features if ranked else [])
    return out


def report(title, results, mirrors, negatives, strong_at):
    held_m = [m for m in mirrors if m.half == "held"]
    held_n = [n for n in negatives if n.half == "held"]
    positions = [results[m.key][0] for m in held_m]
    r1 = sum(1 for p in positions if p == 1) / len(positions)
    r5 = sum(1 for p in positions if p and p <= 5) / len(positions)
    mrr = sum(1 / p for p in positions if p) / len(positions)
    strong_neg = sum(1 for n in held_n if results[n.key][1] >= strong_at) / len(held_n)
    strong_m = sum(1 for m in held_m if results[m.key][1] >= strong_at and results[m.key][0] == 1)
    print(f"\n== {title} (held-back half: {len(held_m)} mirrors, {len(held_n)} hard negatives)")
    print(
        f"recall@1 {r1:.4f}   recall@5 {r5:.4f}   MRR {mrr:.4f}   "
        f"hard negatives strong {strong_neg:.4f}   mirrors strong at rank 1 "
        f"{strong_m / len(held_m):.4f}"
    )
    by = defaultdict(list)
    for m in held_m:
        by[m.scenario].append(results[m.key][0])
    print(
        "  recall@1 by trick:",
        ", ".join(
            f"{s} {sum(1 for p in v if p == 1) / len(v):.2f} (n={len(v)})"
            for s, v in sorted(by.items())
        ),
    )
    neg = defaultdict(list)
    for n in held_n:
        neg[n.scenario].append(results[n.key][1] >= strong_at)
    print(
        "  hard negatives strong by kind:",
        ", ".join(f"{k} {sum(v) / len(v):.3f} (n={len(v)})" for k, v in sorted(neg.items())),
    )
    return r1, r5, mrr, strong_neg


def failures(results, mirrors, negatives, strong_at, gen, limit=8):
    originals = {o.key: o for o in gen.originals}
    missed = [m for m in mirrors if m.half == "held" and results[m.key][0] != 1]
    print(f"\n  where it fails: {len(missed)} held-back mirrors not ranked first;", end=" ")
    print("by trick:", dict(Counter(m.scenario for m in missed).most_common()))
    for m in missed[:limit]:
        o = originals[m.target]
        print(
            f"   - [{m.scenario}] {m.handle!r} / {m.display_name!r} -> original {o.handle!r} / "
            f"{o.display_name!r}: rank {results[m.key][0]}"
        )
    strong = [n for n in negatives if n.half == "held" and results[n.key][1] >= strong_at]
    for n in strong[:limit]:
        top = sorted(results[n.key][2], key=lambda f: -f["contribution"])[:3]
        why = ", ".join(f"{f['name']} {f['contribution']:+.1f}" for f in top)
        print(f"   - strong negative [{n.scenario}] {n.handle!r} / {n.display_name!r}: {why}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--originals", type=int, default=4400)
    parser.add_argument("--decoys", type=int, default=3000)
    parser.add_argument("--negatives", type=int, default=4400)
    parser.add_argument("--seed", type=int, default=20261201)
    args = parser.parse_args()
    import os

    os.environ["BENCH_DATABASE_URL"] = quality_url()
    ensure_database(quality_url())
    setup_django()
    from django.conf import settings

    from accounts.mirrors.avatars import avatar_hash
    from accounts.mirrors.model import ModelSpec, fit, vector

    started = time.monotonic()

    def step(message):
        print(f"[{time.monotonic() - started:6.1f}s] {message}", flush=True)

    gen = Generator(args.seed, args.originals, args.decoys)
    mirrors, negatives = gen.mirrors(), gen.negatives(args.negatives)
    step(
        f"generated {len(gen.originals)} originals, {len(gen.decoys)} decoys, "
        f"{len(mirrors)} mirrors, {len(negatives)} hard negatives"
    )
    hashes, cache = {}, {}
    for record in [*gen.originals, *gen.decoys, *mirrors, *negatives]:
        if record.avatar is not None:
            if id(record.avatar) not in cache:
                cache[id(record.avatar)] = avatar_hash(io.BytesIO(record.avatar))
            hashes[record.key] = cache[id(record.avatar)]
    step(f"hashed {len(cache)} avatars")
    ids = store(gen, hashes)
    step(f"stored {len(gen.originals) + len(gen.decoys)} removed accounts with their signals")
    queries = {}
    for n, record in enumerate([*mirrors, *negatives], 1):
        found = check(record, hashes.get(record.key), ids)
        queries[record.key] = (record, ids.get(record.target), found)
        if n % 2000 == 0:
            step(f"  {n} checked")
    step(f"checked {len(queries)} accounts through the watch-list indexes")
    strong_at = settings.MIRROR_STRONG_SCORE
    default = ModelSpec.default()
    results_default = evaluate(queries, default, strong_at=strong_at)
    # Training pairs from the TUNING half only: a mirror's top candidates (label: is it the
    # original?) and a hard negative's top candidates (all 0), as supervisors would decide them.
    samples = []
    for key, (record, target_id, found) in queries.items():
        if record.half != "tune":
            continue
        ranked = sorted(
            found, key=lambda wf: -sum(default.weights[f.name] * f.value for f in wf[1])
        )[:10]
        for watched, features in ranked:
            values = vector([{"name": f.name, "value": f.value} for f in features])
            samples.append(
                (f"{key}:{watched.account_id}", values, int(watched.account_id == target_id))
            )
    fitted = fit(samples, threshold=strong_at)
    step(
        f"fitted on {fitted.trained_on} tuning pairs (+{fitted.held_back} held for its own P/R: "
        f"precision {fitted.precision:.3f}, recall {fitted.recall:.3f})"
    )
    print("  fitted weights:", fitted.weights, "intercept", fitted.intercept)
    spec = ModelSpec(2, fitted.weights, fitted.intercept)
    results_fitted = evaluate(queries, spec, strong_at=strong_at)
    figures = {}
    for title, results in (
        ("default weights", results_default),
        ("fitted weights", results_fitted),
    ):
        figures[title] = report(title, results, mirrors, negatives, strong_at)
        failures(results, mirrors, negatives, strong_at, gen)
    print(
        "\ntargets: recall@5 >= 0.98, recall@1 >= 0.95, MRR >= 0.97, hard negatives strong <= 0.02"
    )
    for title, (r1, r5, mrr, neg) in figures.items():
        missed = [
            name
            for name, ok in (
                ("recall@1", r1 >= 0.95),
                ("recall@5", r5 >= 0.98),
                ("MRR", mrr >= 0.97),
                ("negatives", neg <= 0.02),
            )
            if not ok
        ]
        print(f"  {title}: {'all met' if not missed else 'MISSED ' + ', '.join(missed)}")
    step("done")


if __name__ == "__main__":
    main()
