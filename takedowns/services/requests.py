"""Every write to takedown requests: creation, the status machine, the deadline clock, outcomes.

A status changes only here, through _transition and the table of takedowns/transitions.py; the
UI, the API, admin actions and workers all come through these functions.
"""

from collections.abc import Iterable, Mapping
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import AccountStatus
from accounts.models import FlaggedAccount
from accounts.services import account_set_status
from core.errors import DomainError, NotAllowed, StaleVersion
from core.history import audited

from .. import deadlines
from ..choices import SUCCESS_OUTCOMES, EventKind, ItemOutcome, Priority, RequestKind, RequestStatus
from ..events import takedown_event
from ..models import TakedownItem, TakedownRequest
from ..transitions import TRANSITIONS, transition_check

S = RequestStatus

# What an account's status becomes when the platform reports an outcome for it.
_ACCOUNT_STATUS_FOR_OUTCOME = {
    ItemOutcome.REMOVED: AccountStatus.REMOVED,
    ItemOutcome.ALREADY_GONE: AccountStatus.REMOVED,
    ItemOutcome.RESTRICTED: AccountStatus.RESTRICTED,
}


def _lock(takedown: TakedownRequest, expected_version: int | None) -> TakedownRequest:
    locked = (
        TakedownRequest.objects.select_for_update().select_related("platform").get(pk=takedown.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersion(
            _(
                "The request was changed by someone else (version %(now)d, you had %(had)d). "
                "Reload it and try again."
            )
            % {"now": locked.version, "had": expected_version},
            current_version=locked.version,
        )
    return locked


def _save(takedown: TakedownRequest, user, reason: str) -> None:
    takedown.version += 1
    takedown.next_check_at = deadlines.next_check(takedown)
    audited(takedown, user, reason).save()


def _transition(
    takedown: TakedownRequest,
    user,
    action: str,
    expected_version: int | None,
    *,
    to_status: str | None = None,
    message: str = "",
    data: dict | None = None,
    apply=None,
) -> TakedownRequest:
    """Lock, check, apply, record the event: the one path for every status change."""
    locked = _lock(takedown, expected_version)
    transition_check(locked, user, action)
    from_status = locked.status
    if apply:
        apply(locked)
    target = to_status or TRANSITIONS[action].target
    if target:
        locked.status = target
    _save(locked, user, action)
    kind = {
        "pause": EventKind.CLOCK_PAUSED,
        "resume": EventKind.CLOCK_RESUMED,
    }.get(action, EventKind.STATUS_CHANGED)
    takedown_event(
        takedown=locked,
        kind=kind,
        actor=user,
        message=message,
        from_status=from_status,
        to_status=locked.status,
        data={"action": action, **(data or {})},
    )
    return locked


@transaction.atomic
def takedown_create(
    *,
    user,
    platform,
    accounts: Iterable[FlaggedAccount],
    kind: str = RequestKind.REMOVAL,
    priority: str = Priority.NORMAL,
    legal_basis: str = "",
    notes: str = "",
) -> TakedownRequest:
    """Draft a request to one platform covering the given accounts (all on that platform)."""
    if user is not None and not user.has_perm("takedowns.add_takedownrequest"):
        raise NotAllowed(_("Your role does not allow drafting takedown requests."))
    accounts = list(accounts)
    if not accounts:
        raise DomainError(_("A request must cover at least one account."), field="accounts")
    if kind not in RequestKind.values:
        raise DomainError(
            _("Unknown request kind “%s”.") % kind, code="invalid_choice", field="kind"
        )
    if priority not in Priority.values:
        raise DomainError(
            _("Unknown priority “%s”.") % priority, code="invalid_choice", field="priority"
        )
    strays = [str(a) for a in accounts if a.platform_id != platform.pk]
    if strays:
        raise DomainError(
            _("These accounts are not on %(platform)s: %(list)s.")
            % {"platform": platform.name, "list": ", ".join(strays)},
            code="wrong_platform",
            field="accounts",
        )
    takedown = TakedownRequest(
        platform=platform,
        kind=kind,
        priority=priority,
        legal_basis=legal_basis,
        notes=notes,
        created_by=user,
    )
    audited(takedown, user).save()
    TakedownItem.objects.bulk_create(
        [
            TakedownItem(request=takedown, platform=platform, account=a)
            for a in {a.pk: a for a in accounts}.values()
        ]
    )
    takedown_event(
        takedown=takedown,
        kind=EventKind.CREATED,
        actor=user,
        to_status=takedown.status,
        data={"accounts": len(accounts)},
    )
    return takedown


@transaction.atomic
def takedown_request_approval(*, takedown, user, expected_version=None) -> TakedownRequest:
    """Send a draft to the approval queue."""
    return _transition(takedown, user, "request_approval", expected_version)


@transaction.atomic
def takedown_approve(*, takedown, user, expected_version=None, note: str = "") -> TakedownRequest:
    """Approve a pending request; never by its own author."""

    def apply(t):
        t.approved_by, t.approved_at = user, timezone.now()

    return _transition(takedown, user, "approve", expected_version, message=note, apply=apply)


@transaction.atomic
def takedown_submit(*, takedown, user, expected_version=None) -> TakedownRequest:
    """Record that the request went to the platform, and start its deadline clock."""
    now = timezone.now()

    def apply(t):
        hours = deadlines.deadline_hours(platform=t.platform, kind=t.kind, priority=t.priority)
        t.submitted_by, t.submitted_at = user, now
        t.due_at = now + timedelta(hours=hours)
        t.reminder_at = deadlines.reminder_time(start=now, due=t.due_at)
        if t.kind == RequestKind.PRESERVATION:
            t.preserve_until = now + timedelta(days=settings.TAKEDOWN_PRESERVATION_DAYS)
        for item in t.items.select_related("account"):
            if item.account.status == AccountStatus.ACTIVE:
                account_set_status(
                    account=item.account,
                    user=user,
                    status=AccountStatus.REPORTED,
                    reason=f"reported in {t.reference}",
                )

    return _transition(takedown, user, "submit", expected_version, apply=apply)


@transaction.atomic
def takedown_acknowledge(
    *, takedown, user, ticket: str = "", expected_version=None
) -> TakedownRequest:
    """Record the platform's acknowledgement and its ticket reference."""

    def apply(t):
        t.platform_ticket = ticket.strip()[:128]
        t.acknowledged_at = timezone.now()

    return _transition(
        takedown,
        user,
        "acknowledge",
        expected_version,
        apply=apply,
        data={"ticket": ticket.strip()[:128]},
    )


@transaction.atomic
def takedown_pause(*, takedown, user, reason: str = "", expected_version=None) -> TakedownRequest:
    """Stop the deadline clock while the platform waits for a clarification."""

    def apply(t):
        t.paused_at, t.paused_reason = timezone.now(), reason[:500]

    return _transition(takedown, user, "pause", expected_version, message=reason, apply=apply)


@transaction.atomic
def takedown_resume(*, takedown, user, expected_version=None) -> TakedownRequest:
    """Restart the deadline clock; the deadline moves forward by the paused time."""

    def apply(t):
        deadlines.shift_after_pause(t, timezone.now() - t.paused_at)
        t.paused_at, t.paused_reason = None, ""

    return _transition(takedown, user, "resume", expected_version, apply=apply)


def _rollup(outcomes: Iterable[str]) -> str:
    outcomes = list(outcomes)
    succeeded = sum(1 for o in outcomes if o in SUCCESS_OUTCOMES)
    if succeeded == len(outcomes):
        return S.ACTIONED
    return S.PARTIALLY_ACTIONED if succeeded else S.REJECTED


@transaction.atomic
def takedown_resolve(
    *, takedown, user, outcomes: Mapping[int, str], note: str = "", expected_version=None
) -> TakedownRequest:
    """Record the platform's outcome per account and close the request accordingly.

    `outcomes` maps account id to outcome; every item must end with an outcome other than pending.
    """
    now = timezone.now()

    def apply(t):
        items = {i.account_id: i for i in t.items.select_related("account")}
        unknown = set(outcomes) - set(items)
        if unknown:
            raise DomainError(
                _("These accounts are not in the request: %s.")
                % ", ".join(map(str, sorted(unknown))),
                field="outcomes",
            )
        for account_id, outcome in outcomes.items():
            if outcome not in ItemOutcome.values or outcome == ItemOutcome.PENDING:
                raise DomainError(
                    _("“%s” is not a final outcome.") % outcome,
                    code="invalid_choice",
                    field="outcomes",
                )
            item = items[account_id]
            item.outcome, item.outcome_at = outcome, now
            item.note = note[:500]
            audited(item, user).save()
            new_status = _ACCOUNT_STATUS_FOR_OUTCOME.get(outcome)
            if new_status:
                account_set_status(
                    account=item.account,
                    user=user,
                    status=new_status,
                    reason=f"{outcome} in {t.reference}",
                )
        pending = [str(i.account) for i in items.values() if i.outcome == ItemOutcome.PENDING]
        if pending:
            raise DomainError(
                _("Give an outcome for every account; still pending: %s.") % ", ".join(pending),
                code="outcomes_incomplete",
                field="outcomes",
            )
        t.status = _rollup(i.outcome for i in items.values())
        t.resolved_at = now
        t.paused_at = None

    return _transition(
        takedown,
        user,
        "resolve",
        expected_version,
        message=note,
        apply=apply,
        data={"outcomes": {str(k): v for k, v in outcomes.items()}},
    )


@transaction.atomic
def takedown_withdraw(
    *, takedown, user, reason: str = "", expected_version=None
) -> TakedownRequest:
    """Withdraw an open request."""

    def apply(t):
        t.resolved_at = timezone.now()
        t.paused_at = None

    return _transition(takedown, user, "withdraw", expected_version, message=reason, apply=apply)
