"""The status machine's legality: which action may start from which status, where it leads and
which permission it needs, and the checks that refuse an action (illegal now, or not allowed
to this user). The one table every door reads: the services check it, takedowns/actions.py
binds each action to its service, form and API route.

Pure: it imports no service, form or view, so that the services may read it.
"""

from typing import NamedTuple

from django.utils.translation import gettext as _

from core.errors import DomainError, NotAllowed

from .choices import OPEN_STATUSES, WITH_PLATFORM_STATUSES, RequestStatus
from .errors import IllegalTransition
from .models import TakedownRequest

S = RequestStatus


class Transition(NamedTuple):
    """The statuses an action may start from, the status it leads to (None: the service
    decides, or the status stays) and the permission it needs."""

    sources: tuple[str, ...]
    target: str | None
    permission: str


TRANSITIONS: dict[str, Transition] = {
    "request_approval": Transition(
        (S.DRAFT,), S.PENDING_APPROVAL, "takedowns.change_takedownrequest"
    ),
    "approve": Transition((S.PENDING_APPROVAL,), S.APPROVED, "takedowns.approve_takedownrequest"),
    "submit": Transition((S.APPROVED,), S.SUBMITTED, "takedowns.submit_takedownrequest"),
    "acknowledge": Transition((S.SUBMITTED,), S.ACKNOWLEDGED, "takedowns.manage_takedownrequest"),
    "pause": Transition(WITH_PLATFORM_STATUSES, None, "takedowns.manage_takedownrequest"),
    "resume": Transition(WITH_PLATFORM_STATUSES, None, "takedowns.manage_takedownrequest"),
    # resolve leads to actioned, partially_actioned or rejected, from the items' outcomes.
    "resolve": Transition(WITH_PLATFORM_STATUSES, None, "takedowns.manage_takedownrequest"),
    "withdraw": Transition(OPEN_STATUSES, S.WITHDRAWN, "takedowns.change_takedownrequest"),
}


def action_path(action: str) -> str:
    """The URL segment of a takedown action: request_approval -> request-approval."""
    return action.replace("_", "-")


def available_actions(*, takedown: TakedownRequest, user) -> list[str]:
    """The actions this user may take on the request now (drives the UI's buttons)."""
    actions = []
    # One permission set for every action: lists ask this for each of their rows.
    granted = None if user is None else _granted(user)
    for action, transition in TRANSITIONS.items():
        if takedown.status not in transition.sources:
            continue  # the cheap test first: a refusal's translated message costs far more
        try:
            transition_check(takedown, user, action, granted=granted)
        except DomainError:
            continue
        actions.append(action)
    return actions


def action_refusal(*, takedown: TakedownRequest, user, action: str) -> DomainError | None:
    """Why the user may not take the action now (NotAllowed or IllegalTransition), else None."""
    try:
        transition_check(takedown, user, action)
    except DomainError as refusal:
        return refusal
    return None


def _granted(user) -> frozenset[str]:
    """Every permission the user holds, as user.has_perm would answer for each."""
    if not user.is_active:
        return frozenset()
    return frozenset(user.get_all_permissions())


def transition_check(takedown: TakedownRequest, user, action: str, *, granted=None) -> None:
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
