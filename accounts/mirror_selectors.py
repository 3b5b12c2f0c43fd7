"""Reads of mirrors for the review queue and the metrics: the queue in review order, one
candidate with both accounts, the active model, and the reappearance figures."""

from django.db.models import QuerySet

from .choices import MirrorStatus
from .models import MirrorCandidate, MirrorModel

# The review order: the likeliest mirror first, the newest suggestion breaking ties.
REVIEW_ORDER = ("-score", "-id")
# How far ahead and behind the review page looks for next / previous.
QUEUE_WINDOW = 1000


def mirror_review_queue() -> QuerySet[MirrorCandidate]:
    """Suggestions awaiting a supervisor, in review order."""
    return MirrorCandidate.objects.filter(status=MirrorStatus.SUGGESTED).order_by(*REVIEW_ORDER)


def mirror_review_candidate(*, pk: int) -> MirrorCandidate:
    """One candidate with both accounts, their platforms and groups, and the decider."""
    return (
        MirrorCandidate.objects.select_related(
            "account__platform", "removed_account__platform", "decided_by"
        )
        .prefetch_related("account__groups", "removed_account__groups")
        .get(pk=pk)
    )


def mirror_queue_neighbours(*, candidate: MirrorCandidate) -> dict:
    """The queue's length, the candidate's position in it (None once decided) and the ids of
    the previous and next suggestions (the first one when the candidate left the queue)."""
    ids = list(mirror_review_queue().values_list("pk", flat=True)[:QUEUE_WINDOW])
    if candidate.pk not in ids:
        following = ids[0] if ids else None
        return {"count": len(ids), "position": None, "previous": None, "next": following}
    at = ids.index(candidate.pk)
    return {
        "count": len(ids),
        "position": at + 1,
        "previous": ids[at - 1] if at > 0 else None,
        "next": ids[at + 1] if at + 1 < len(ids) else None,
    }


def mirror_model_active() -> MirrorModel | None:
    """The scoring model in use (None: the default weights, before any refit)."""
    return MirrorModel.objects.filter(active=True).first()
