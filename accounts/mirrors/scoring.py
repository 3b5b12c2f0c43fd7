"""Reads that rank the removed accounts a new one may re-create: candidates from the watch list's
indexes, their features, and the active model's score. Writes nothing."""

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


def current_model() -> ModelSpec:
    """The active scoring model's weights, or the default ones before any refit."""
    row = MirrorModel.objects.filter(active=True).first()
    if row is None:
        return ModelSpec.default()
    return ModelSpec(row.version, dict(row.weights), row.intercept)


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
    spec = spec or current_model()
    now = now or timezone.now()
    ids = candidate_ids(probe) - set(exclude_ids)
    if not ids:
        return []
    watched = load_watched(ids)
    context = build_context(watched, probe, now=now, suppressed=suppressed)
    strong_at = settings.MIRROR_STRONG_SCORE
    ranked = []
    for entry in watched.values():
        probability, explained = score(spec, pair_features(probe, entry, context))
        ranked.append(
            (
                entry.removed_at.timestamp() if entry.removed_at else 0.0,
                entry.account_id,
                Ranked(
                    entry.account_id,
                    round(probability, 4),
                    probability >= strong_at,
                    explained,
                    spec.version,
                ),
            )
        )
    ranked.sort(key=lambda item: (-item[2].score, -item[0], item[1]))
    out = [item[2] for item in ranked]
    return out[:limit] if limit else out
