"""Mirrors: the watch list of removed accounts, scoring new accounts against it, supervisors'
decisions, suppressed signals and the refit of the scoring model (engine in accounts.mirrors)."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, DomainError
from core.history import audited
from core.permissions import require_permission

from ..choices import AccountStatus, MirrorStatus, WatchSignalKind
from ..handles import HandleError, parse_handle
from ..mirrors.avatars import AvatarHash, avatar_hash, rehash_file
from ..mirrors.model import fit, vector
from ..mirrors.scoring import Ranked, forget_model, make_probe, rank
from ..mirrors.watchlist import (
    account_signals,
    forget_suppressed,
    index_account,
    signals_from,
    withdraw_account,
)
from ..models import FlaggedAccount, MirrorCandidate, MirrorModel, Platform, SuppressedSignal
from ..signals import mirror_detected

# Kept for callers of the old stem check: a candidate at or above this is stored.
MIRROR_SUGGESTION_THRESHOLD = settings.MIRROR_SUGGEST_SCORE
CHECK_LIMIT = 10


@dataclass(frozen=True)
class ScoredCandidate:
    """A removed account a new one may re-create: its score, strong flag and explained features."""

    removed_account: FlaggedAccount
    score: float
    strong: bool
    features: list[dict]
    model_version: int


def _platform(platform) -> Platform | None:
    if isinstance(platform, Platform) or platform is None:
        return platform
    return Platform.objects.filter(slug=str(platform)).first()


def _normalized(handle: str, platform: Platform | None) -> tuple[str, str]:
    """(normalised handle, profile URL) of a handle or URL; the raw text if it does not parse."""
    try:
        parsed = parse_handle(handle, platform.slug if platform else None)
    except HandleError:
        return handle.strip(), ""
    return parsed.normalized, parsed.profile_url


def account_avatar_hash(avatar) -> AvatarHash:
    """Validate an uploaded avatar and hash it; a DomainError on field `avatar` if refused."""
    return avatar_hash(avatar)


def _as_hash(avatar) -> AvatarHash | None:
    if avatar is None or isinstance(avatar, AvatarHash):
        return avatar
    return account_avatar_hash(avatar)


def _attach(ranked: list[Ranked]) -> list[ScoredCandidate]:
    accounts = FlaggedAccount.objects.select_related("platform").in_bulk(
        [r.account_id for r in ranked]
    )
    return [
        ScoredCandidate(accounts[r.account_id], r.score, r.strong, r.features, r.model_version)
        for r in ranked
        if r.account_id in accounts
    ]


def mirror_check(
    *,
    platform,
    handle: str,
    display_name: str = "",
    bio: str = "",
    profile_url: str = "",
    avatar=None,
    group_ids: Iterable[int] = (),
    exclude_account: FlaggedAccount | None = None,
    limit: int = CHECK_LIMIT,
) -> list[ScoredCandidate]:
    """Rank the removed accounts (every platform) that these details may re-create; writes
    nothing. `avatar` is an uploaded file (validated, DomainError on field `avatar`) or a hash."""
    platform = _platform(platform)
    normalized, parsed_url = _normalized(handle, platform)
    hashed = _as_hash(avatar)
    signals = signals_from(
        handle=normalized,
        display_name=display_name,
        bio=bio,
        profile_url=profile_url or parsed_url,
        avatar_pdq=hashed.pdq if hashed else "",
        avatar_quality=hashed.quality if hashed else None,
    )  # a probe's crops are not needed: its own hash is compared with the watched crops and
    # with the rotations and flips of the picture and of its crops (watchlist.near_avatars)
    probe = make_probe(
        signals, platform_id=platform.pk if platform else None, group_ids=group_ids, avatar=hashed
    )
    exclude = set()
    if exclude_account is not None:
        exclude = _never_again(exclude_account) | {exclude_account.pk}
    return _attach(rank(probe, exclude_ids=exclude, limit=limit))


def _never_again(account: FlaggedAccount) -> set[int]:
    """Removed accounts a supervisor already decided about for this account."""
    return set(
        MirrorCandidate.objects.filter(account=account)
        .exclude(status=MirrorStatus.SUGGESTED)
        .values_list("removed_account_id", flat=True)
    )


def account_probe(account: FlaggedAccount, avatar: AvatarHash | None = None, group_ids=None):
    """The probe of a stored account (its groups read once, unless the caller knows them)."""
    if group_ids is None:
        group_ids = list(account.groups.values_list("pk", flat=True))
    return make_probe(
        account_signals(account),
        platform_id=account.platform_id,
        group_ids=group_ids,
        avatar=avatar,
    )


@transaction.atomic
def mirror_candidates_refresh(
    *,
    account: FlaggedAccount,
    avatar: AvatarHash | None = None,
    suppressed=None,
    group_ids=None,
    new: bool = False,
) -> list[MirrorCandidate]:
    """Score the account against the watch list of every platform and store the likely mirrors;
    a pair a supervisor rejected (or confirmed) is never suggested again. A bulk import passes
    the groups it just linked and `new=True` (no decision can exist yet), saving two queries."""
    exclude = {account.pk} if new else _never_again(account) | {account.pk}
    ranked = rank(
        account_probe(account, avatar, group_ids),
        exclude_ids=exclude,
        limit=CHECK_LIMIT,
        suppressed=suppressed,
    )
    found = []
    for result in ranked:
        if result.score < settings.MIRROR_SUGGEST_SCORE:
            continue
        values = {
            "score": result.score,
            "strong": result.strong,
            "features": result.features,
            "model_version": result.model_version,
        }
        candidate = (
            None
            if new
            else MirrorCandidate.objects.filter(
                account=account, removed_account_id=result.account_id
            ).first()
        )
        newly_strong = result.strong and not (candidate is not None and candidate.strong)
        if candidate is None:
            candidate = MirrorCandidate(
                account=account, removed_account_id=result.account_id, **values
            )
        else:
            for name, value in values.items():
                setattr(candidate, name, value)
        audited(candidate, None, "mirror scored").save()
        if newly_strong:
            _announce_on_commit(candidate.pk)
        found.append(candidate)
    return found


def _announce_on_commit(candidate_id: int) -> None:
    """Tell the listeners (supervisors' alerts, the mirror.detected webhook) once the strong
    candidate is committed; a failing listener is logged and never undoes the account."""
    transaction.on_commit(
        lambda: mirror_detected.send(sender=MirrorCandidate, candidate_id=candidate_id),
        robust=True,
    )


@transaction.atomic
def watchlist_index(*, account: FlaggedAccount) -> int:
    """Put a removed account's signals on the watch list (handle keys, name keys, avatar hash,
    contact points, groups); returns the rows written."""
    if account.status != AccountStatus.REMOVED:
        return 0
    _ensure_avatar_variants(account)
    return index_account(account, account.groups.values_list("pk", flat=True))


def _ensure_avatar_variants(account: FlaggedAccount) -> None:
    """An avatar hashed before its rotations and flips were kept (before migration 0013) gets
    them from its stored file, so that the watch list holds them; without a readable file it
    is indexed with its own and its crops' hashes only (a flipped copy is then not found)."""
    if not account.avatar_pdq or account.avatar_variants:
        return
    hashed = rehash_file(account.avatar)
    if hashed is None:
        return
    account.avatar_variants = list(hashed.watched)
    # A derived index of the stored picture, like avatar_pdq: no history row of its own.
    FlaggedAccount.objects.filter(pk=account.pk).update(avatar_variants=account.avatar_variants)


@transaction.atomic
def watchlist_withdraw(*, account: FlaggedAccount) -> int:
    """Take an account's signals off the watch list (it was restored); returns the rows."""
    return withdraw_account(account)


@transaction.atomic
def mirror_decide(*, candidate: MirrorCandidate, user, confirm: bool) -> MirrorCandidate:
    """A supervisor confirms (links mirror_of, copies the groups) or rejects a suggestion; a
    rejected pair is never suggested again, and both feed the next model refit."""
    require_permission(user, "accounts.change_mirrorcandidate")
    candidate = MirrorCandidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.status != MirrorStatus.SUGGESTED:
        raise Conflict(_("This suggestion was already decided."), code="already_decided")
    candidate.status = MirrorStatus.CONFIRMED if confirm else MirrorStatus.REJECTED
    candidate.decided_by = user
    candidate.decided_at = timezone.now()
    audited(candidate, user).save()
    if confirm:
        account = candidate.account
        account.mirror_of = candidate.removed_account
        audited(account, user, "mirror confirmed").save()
        account.groups.add(*candidate.removed_account.groups.all())
    return candidate


@transaction.atomic
def signal_suppress(*, kind: str, value: str, user, reason: str = "") -> SuppressedSignal:
    """Declare a signal meaningless (a default avatar, a shared phrase): the scorer ignores it."""
    require_permission(user, "accounts.change_mirrorcandidate")
    if kind not in WatchSignalKind.values:
        raise DomainError(
            _("Unknown signal kind “%s”.") % kind[:40], code="invalid_choice", field="kind"
        )
    value = (value or "").strip()
    if not value or len(value) > 255:
        raise DomainError(_("Give the signal's value."), code="required", field="value")
    signal = SuppressedSignal.objects.filter(kind=kind, value=value).first()
    if signal is None:
        signal = SuppressedSignal(kind=kind, value=value)
    signal.by, signal.at, signal.reason = user, timezone.now(), reason
    audited(signal, user, reason).save()
    transaction.on_commit(forget_suppressed)
    forget_suppressed()
    return signal


def _decisions() -> list[tuple[int, list[float], int]]:
    return [
        (pk, vector(features), 1 if status == MirrorStatus.CONFIRMED else 0)
        for pk, features, status in MirrorCandidate.objects.exclude(
            status=MirrorStatus.SUGGESTED
        ).values_list("pk", "features", "status")
    ]


@transaction.atomic
def mirror_model_refit() -> MirrorModel | None:
    """Refit the score from supervisors' decisions (a fixed quarter held back to measure it) and
    make it the active version; returns it, or None with too few decisions. Running it twice on
    the same decisions changes nothing."""
    samples = _decisions()
    latest = MirrorModel.objects.select_for_update().order_by("-version").first()
    if latest is not None and latest.trained_on + latest.held_back == len(samples):
        return latest
    result = fit(samples, threshold=settings.MIRROR_STRONG_SCORE)
    if result is None:
        return None
    for previous in MirrorModel.objects.filter(active=True):
        previous.active = False
        audited(previous, None, "replaced by a refit").save()
    version = max(MirrorModel.objects.aggregate(v=Max("version"))["v"] or 1, 1) + 1
    model = MirrorModel(
        version=version,
        weights=result.weights,
        intercept=result.intercept,
        trained_on=result.trained_on,
        held_back=result.held_back,
        precision=result.precision,
        recall=result.recall,
        active=True,
    )
    audited(model, None, "refit from decisions").save()
    transaction.on_commit(forget_model)
    forget_model()
    return model
