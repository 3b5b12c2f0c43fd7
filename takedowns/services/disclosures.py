"""Disclosures: account-holder data a platform returned for a disclosure request, recorded by
supervisors, with every read logged."""

import json
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import FlaggedAccount
from core.errors import DomainError, NotAllowed
from core.permissions import require_permission

from ..choices import DISCLOSURE_KINDS, EventKind, RequestStatus
from ..errors import IllegalTransition
from ..events import takedown_event
from ..models import Disclosure, DisclosureAccess, TakedownRequest

S = RequestStatus

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
    DisclosureAccess.objects.bulk_create(
        [
            DisclosureAccess(disclosure=d, user=user, channel=channel, accessed_at=now)
            for d in disclosures
        ]
    )
