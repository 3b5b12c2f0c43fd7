"""Transactional outbox: a task call is a row written with the caller's transaction, published
to the broker after commit, and re-published by the drain when that failed.

Tasks may therefore run more than once (a publish that reached the broker but whose row could
not be deleted is published again); every task is idempotent.
"""

import logging
from datetime import timedelta
from functools import partial

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)

_ALLOWED_OPTIONS = {"countdown"}
# A publish tries the broker briefly; the outbox, not a long retry, covers an outage.
_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


def outbox_enqueue(*, task_name: str, args=(), kwargs=None, options=None) -> OutboxMessage:
    """Record a task call in the current transaction and publish it once that commits."""
    unknown = set(options or {}) - _ALLOWED_OPTIONS
    if unknown:
        raise ValueError(f"outbox cannot carry publish options {sorted(unknown)}")
    message = OutboxMessage.objects.create(
        task_name=task_name, args=list(args), kwargs=kwargs or {}, options=options or {}
    )
    # robust: a failure after commit must never turn the caller's committed work into an error.
    transaction.on_commit(partial(outbox_publish, message_id=message.pk), robust=True)
    return message


def _send(message: OutboxMessage) -> None:
    # The project's app (tracker/celery.py, loaded by tracker/__init__.py), without importing
    # it: its OutboxTask imports this module.
    app = current_app
    if app.conf.task_always_eager:  # development and tests without a broker: run it here
        app.tasks[message.task_name].apply(args=message.args, kwargs=message.kwargs)
        return
    # By name: the publishing process need not have imported the task's module.
    app.send_task(
        message.task_name,
        args=message.args,
        kwargs=message.kwargs,
        retry_policy=_RETRY_POLICY,
        **message.options,
    )


def outbox_publish(*, message_id: int) -> bool:
    """Publish one outbox message and delete it; on a broker error keep it for the drain."""
    message = OutboxMessage.objects.filter(pk=message_id).first()
    if message is None:  # the drain got there first
        return False
    try:
        _send(message)
    except Exception as exc:  # kombu, redis and socket errors all mean "broker unreachable"
        logger.warning(
            "broker unavailable, task %s stays in the outbox (message %s): %s",
            message.task_name,
            message.pk,
            exc,
        )
        OutboxMessage.objects.filter(pk=message.pk).update(
            attempts=F("attempts") + 1, last_error=str(exc)[:500]
        )
        return False
    OutboxMessage.objects.filter(pk=message.pk).delete()
    return True


def outbox_drain(*, now=None, limit: int = 500) -> int:
    """Publish messages whose after-commit publish failed or never ran; returns how many.

    A message is taken once its publish failed, or after OUTBOX_GRACE_SECONDS (the process may
    have died between commit and publish). Concurrent drains skip each other's rows.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.OUTBOX_GRACE_SECONDS)
    published = 0
    with transaction.atomic():
        messages = list(
            OutboxMessage.objects.filter(Q(attempts__gt=0) | Q(created_at__lte=cutoff))
            .order_by("id")
            .select_for_update(skip_locked=True)[:limit]
        )
        for message in messages:
            try:
                _send(message)
            except Exception as exc:
                logger.warning("outbox drain stopped, broker unavailable: %s", exc)
                OutboxMessage.objects.filter(pk=message.pk).update(
                    attempts=F("attempts") + 1, last_error=str(exc)[:500]
                )
                break
            message.delete()
            published += 1
    if published:
        logger.info("outbox drain published %d task(s)", published)
    return published
