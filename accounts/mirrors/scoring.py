"""Reads that rank the removed accounts a new one may re-create: candidates from the watch list's
indexes, their features, and the active model's score. Writes nothing."""

import time
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from .avatars import AvatarHash
from .features import Probe, pair_features
from .model import ModelSpec, score
from .models import MirrorModel
from .watchlist import AccountSignals, build_context, candidate_ids, load_watched


@dataclass(frozen=True)
class Ranked:
    """One removed account's score against the probe, with its explained features."""

    account_id: int
    score: float
    strong: bool
    features: list[dict]
    model_version: int


# The active model changes once a day at most: each process reads it again after this many
# seconds (at once after a refit in the same process).
MODEL_TTL = 30.0
_model_cache: dict = {}


def forget_model() -> None:
    """Drop this process's copy of the active model (after a refit)."""
    _model_cache.clear()


def current_model() -> ModelSpec:
    """The active scoring model's weights, or the default ones before any refit."""
    cached = _model_cache.get("spec")
    if cached is not None and time.monotonic() - cached[0] < MODEL_TTL:
        return cached[1]
    row = MirrorModel.objects.filter(active=True).first()
    spec = (
        ModelSpec.default()
        if row is None
        else ModelSpec(row.version, dict(row.weights), row.intercept)
    )
    _model_cache["spec"] = (time.monotonic(), spec)
    return spec


def make_probe(
    signals: AccountSignals,
    *,
    platform_id: int | None,
    group_ids=(),
    avatar: AvatarHash | None = None,
) -> Probe:
    """The probe of an account's signals; `avatar` brings its dihedral variants when known."""
    if avatar is not None and avatar.usable:
        variants = avatar.variants
    elif signals.avatar_pdq:
        variants = (signals.avatar_pdq,)
    else:
        variants = ()
    return Probe(
        platform_id=platform_id,
        handle_keys=signals.handle_keys,
        name_key=signals.name_key,
        name_arabic=signals.name_arabic,
        avatar_variants=variants,
        contacts=frozenset(signals.contacts),
        group_ids=frozenset(int(g) for g in group_ids),
    )


def pairs(probe: Probe, *, exclude_ids=(), now=None, suppressed=None):
    """(watched account, its features against the probe) for every indexed candidate."""
    now = now or timezone.now()
    ids = candidate_ids(probe) - set(exclude_ids)
    if not ids:
        return []
    watched = load_watched(ids, avatars=bool(probe.avatar_variants))
    context = build_context(watched, probe, now=now, suppressed=suppressed)
    return [(entry, pair_features(probe, entry, context)) for entry in watched.values()]


def rank_pairs(found, spec: ModelSpec, limit: int | None = 10) -> list[Ranked]:
    """Score (watched, features) pairs with `spec`: best first, ties to the latest removal."""
    strong_at = settings.MIRROR_STRONG_SCORE
    ranked = []
    for entry, features in found:
        probability, explained = score(spec, features)
        removed = entry.removed_at.timestamp() if entry.removed_at else 0.0
        result = Ranked(
            entry.account_id, round(probability, 4), probability >= strong_at, explained,
            spec.version,
        )  # fmt: skip
        ranked.append((-probability, -removed, entry.account_id, result))
    ranked.sort(key=lambda item: item[:3])
    out = [item[3] for item in ranked]
    return out[:limit] if limit else out


def rank(
    probe: Probe,
    *,
    exclude_ids=(),
    limit: int | None = 10,
    now=None,
    spec: ModelSpec | None = None,
    suppressed=None,
) -> list[Ranked]:
    """The removed accounts found through the indexes, best score first (ties: latest removal)."""
    found = pairs(probe, exclude_ids=exclude_ids, now=now, suppressed=suppressed)
    return rank_pairs(found, spec or current_model(), limit)
