"""The candidates that matter, found by brute force: every removed account whose full score
against a probe reaches MIRROR_SUGGEST_SCORE (what the product stores and shows).

Scoring all removed accounts with the engine for every probe would take minutes, so the scan
first bounds each account's score from above and scores exactly only those that can reach the
threshold: the handle and display-name features are at most weight * closeness (their
specificity is at most 1), the contact and avatar features at most their weight, and the weak
features (groups, same platform, recent removal) at most their weight. The handle similarity is
rapidfuzz's OSA over every handle key, the name similarity the engine's own over every name key;
the accounts that pass are scored by `pair_features` and the active model, as the service does.
"""

import math

import numpy as np
from rapidfuzz.distance import OSA
from rapidfuzz.process import cdist

WEAK = ("groups", "same_platform", "recent_removal")


def _closeness(similarity):
    from accounts.mirrors.features import SIMILARITY_FLOOR

    return np.clip((similarity - SIMILARITY_FLOOR) / (1 - SIMILARITY_FLOOR), 0, None) ** 2


class Scan:
    """Every removed account's handle and name keys, contacts and avatars, held in memory."""

    def __init__(self, watchlist):
        handles, names, contacts, avatars = watchlist
        self.ids = np.array(sorted(set(handles) | set(names)), dtype=np.int64)
        self.position = {pk: i for i, pk in enumerate(self.ids.tolist())}
        pairs = [(self.position[pk], key) for pk, keys in handles.items() for key in keys]
        self.handle_rows = np.array([row for row, _ in pairs], dtype=np.int64)
        self.handle_keys = [key for _, key in pairs]
        self.names = [(self.position[pk], key) for pk, key in names.items()]
        self.contacts, self.avatars = contacts, avatars

    def suggested(self, probe, *, threshold: float) -> set[int]:
        """The removed accounts whose full score against the probe is >= threshold."""
        from django.utils import timezone

        from accounts.mirrors.features import pair_features
        from accounts.mirrors.folding import name_similarity
        from accounts.mirrors.model import score
        from accounts.mirrors.scoring import current_model
        from accounts.mirrors.watchlist import build_context, load_watched

        spec = current_model()
        weight = spec.weights
        needed = math.log(threshold / (1 - threshold)) - spec.intercept
        needed -= sum(max(0.0, weight.get(name, 0.0)) for name in WEAK)
        bound = np.zeros(len(self.ids))
        if probe.handle_keys and self.handle_keys:
            similarity = cdist(
                list(probe.handle_keys), self.handle_keys, scorer=OSA.normalized_similarity
            ).max(axis=0)
            best = np.zeros(len(self.ids))
            np.maximum.at(best, self.handle_rows, similarity)
            bound += max(0.0, weight.get("handle", 0.0)) * _closeness(best)
        if probe.name_key:
            best = np.zeros(len(self.ids))
            for row, (key, arabic) in self.names:
                best[row] = name_similarity(probe.name_key, key, arabic=probe.name_arabic or arabic)
            bound += max(0.0, weight.get("display_name", 0.0)) * _closeness(best)
        shared = set()
        for value in probe.contacts:
            shared.update(self.contacts.get(value, ()))
        for variant in probe.avatar_variants:
            bits = int(variant, 16)
            for account_id, hashes in self.avatars.items():
                if min((bits ^ h).bit_count() for h in hashes) <= 31:
                    shared.add(account_id)
        extra = max(0.0, weight.get("contact", 0.0)) + max(0.0, weight.get("avatar", 0.0))
        for account_id in shared:
            if account_id in self.position:
                bound[self.position[account_id]] += extra
        possible = self.ids[bound >= needed - 1e-9].tolist()
        if not possible:
            return set()
        watched = load_watched(possible, avatars=bool(probe.avatar_variants))
        context = build_context(watched, probe, now=timezone.now())
        return {
            entry.account_id
            for entry in watched.values()
            if score(spec, pair_features(probe, entry, context))[0] >= threshold
        }
