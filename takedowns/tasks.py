"""Celery tasks: thin wrappers that take ids and call the services. Every task may run twice
(redelivery, outbox re-publish) and is idempotent; none is lost when a worker dies mid-task
(acks_late + reject_on_worker_lost: the message is acknowledged only after the task ran)."""

from dataclasses import asdict
from smtplib import SMTPException

from celery import shared_task
from django.db import DatabaseError, transaction

from .notifications import notification_email
from .rechecks import platform_recheck, recheck_platforms
from .sweep import SWEEP_BATCH_SIZE, deadline_sweep
from .webhooks.delivery import webhook_deliver, webhook_deliveries_due

RELIABLE = {"acks_late": True, "reject_on_worker_lost": True, "ignore_result": True}
# A retry due within this many seconds also gets a countdown message so that it is quick; later
# ones wait for the due-deliveries sweep (a long countdown on Redis outlives visibility_timeout).
FAST_RETRY_MAX_SECONDS = 300


def _enqueue_each(task, ids: list[int]) -> int:
    """Queue task(id) for each id, through the outbox in one transaction; returns how many."""
    with transaction.atomic():
        for pk in ids:
            task.delay_on_commit(pk)
    return len(ids)


@shared_task(**RELIABLE)
def deadline_sweep_task(batch_size: int = SWEEP_BATCH_SIZE) -> dict:
    """Send due reminders, mark overdue requests and escalate them (periodic)."""
    return asdict(deadline_sweep(batch_size=batch_size))


@shared_task(bind=True, **RELIABLE)
def webhook_deliver_task(self, delivery_id: int) -> str:
    """Make one attempt at a webhook delivery; schedule a quick retry when one is soon due."""
    outcome = webhook_deliver(delivery_id=delivery_id)
    if outcome.retry_in is not None and outcome.retry_in <= FAST_RETRY_MAX_SECONDS:
        self.apply_async_on_commit((delivery_id,), countdown=outcome.retry_in)
    return outcome.status


@shared_task(**RELIABLE)
def webhooks_deliver_due_task() -> int:
    """Queue every pending delivery whose next attempt is due (periodic); returns how many."""
    return _enqueue_each(webhook_deliver_task, webhook_deliveries_due())


@shared_task(
    # Nothing else finds an e-mail whose task failed: retry through mail and database outages.
    autoretry_for=(SMTPException, OSError, DatabaseError),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=8,
    **RELIABLE,
)
def notification_email_task(notification_id: int) -> bool:
    """E-mail one notification (retried with backoff while the mail server fails)."""
    return notification_email(notification_id=notification_id)


@shared_task(**RELIABLE)
def accounts_recheck_task() -> int:
    """Queue a status re-check of every platform with an automatic adapter (periodic)."""
    return _enqueue_each(platform_recheck_task, recheck_platforms())


@shared_task(**RELIABLE)
def platform_recheck_task(platform_id: int) -> dict:
    """Re-check one platform's reported and removed accounts within its rate limit."""
    return asdict(platform_recheck(platform_id=platform_id))
