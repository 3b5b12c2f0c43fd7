"""Drafting from a selection of accounts on several platforms: one request per platform."""

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import FlaggedAccount
from core.errors import DomainError

from ..choices import Priority, RequestKind
from ..models import TakedownRequest
from .requests import takedown_create, takedown_request_approval


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
