"""Periodic re-checks of reported and removed accounts through their platform's adapter, and
the alert raised when a removed account comes back."""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.choices import AccountStatus
from accounts.errors import DuplicateAccount
from accounts.models import FlaggedAccount, Platform
from accounts.services import account_set_status

from .adapters import ADAPTERS, AdapterError, PlatformAdapter, RateLimited, adapter_for
from .choices import WebhookEvent
from .notifications import account_restored_notify
from .webhooks.payloads import account_payload
from .webhooks.publish import webhook_publish

logger = logging.getLogger(__name__)

RECHECK_STATUSES = (
    AccountStatus.REPORTED,
    AccountStatus.RESTRICTED,
    AccountStatus.SUSPENDED,
    AccountStatus.REMOVED,
)
# After this many adapter errors in a row the platform is left alone until the next run.
MAX_CONSECUTIVE_ERRORS = 5


@dataclass
class RecheckResult:
    """What one platform's re-check run did."""

    checked: int = 0
    changed: int = 0
    errors: int = 0
    rate_limited: bool = False


def recheck_platforms() -> list[int]:
    """Active platforms whose adapter can check accounts by itself."""
    automatic = [kind for kind, cls in ADAPTERS.items() if cls.supports_checks]
    return list(
        Platform.objects.filter(is_active=True, adapter__in=automatic)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def accounts_due_for_recheck(*, platform, now=None, limit: int | None = None) -> list[int]:
    """Ids of the platform's reported/removed accounts not checked lately, least recent first."""
    now = now or timezone.now()
    stale = now - timedelta(hours=settings.ACCOUNT_RECHECK_AFTER_HOURS)
    return list(
        FlaggedAccount.objects.filter(platform=platform, status__in=RECHECK_STATUSES)
        .filter(Q(last_checked_at__isnull=True) | Q(last_checked_at__lt=stale))
        .order_by(F("last_checked_at").asc(nulls_first=True), "pk")
        .values_list("pk", flat=True)[: limit or settings.ACCOUNT_RECHECK_BATCH]
    )


def _status_after(current: str, observed: str | None) -> str | None:
    """The status to record for what the platform reports, or None to keep the current one."""
    if observed is None or observed == current:
        return None
    if observed == AccountStatus.ACTIVE and current in (
        AccountStatus.REPORTED,
        AccountStatus.RESTORED,
    ):
        return None  # still up: our report, or the restored alert, stands
    if current == AccountStatus.REMOVED and observed == AccountStatus.RESTRICTED:
        return AccountStatus.ACTIVE  # seen again, if restricted: the service makes it restored
    return observed


def account_recheck(
    *, account_id: int, adapter: PlatformAdapter | None = None, now=None
) -> str | None:
    """Ask the platform about one account, record a change through account_set_status and
    return the status recorded (None when nothing changed).

    Raises AdapterError (RateLimited included) when the platform could not be asked; nothing is
    recorded then. The network call happens outside any transaction.
    """
    account = FlaggedAccount.objects.select_related("platform").filter(pk=account_id).first()
    if account is None:
        return None
    recorded = None
    adapter = adapter or adapter_for(account.platform)
    check = adapter.check_account(account)
    with transaction.atomic():
        locked = FlaggedAccount.objects.select_for_update().get(pk=account_id)
        new_status = _status_after(locked.status, check.status)
        if new_status:
            try:
                account_set_status(
                    account=locked,
                    user=None,
                    status=new_status,
                    reason=f"status re-check ({adapter.name}): {check.detail}"[:100],
                )
                recorded = locked.status
            except DuplicateAccount as exc:
                logger.warning("re-check of %s not recorded: %s", locked, exc.message)
        # A check is not a change of the account: no history row for the timestamp.
        FlaggedAccount.objects.filter(pk=account_id).update(last_checked_at=now or timezone.now())
    return recorded


def platform_recheck(*, platform_id: int, now=None) -> RecheckResult:
    """Re-check the platform's due accounts, stopping when its rate limit is spent."""
    result = RecheckResult()
    platform = Platform.objects.filter(pk=platform_id, is_active=True).first()
    if platform is None:
        return result
    try:
        adapter = adapter_for(platform)
    except AdapterError as exc:
        logger.error("cannot re-check %s: %s", platform.slug, exc)
        result.errors += 1
        return result
    if not adapter.supports_checks:
        return result
    consecutive_errors = 0
    for account_id in accounts_due_for_recheck(platform=platform, now=now):
        try:
            recorded = account_recheck(account_id=account_id, adapter=adapter, now=now)
        except RateLimited:
            result.rate_limited = True
            break
        except AdapterError as exc:
            logger.warning(
                "re-check of account %s on %s failed: %s", account_id, platform.slug, exc
            )
            result.errors += 1
            consecutive_errors += 1
            if consecutive_errors >= MAX_CONSECUTIVE_ERRORS:
                break
            continue
        consecutive_errors = 0
        result.checked += 1
        result.changed += recorded is not None
    logger.info(
        "re-check of %s: %d checked, %d changed, %d errors%s",
        platform.slug,
        result.checked,
        result.changed,
        result.errors,
        ", rate limit reached" if result.rate_limited else "",
    )
    return result


def account_restored_alert(*, account: FlaggedAccount, occurrence: str) -> None:
    """Notify supervisors and webhooks that a removed account is back, once per occurrence."""
    account_restored_notify(account=account, occurrence=occurrence)
    webhook_publish(
        event=WebhookEvent.ACCOUNT_RESTORED,
        data={"account": account_payload(account)},
        key=f"account-restored:{account.pk}:{occurrence}",
    )
