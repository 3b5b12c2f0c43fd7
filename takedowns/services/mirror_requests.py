"""The fast track for a confirmed mirror: one click drafts a removal request for the mirror that
cites the original's removal (its request, the platform's ticket reference and date) and sends it
straight to the approval queue, where requests about mirrors come first.

Fast track is derived, not stored: a request covering an account confirmed as the mirror of a
removed one (`mirror_of`) is fast-tracked, whichever door drafted it; see
`takedowns.selectors.fast_track()` and `approval_queue()`.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import MirrorStatus
from accounts.models import MirrorCandidate
from core.errors import Conflict

from ..choices import OPEN_STATUSES, SUCCESS_OUTCOMES, RequestKind
from ..models import TakedownItem, TakedownRequest
from .requests import takedown_create, takedown_request_approval


def original_removal(original) -> TakedownItem | None:
    """The item of the request that got the original account removed (the latest outcome)."""
    return (
        TakedownItem.objects.filter(account=original, outcome__in=SUCCESS_OUTCOMES)
        .select_related("request")
        .order_by("-outcome_at", "-id")
        .first()
    )


def _removal_date(original, item: TakedownItem | None) -> str:
    when = (item.outcome_at or item.request.resolved_at) if item is not None else None
    when = when or original.removed_at
    return timezone.localdate(when).isoformat() if when else _("an unknown date")


def mirror_citation(*, mirror, original) -> str:
    """The sentence a fast-track request cites: what was removed, when, after which request."""
    item = original_removal(original)
    values = {
        "mirror": mirror.handle,
        "original": original.handle,
        "platform": original.platform.name,
        "date": _removal_date(original, item),
    }
    if item is None:
        return (
            _(
                "%(mirror)s re-creates %(original)s (%(platform)s), removed on %(date)s; no "
                "request of ours is recorded for that removal."
            )
            % values
        )
    values.update(
        request=item.request.reference,
        ticket=item.request.platform_ticket or _("none given"),
    )
    return (
        _(
            "%(mirror)s re-creates %(original)s (%(platform)s), removed on %(date)s after our "
            "request %(request)s (platform ticket %(ticket)s)."
        )
        % values
    )


def _open_request_for(account) -> TakedownRequest | None:
    return (
        TakedownRequest.objects.filter(
            items__account=account, status__in=OPEN_STATUSES, kind=RequestKind.REMOVAL
        )
        .order_by("-created_at", "-id")
        .first()
    )


@transaction.atomic
def takedown_draft_for_mirror(*, candidate: MirrorCandidate, user) -> TakedownRequest:
    """Draft a removal request for a confirmed mirror, citing the original's removal, and send
    it for approval; a second click finds the open request already made."""
    candidate = MirrorCandidate.objects.select_related(
        "account__platform", "removed_account__platform"
    ).get(pk=candidate.pk)
    if candidate.status != MirrorStatus.CONFIRMED:
        raise Conflict(
            _("Confirm the mirror before drafting its takedown request."), code="not_confirmed"
        )
    mirror, original = candidate.account, candidate.removed_account
    existing = _open_request_for(mirror)
    if existing is not None:
        return existing
    citation = mirror_citation(mirror=mirror, original=original)
    item = original_removal(original)
    basis = item.request.legal_basis if item is not None else ""
    takedown = takedown_create(
        user=user,
        platform=mirror.platform,
        accounts=[mirror],
        kind=RequestKind.REMOVAL,
        legal_basis="\n\n".join(filter(None, [citation, basis])),
        notes=_("Fast track: mirror of a removed account (suggestion %(pk)d).")
        % {"pk": candidate.pk},
    )
    return takedown_request_approval(takedown=takedown, user=user)
