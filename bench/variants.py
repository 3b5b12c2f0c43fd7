"""Predicted handle variants (sharing/variants.py) against the mirrors of bench/mirror_data.py.

    python bench/variants.py [--originals 4400] [--limit 25] [--before REV]

The ranking is learned from the TUNING half's mirrors only (as if supervisors had confirmed
them), stored the way the product stores it (VariantWeights.counts, "trick/form" -> count) and
read back. On the HELD-BACK half it prints, side by side, for the default priors alone and for
the fitted ranking: the share of mirrors whose actual handle is among their original's `limit`
predicted variants (exact, in the platform's match key), per scenario, for the mirrors made by
one handle trick and overall, each also among the 'reachable' mirrors (a valid, different handle
on the original's platform). The last column, every form without a limit, is the ceiling no
ranking of these forms can pass. Then the share of predicted variants that are valid handles on
their platform (checked again with the platform's parser). With --before REV the fitted figures
of sharing/variants.py as it is at that git revision are printed too. No database: the variants
are computed from the handles alone.
"""

import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import setup_django
from bench.mirror_data import Generator
from bench.mirror_words import HANDLE_TRICKS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--originals", type=int, default=4400)
    parser.add_argument("--limit", type=int, default=25)
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--before", default="", help="git revision to compare with")
    args = parser.parse_args()
    # Pure computation: settings only (no database is touched), with the development key file.
    os.environ.setdefault("DJANGO_DEBUG", "true")
    setup_django()
    import sharing.variants as current

    gen = Generator(args.seed, args.originals, decoys=0)
    originals = {o.key: o for o in gen.originals}
    mirrors = gen.mirrors()
    tune = [(originals[m.target].handle, m.handle) for m in mirrors if m.half == "tune"]
    held = [m for m in mirrors if m.half == "held"]
    reachable = {
        id(m)
        for m in held
        if m.platform == originals[m.target].platform
        and current.is_valid_handle(m.platform, m.handle)
        and current._normalized_key(m.platform, m.handle)
        != current._normalized_key(m.platform, originals[m.target].handle)
    }
    counts, read, explained = current.fit_counts(tune)
    # Through the stored form and back, as confirmed_priors() reads the active version.
    fitted = current.with_default_priors(current.counts_from_data(current.counts_as_data(counts)))
    print(
        f"{len(gen.originals)} originals, {len(tune)} tuning mirrors ({explained} of {read} "
        f"explained by one form), {len(held)} held-back mirrors ({len(reachable)} with a valid, "
        f"different handle on the original's platform: 'reachable', the rest no variant can "
        f"be), {args.limit} variants each; load average {load_average()}"
    )
    columns = [
        ("default", current, current.default_priors(), args.limit),
        ("fitted", current, fitted, args.limit),
    ]
    if args.before:
        before = _module_at(args.before)
        columns.insert(1, (args.before, before, before.fit_priors(tune), args.limit))
    columns.append(("every form", current, fitted, 100_000))
    results = {}
    for title, module, priors, limit in columns:
        results[title] = _measure(module, priors, held, originals, reachable, limit)
    results["feed keys"] = _measure_keys(held, originals, reachable)
    results["keys or fitted"] = {
        part: defaultdict(
            list,
            {
                scenario: [
                    a or b for a, b in zip(hits, results["feed keys"][part][scenario], strict=True)
                ]
                for scenario, hits in results["fitted"][part].items()
            },
        )
        for part in ("hits", "reached")
    } | {"valid": None}
    top = sorted(fitted.items(), key=lambda item: -item[1])[:16]
    results["fitted"]["top"] = ", ".join(f"{t}/{f} {w:.0f}" for (t, f), w in top)
    _print(results, reachable)


def load_average() -> str:
    return "/".join(f"{value:.1f}" for value in os.getloadavg())


def _module_at(revision: str):
    """sharing/variants.py as it is at a git revision, loaded as a module of its own."""
    root = Path(__file__).resolve().parent.parent
    source = subprocess.run(
        ["git", "show", f"{revision}:sharing/variants.py"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as handle:
        handle.write(source)
    spec = importlib.util.spec_from_file_location(f"variants_at_{revision}", handle.name)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    os.unlink(handle.name)
    return module


def _measure(module, priors, held, originals, reachable, limit) -> dict:
    """Hits per scenario (all and reachable), validity and time of one version's variants."""
    from sharing.variants import _normalized_key, is_valid_handle

    hits, reached, valid, total = defaultdict(list), defaultdict(list), 0, 0
    started = time.perf_counter()
    for m in held:
        o = originals[m.target]
        variants = module.predict_variants(o.handle, o.platform, priors=priors, limit=limit)
        total += len(variants)
        valid += sum(1 for v in variants if is_valid_handle(o.platform, v["handle"]))
        keys = {_normalized_key(o.platform, v["handle"]) for v in variants}
        hit = m.platform == o.platform and _normalized_key(o.platform, m.handle) in keys
        hits[m.scenario].append(hit)
        if id(m) in reachable:
            reached[m.scenario].append(hit)
    return {
        "hits": hits,
        "reached": reached,
        "valid": valid / max(total, 1),
        "variants": total,
        "ms": 1000 * (time.perf_counter() - started) / len(held),
    }


def _measure_keys(held, originals, reachable) -> dict:
    """Hits of the feed's `handle_keys` instead of the variants: a held-back mirror counts when
    it is on its original's platform and one of its folded keys (accounts.mirrors.folding, what
    the detector matches on) equals one of the original's, i.e. what a platform that folds each
    sign-up handle the same way and looks it up among its feed's keys would stop."""
    from accounts.mirrors.folding import handle_keys

    hits, reached = defaultdict(list), defaultdict(list)
    started = time.perf_counter()
    for m in held:
        o = originals[m.target]
        hit = m.platform == o.platform and bool(
            set(handle_keys(m.handle)) & set(handle_keys(o.handle))
        )
        hits[m.scenario].append(hit)
        if id(m) in reachable:
            reached[m.scenario].append(hit)
    ms = 1000 * (time.perf_counter() - started) / len(held)
    return {"hits": hits, "reached": reached, "valid": None, "variants": 0, "ms": ms}


def _share(values) -> str:
    return f"{sum(values) / len(values):.2f}" if values else "  - "


def _print(results: dict, reachable: set) -> None:
    titles = list(results)
    head = "".join(f"{t:>24}" for t in titles)
    sub = "".join(f"{'all':>12}{'reach':>12}" for t in titles)
    print(f"\n{'':<40}{head}\n{'scenario':<26}{'n all':>6}{'n reach':>8}{sub}")
    first = results[titles[0]]
    rows = [*(s for s in HANDLE_TRICKS if s in first["hits"])]
    rows += sorted(s for s in first["hits"] if s not in HANDLE_TRICKS)
    for scenario in rows:
        cells = "".join(
            f"{_share(r['hits'][scenario]):>12}{_share(r['reached'][scenario]):>12}"
            for r in results.values()
        )
        n_all, n_reach = len(first["hits"][scenario]), len(first["reached"][scenario])
        print(f"{scenario:<26}{n_all:>6}{n_reach:>8}{cells}")
    for label, pick in (
        ("one-trick mirrors", lambda d: [h for s in HANDLE_TRICKS for h in d.get(s, [])]),
        ("ALL held-back mirrors", lambda d: [h for v in d.values() for h in v]),
    ):
        cells = "".join(
            f"{_share(pick(r['hits'])):>12}{_share(pick(r['reached'])):>12}"
            for r in results.values()
        )
        n_all, n_reach = len(pick(first["hits"])), len(pick(first["reached"]))
        print(f"{label:<26}{n_all:>6}{n_reach:>8}{cells}")
    for title, r in results.items():
        if r["valid"] is None:
            continue
        print(
            f"\n[{title}] variants valid on their platform: {r['valid']:.4f} of {r['variants']};"
            f"  {r['ms']:.2f} ms per account"
        )
    print(f"[fitted] heaviest forms (count + prior): {results['fitted']['top']}")
    print(f"load average {load_average()}")


if __name__ == "__main__":
    main()
