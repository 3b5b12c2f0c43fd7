"""The explainable score: a logistic regression over the pair features.

score = sigmoid(intercept + sum(weight_i * value_i)); each feature's contribution is
weight_i * value_i in logit space, so a match reads as "avatar +6.1, handle +3.4, ...".
Default weights hold before any decision; `fit` learns new ones from supervisors' confirmed and
rejected candidates (scikit-learn), keeping a held-back split to measure precision and recall.
Weights are plain numbers stored in MirrorModel rows, never a pickle.
"""

import hashlib
import math
from dataclasses import dataclass

from .features import FEATURE_NAMES, Feature

# Before any feedback. Chosen so that one strong signal alone (a near-identical avatar, a shared
# Telegram channel or phone number, the same folded handle on the same platform) is strong, and
# weak ones together (same group, same platform, a recent removal, a somewhat similar name) are
# not; bench/mirrors_quality.py measures them.
DEFAULT_VERSION = 1
DEFAULT_INTERCEPT = -5.0
DEFAULT_WEIGHTS = {
    "handle": 6.5,
    "display_name": 3.5,
    "avatar": 9.0,
    "contact": 8.0,
    "groups": 0.8,
    "same_platform": 0.4,
    "recent_removal": 0.8,
}
# Fewer decisions than this (or only one kind) and the refit keeps the current model.
MIN_DECISIONS = 20
HELD_BACK_SHARE = 0.25


@dataclass(frozen=True)
class ModelSpec:
    """The weights a score is computed with, and their version."""

    version: int
    weights: dict
    intercept: float

    @classmethod
    def default(cls) -> "ModelSpec":
        return cls(DEFAULT_VERSION, dict(DEFAULT_WEIGHTS), DEFAULT_INTERCEPT)


def score(spec: ModelSpec, features: list[Feature]) -> tuple[float, list[dict]]:
    """The probability in [0, 1] and each feature as {name, value, contribution, detail}."""
    logit = spec.intercept
    explained = []
    for feature in features:
        contribution = spec.weights.get(feature.name, 0.0) * feature.value
        logit += contribution
        explained.append(
            {
                "name": feature.name,
                "value": round(feature.value, 4),
                "contribution": round(contribution, 3),
                "detail": feature.detail,
            }
        )
    return 1.0 / (1.0 + math.exp(-logit)), explained


def vector(features: list[dict]) -> list[float]:
    """The feature values of a stored candidate, in FEATURE_NAMES order (missing ones 0)."""
    values = {f["name"]: float(f.get("value", 0.0)) for f in features}
    return [values.get(name, 0.0) for name in FEATURE_NAMES]


def _held_back(key) -> bool:
    # A fixed split by id: the same decision is always on the same side, run after run.
    digest = hashlib.sha256(str(key).encode()).digest()
    return digest[0] < 256 * HELD_BACK_SHARE


@dataclass(frozen=True)
class FitResult:
    """A fitted model with its held-back figures."""

    weights: dict
    intercept: float
    trained_on: int
    held_back: int
    precision: float | None
    recall: float | None


def precision_recall(labels: list[int], probabilities: list[float], threshold: float):
    """(precision, recall) of calling a pair a mirror at or above `threshold`."""
    predicted = [p >= threshold for p in probabilities]
    true_positive = sum(1 for y, p in zip(labels, predicted, strict=True) if y and p)
    called = sum(predicted)
    positives = sum(labels)
    precision = true_positive / called if called else None
    recall = true_positive / positives if positives else None
    return precision, recall


def fit(samples: list[tuple[object, list[float], int]], *, threshold: float) -> FitResult | None:
    """Fit on (key, values, label) samples outside the held-back split; None if too few."""
    from sklearn.linear_model import LogisticRegression

    train = [(x, y) for key, x, y in samples if not _held_back(key)]
    test = [(x, y) for key, x, y in samples if _held_back(key)]
    labels = {y for _, y in train}
    if len(train) < MIN_DECISIONS or labels != {0, 1}:
        return None
    model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000)
    model.fit([x for x, _ in train], [y for _, y in train])
    precision = recall = None
    if test:
        probabilities = [float(p) for p in model.predict_proba([x for x, _ in test])[:, 1]]
        precision, recall = precision_recall([y for _, y in test], probabilities, threshold)
    return FitResult(
        weights={
            name: round(float(w), 4) for name, w in zip(FEATURE_NAMES, model.coef_[0], strict=True)
        },
        intercept=round(float(model.intercept_[0]), 4),
        trained_on=len(train),
        held_back=len(test),
        precision=precision,
        recall=recall,
    )
