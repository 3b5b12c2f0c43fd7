"""Every write to takedown requests: creation, the status machine, the deadline clock, outcomes.

The transition table below is the only place a status may change; the UI, the API, admin
actions and workers all come through these functions.
"""

import json
import secrets
from collections.abc import Iterable, Mapping
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import AccountStatus
from accounts.models import FlaggedAccount
from accounts.services import account_set_status
from core.errors import DomainError, NotAllowed, StaleVersion
from core.permissions import require_permission
from core.security import security_report
from takedowns.errors import IllegalTransition

from . import deadlines
from .choices import (
    DISCLOSURE_KINDS,
    OPEN_STATUSES,
    SUCCESS_OUTCOMES,
    WITH_PLATFORM_STATUSES,
    EventKind,
    ItemOutcome,
    Priority,
    RequestKind,
    RequestStatus,
    WebhookEvent,
)
from .events import takedown_event
from .models import (
    Disclosure,
    DisclosureAccess,
    TakedownItem,
    TakedownRequest,
    WebhookSubscription,
)

S = RequestStatus

# action -> (statuses it may start from, status it leads to, permission it needs)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None, str]] = {
    "request_approval": ((S.DRAFT,), S.PENDING_APPROVAL, "takedowns.change_takedownrequest"),
    "approve": ((S.PENDING_APPROVAL,), S.APPROVED, "takedowns.approve_takedownrequest"),
    "submit": ((S.APPROVED,), S.SUBMITTED, "takedowns.submit_takedownrequest"),
    "acknowledge": ((S.SUBMITTED,), S.ACKNOWLEDGED, "takedowns.manage_takedownrequest"),
    "pause": (WITH_PLATFORM_STATUSES, None, "takedowns.manage_takedownrequest"),
    "resume": (WITH_PLATFORM_STATUSES, None, "takedowns.manage_takedownrequest"),
    # resolve leads to actioned, partially_actioned or rejected, from the items' outcomes.
    "resolve": (WITH_PLATFORM_STATUSES, None, "takedowns.manage_takedownrequest"),
    "withdraw": (OPEN_STATUSES, S.WITHDRAWN, "takedowns.change_takedownrequest"),
}

# What an account's status becomes when the platform reports an outcome for it.
_ACCOUNT_STATUS_FOR_OUTCOME = {
    ItemOutcome.REMOVED: AccountStatus.REMOVED,
    ItemOutcome.ALREADY_GONE: AccountStatus.REMOVED,
    ItemOutcome.RESTRICTED: AccountStatus.RESTRICTED,
}


def available_actions(*, takedown: TakedownRequest, user) -> list[str]:
    """The actions this user may take on the request now (drives the UI's buttons)."""
    actions = []
    # One permission set for every action: lists ask this for each of their rows.
    granted = None if user is None else _granted(user)
    for action, (sources, _target, _perm) in TRANSITIONS.items():
        if takedown.status not in sources:
            continue  # the cheap test first: a refusal's translated message costs far more
        try:
            _check(takedown, user, action, granted=granted)
        except DomainError:
            continue
        actions.append(action)
    return actions


def action_refusal(*, takedown: TakedownRequest, user, action: str) -> DomainError | None:
    """Why the user may not take the action now (NotAllowed or IllegalTransition), else None."""
    try:
        _check(takedown, user, action)
    except DomainError as refusal:
        return refusal
    return None


def _granted(user) -> frozenset[str]:
    """Every permission the user holds, as user.has_perm would answer for each."""
    if not user.is_active:
        return frozenset()
    return frozenset(user.get_all_permissions())


def _check(takedown: TakedownRequest, user, action: str, *, granted=None) -> None:
    """Refuse (IllegalTransition or NotAllowed) unless the user may take the action now;
    `granted` is the user's permission set when the caller already has it."""
    sources, _target, perm = TRANSITIONS[action]
    if takedown.status not in sources:
        raise IllegalTransition(
            _("Cannot %(action)s a request that is %(status)s.")
            % {"action": action.replace("_", " "), "status": takedown.get_status_display().lower()}
        )
    if user is None:
        return
    if granted is None:
        granted = _granted(user)
    if perm not in granted:
        raise NotAllowed(
            _("Your role does not allow you to %s this request.") % action.replace("_", " ")
        )
    if action == "approve" and takedown.created_by_id == user.pk:
        raise NotAllowed(
            _("Four-eyes rule: a request must be approved by someone other than its author."),
            code="four_eyes",
        )
    if (
        action == "withdraw"
        and takedown.created_by_id != user.pk
        and "takedowns.manage_takedownrequest" not in granted
    ):
        raise NotAllowed(_("Only the author or a supervisor can withdraw this request."))
    if action == "pause" and takedown.paused_at is not None:
        raise IllegalTransition(_("The deadline clock is already paused."))
    if action == "resume" and takedown.paused_at is None:
        raise IllegalTransition(_("The deadline clock is not paused."))


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
    takedown._history_user = user
    takedown._change_reason = reason
    takedown.save()


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
    _check(locked, user, action)
    from_status = locked.status
    if apply:
        apply(locked)
    target = to_status or TRANSITIONS[action][1]
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
    takedown._history_user = user
    takedown.save()
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
            item._history_user = user
            item.save()
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


# ---------------------------------------------------------------------------------------------
# Webhook subscriptions, notifications, disclosure reads
# ---------------------------------------------------------------------------------------------


def _webhook_fields(*, name=None, url=None, events=None) -> dict:
    fields = {}
    if name is not None:
        name = " ".join(name.split())
        if not name:
            raise DomainError(_("A subscription needs a name."), field="name")
        fields["name"] = name[:100]
    if url is not None:
        if urlsplit(url).scheme not in ("http", "https"):
            raise DomainError(_("Webhooks are delivered over http or https only."), field="url")
        fields["url"] = url
    if events is not None:
        unknown = sorted(set(events) - set(WebhookEvent.values))
        if unknown:
            raise DomainError(
                _("Unknown events: %s.") % ", ".join(unknown), code="invalid_choice", field="events"
            )
        if not events:
            raise DomainError(_("Subscribe to at least one event."), field="events")
        fields["events"] = sorted(set(events))
    return fields


@transaction.atomic
def webhook_subscription_create(
    *, user, name: str, url: str, events: Iterable[str], is_active: bool = True
) -> tuple[WebhookSubscription, str]:
    """Subscribe a URL to events; returns the subscription and its signing secret (shown once)."""
    require_permission(
        user, "takedowns.add_webhooksubscription", _("Your role does not allow managing webhooks.")
    )
    secret = secrets.token_urlsafe(32)
    subscription = WebhookSubscription(
        **_webhook_fields(name=name, url=url, events=list(events)),
        secret=secret,
        is_active=is_active,
        created_by=user,
    )
    subscription._history_user = user
    subscription.save()
    return subscription, secret


@transaction.atomic
def webhook_subscription_update(
    *, subscription: WebhookSubscription, user, **changes
) -> WebhookSubscription:
    """Change a subscription's name, URL, events or active flag."""
    require_permission(
        user,
        "takedowns.change_webhooksubscription",
        _("Your role does not allow managing webhooks."),
    )
    unknown = set(changes) - {"name", "url", "events", "is_active"}
    if unknown:
        raise DomainError(_("These fields cannot be changed: %s.") % ", ".join(sorted(unknown)))
    is_active = changes.pop("is_active", None)
    for key, value in _webhook_fields(**changes).items():
        setattr(subscription, key, value)
    if is_active is not None:
        subscription.is_active = bool(is_active)
    subscription._history_user = user
    subscription.save()
    return subscription


@transaction.atomic
def webhook_subscription_rotate_secret(
    *, subscription: WebhookSubscription, user
) -> tuple[WebhookSubscription, str]:
    """Give a subscription a new signing secret; returns it, shown this once."""
    require_permission(
        user,
        "takedowns.change_webhooksubscription",
        _("Your role does not allow managing webhooks."),
    )
    secret = secrets.token_urlsafe(32)
    subscription.secret = secret
    subscription._history_user = user
    subscription._change_reason = "secret rotated"
    subscription.save(update_fields=["secret"])
    return subscription, secret


@transaction.atomic
def webhook_subscription_delete(*, subscription: WebhookSubscription, user) -> None:
    """Remove a subscription and its delivery log."""
    require_permission(
        user,
        "takedowns.delete_webhooksubscription",
        _("Your role does not allow managing webhooks."),
    )
    subscription._history_user = user
    subscription.delete()


# Statuses in which the platform holds the request and may answer it with data.
_DISCLOSING_STATUSES = (S.SUBMITTED, S.ACKNOWLEDGED, S.ACTIONED, S.PARTIALLY_ACTIONED)
DISCLOSURE_MAX_BYTES = 64 * 1024


def _disclosure_check(takedown: TakedownRequest, user) -> None:
    require_permission(
        user,
        "takedowns.add_disclosure",
        _("Only supervisors may record disclosed account-holder data."),
    )
    if takedown.kind not in DISCLOSURE_KINDS:
        raise IllegalTransition(
            _("%(reference)s is a %(kind)s request; only disclosure requests receive data.")
            % {"reference": takedown.reference, "kind": takedown.get_kind_display().lower()},
            code="not_a_disclosure_request",
        )
    if takedown.status not in _DISCLOSING_STATUSES:
        raise IllegalTransition(
            _("%(reference)s is %(status)s: the platform has not been sent it.")
            % {"reference": takedown.reference, "status": takedown.get_status_display().lower()},
        )


def _holds_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


def disclosure_can_record(*, takedown: TakedownRequest, user) -> bool:
    """Whether the user may record disclosed data on this request now (shows the UI's form)."""
    try:
        _disclosure_check(takedown, user)
    except DomainError:
        return False
    return True


@transaction.atomic
def disclosure_record(
    *, takedown: TakedownRequest, account: FlaggedAccount, data: dict, user, received_at=None
) -> Disclosure:
    """Record the account-holder data a platform returned for one account of a disclosure
    request. The timeline says that data arrived, never what it is."""
    _disclosure_check(takedown, user)
    if not takedown.items.filter(account=account).exists():
        raise DomainError(
            _("%(account)s is not one of the accounts of %(reference)s.")
            % {"account": account, "reference": takedown.reference},
            field="account",
        )
    if not isinstance(data, dict) or not data:
        raise DomainError(_("Give the disclosed data as a non-empty JSON object."), field="data")
    if _holds_nul(data):  # PostgreSQL keeps no NUL in a JSON column
        raise DomainError(_("The disclosed data holds a NUL character."), field="data")
    if len(json.dumps(data, ensure_ascii=False).encode()) > DISCLOSURE_MAX_BYTES:
        raise DomainError(
            _("The disclosed data is larger than %d KB; attach files as evidence instead.")
            % (DISCLOSURE_MAX_BYTES // 1024),
            field="data",
        )
    if received_at is not None:
        sent = takedown.submitted_at or takedown.created_at
        # Years first: a time in year 1 or 9999 cannot even be compared with another (overflow).
        if received_at.year < sent.year or received_at < sent:
            raise DomainError(
                _("The data cannot have been received before the request was sent (%s).")
                % timezone.localtime(sent).strftime("%Y-%m-%d %H:%M"),
                field="received_at",
            )
        now = timezone.now()
        if received_at.year > now.year or received_at > now:
            raise DomainError(
                _("The data cannot have been received in the future."), field="received_at"
            )
    disclosure = Disclosure.objects.create(
        request=takedown,
        account=account,
        data=data,
        received_at=received_at or timezone.now(),
        recorded_by=user,
    )
    takedown_event(
        takedown=takedown,
        kind=EventKind.DISCLOSURE_RECORDED,
        actor=user,
        message=_("Account-holder data received for %s.") % account,
        data={"disclosure": disclosure.pk, "account": account.pk},
    )
    return disclosure


def disclosures_record_access(*, disclosures: Iterable[Disclosure], user, channel: str) -> None:
    """Log that `user` read these disclosures through `channel` ("web", "api", "admin")."""
    if user is None or not user.has_perm("takedowns.read_disclosure"):
        raise NotAllowed(_("Only supervisors may read disclosed account-holder data."))
    now = timezone.now()
    disclosures = list(disclosures)
    DisclosureAccess.objects.bulk_create(
        [
            DisclosureAccess(disclosure=d, user=user, channel=channel, accessed_at=now)
            for d in disclosures
        ]
    )
    security_report("disclosure_read", user=user, objects=disclosures, detail=channel)


@transaction.atomic
def takedowns_create_per_platform(
    *,
    user,
    accounts: Iterable[FlaggedAccount],
    kind: str = RequestKind.REMOVAL,
    priority: str = Priority.NORMAL,
    legal_basis: str = "",
    notes: str = "",
    request_approval: bool = False,
) -> list[TakedownRequest]:
    """Draft one request per platform for accounts on several platforms (all or none), and
    optionally send each straight to the approval queue."""
    by_platform: dict[int, tuple] = {}
    for account in accounts:
        by_platform.setdefault(account.platform_id, (account.platform, []))[1].append(account)
    if not by_platform:
        raise DomainError(_("A request must cover at least one account."), field="accounts")
    created = []
    for platform, chosen in sorted(by_platform.values(), key=lambda entry: entry[0].name):
        takedown = takedown_create(
            user=user,
            platform=platform,
            accounts=chosen,
            kind=kind,
            priority=priority,
            legal_basis=legal_basis,
            notes=notes,
        )
        if request_approval:
            takedown = takedown_request_approval(takedown=takedown, user=user)
        created.append(takedown)
    return created
