"""Predicted handle variants (sharing/variants.py) against the mirrors of bench/mirror_data.py.

    python bench/variants.py [--originals 4400] [--limit 25]

Form weights are fitted on the TUNING half's mirrors only (as if supervisors had confirmed them);
on the HELD-BACK half it prints the share of mirrors whose actual handle is among their
original's predicted variants (exact, in the platform's match key), overall, for the mirrors
made by one handle trick on the same platform, and per scenario, beside the default priors;
and the share of predicted variants that are valid handles on their platform (checked again
with the platform's parser). No database: the variants are computed from the handles alone.
"""

import argparse
import os
import sys
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
    args = parser.parse_args()
    # Pure computation: settings only (no database is touched), with the development key file.
    os.environ.setdefault("DJANGO_DEBUG", "true")
    setup_django()
    from sharing.variants import (
        _normalized_key,
        fit_priors,
        is_valid_handle,
        predict_variants,
        with_default_priors,
    )

    gen = Generator(args.seed, args.originals, decoys=0)
    originals = {o.key: o for o in gen.originals}
    mirrors = gen.mirrors()
    tune = [(originals[m.target].handle, m.handle) for m in mirrors if m.half == "tune"]
    started = time.perf_counter()
    fitted = fit_priors(tune)
    fit_seconds = time.perf_counter() - started
    held = [m for m in mirrors if m.half == "held"]
    reachable = [
        m
        for m in held
        if m.platform == originals[m.target].platform
        and is_valid_handle(m.platform, m.handle)
        and _normalized_key(m.platform, m.handle)
        != _normalized_key(m.platform, originals[m.target].handle)
    ]
    print(
        f"{len(gen.originals)} originals, {len(tune)} tuning mirrors (priors fitted in "
        f"{fit_seconds:.1f} s), {len(held)} held-back mirrors, {args.limit} variants each"
    )
    for title, priors in (("default priors", with_default_priors({})), ("fitted", fitted)):
        hits, valid, total_variants, every_in_order = defaultdict(list), 0, 0, []
        reachable_set = {id(m) for m in reachable}
        started = time.perf_counter()
        for m in held:
            o = originals[m.target]
            variants = predict_variants(o.handle, o.platform, priors=priors, limit=args.limit)
            total_variants += len(variants)
            valid += sum(1 for v in variants if is_valid_handle(o.platform, v["handle"]))
            keys = {_normalized_key(o.platform, v["handle"]) for v in variants}
            hit = m.platform == o.platform and _normalized_key(o.platform, m.handle) in keys
            hits[m.scenario].append(hit)
            every_in_order.append(hit)
        seconds = time.perf_counter() - started
        every = [h for values in hits.values() for h in values]
        tricks = [h for s in HANDLE_TRICKS for h in hits.get(s, [])]
        print(f"\n== {title}")
        print(
            f"held-back mirrors whose handle is among the variants: {sum(every) / len(every):.4f}"
            f" (all {len(every)});  one-trick mirrors on the same platform: "
            f"{sum(tricks) / len(tricks):.4f} (n={len(tricks)})"
        )
        reached = [h for m, h in zip(held, every_in_order, strict=True) if id(m) in reachable_set]
        print(
            f"of the {len(reachable)} held-back mirrors whose handle is a valid, different handle "
            f"on the original's platform (the rest no variant can be): "
            f"{sum(reached) / max(len(reached), 1):.4f}"
        )
        print(
            f"variants valid on their platform: {valid / max(total_variants, 1):.4f} "
            f"({valid} of {total_variants});  {1000 * seconds / len(held):.2f} ms per account"
        )
        print(
            "  by scenario:",
            ", ".join(f"{s} {sum(v) / len(v):.2f} (n={len(v)})" for s, v in sorted(hits.items())),
        )
    top = sorted(fitted.items(), key=lambda item: -item[1])[:12]
    print("\nheaviest fitted forms:", ", ".join(f"{t}/{f} {w:.0f}" for (t, f), w in top))


if __name__ == "__main__":
    main()
