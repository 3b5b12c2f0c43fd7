"""Writes of the sharing app that are not the feed's: the refit of the predicted variants'
ranking from supervisors' confirmed mirrors (run by the mirror refit job, sharing/receivers.py)
and the expiry of STIX import previews that were never confirmed (a periodic task)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from accounts.choices import MirrorStatus
from accounts.models import MirrorCandidate
from core.history import audited

from .models import VariantWeights
from .variants import counts_as_data, fit_counts, forget_priors

logger = logging.getLogger(__name__)

# Where the STIX import page keeps a previewed bundle until it is confirmed (its name is in the
# session of the user who previewed it).
STIX_PREVIEWS = "stix-imports/"

# The latest confirmed pairs the ranking is counted from (a refit reads at most this many).
VARIANT_FIT_PAIRS = 5000


def confirmed_mirror_pairs(limit: int = VARIANT_FIT_PAIRS) -> list[tuple[str, str]]:
    """(original handle, mirror handle) of the latest confirmed mirror pairs, newest first."""
    return list(
        MirrorCandidate.objects.filter(status=MirrorStatus.CONFIRMED)
        .order_by(F("decided_at").desc(nulls_last=True), "-pk")
        .values_list("removed_account__handle_normalized", "account__handle_normalized")[:limit]
    )


@transaction.atomic
def variant_weights_refit() -> VariantWeights:
    """Count which trick and form each confirmed mirror used and make that the active ranking;
    returns it. Running it twice on the same confirmed mirrors changes nothing."""
    counts, read, explained = fit_counts(confirmed_mirror_pairs())
    data = counts_as_data(counts)
    latest = VariantWeights.objects.select_for_update().filter(active=True).first()
    if latest is not None and latest.counts == data and latest.trained_on == read:
        return latest
    for previous in VariantWeights.objects.filter(active=True):
        previous.active = False
        audited(previous, None, "replaced by a refit").save()
    version = (VariantWeights.objects.aggregate(v=Max("version"))["v"] or 0) + 1
    weights = VariantWeights(
        version=version, counts=data, trained_on=read, explained=explained, active=True
    )
    audited(weights, None, "refit from confirmed mirrors").save()
    transaction.on_commit(forget_priors)
    forget_priors()
    return weights


def stix_previews_expire(*, now=None) -> int:
    """Delete the previewed STIX bundles older than STIX_PREVIEW_MAX_AGE_MINUTES (by then the
    session that could confirm them has ended); returns how many. Safe to run twice."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.STIX_PREVIEW_MAX_AGE_MINUTES)
    try:
        _folders, names = default_storage.listdir(STIX_PREVIEWS)
    except FileNotFoundError:
        return 0  # no preview was ever stored
    deleted = 0
    for name in names:
        path = STIX_PREVIEWS + name
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
                deleted += 1
        except FileNotFoundError:
            continue  # confirmed or replaced meanwhile
    if deleted:
        logger.info("Deleted %d STIX import previews never confirmed.", deleted)
    return deleted
