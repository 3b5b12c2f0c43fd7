"""The deadline sweep: reminders, overdue marking and escalation of requests with the platform.

It reads only rows whose indexed `next_check_at` has passed, locks them with SKIP LOCKED (two
sweeps at once take different rows), re-checks every step on the locked row and moves
`next_check_at` on, so each step happens once per request and deadline. A sweep that runs late,
or after an outage, does every step that fell due meanwhile. Paused clocks have no
`next_check_at` and are never touched.
"""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.history import audited

from . import deadlines
from .choices import WITH_PLATFORM_STATUSES, EventKind
from .events import takedown_event
from .models import TakedownRequest
from .notifications import takedown_escalation_notify, takedown_reminder_notify
from .querysets import OVERDUE

logger = logging.getLogger(__name__)

SWEEP_BATCH_SIZE = 50


@dataclass
class SweepResult:
    """What one sweep did."""

    reminders: int = 0
    overdue: int = 0
    escalations: int = 0
    examined: int = 0
    failed: list[int] = field(default_factory=list)


def deadline_sweep(*, now=None, batch_size: int = SWEEP_BATCH_SIZE) -> SweepResult:
    """Do every deadline step that has fallen due by `now`; safe to run concurrently and late."""
    now = now or timezone.now()
    result = SweepResult()
    done: set[int] = set()
    while True:
        with transaction.atomic():
            batch = list(
                TakedownRequest.objects.filter(next_check_at__lte=now)
                .exclude(pk__in=done)
                .order_by("next_check_at", "pk")
                .select_for_update(skip_locked=True)[:batch_size]
            )
            for takedown in batch:
                done.add(takedown.pk)
                result.examined += 1
                try:
                    # A savepoint per request: one failure is logged and the rest go on.
                    with transaction.atomic():
                        steps = _advance(takedown, now)
                except Exception:
                    logger.exception(
                        "deadline sweep failed for %s (id %s, next check %s)",
                        takedown.reference,
                        takedown.pk,
                        takedown.next_check_at,
                    )
                    result.failed.append(takedown.pk)
                    continue
                result.reminders += steps.count("reminder")
                result.overdue += steps.count("overdue")
                result.escalations += sum(s.startswith("escalation") for s in steps)
        if len(batch) < batch_size:
            break
    if result.examined:
        logger.info(
            "deadline sweep: %d examined, %d reminders, %d overdue, %d escalations, %d failed",
            result.examined,
            result.reminders,
            result.overdue,
            result.escalations,
            len(result.failed),
        )
    return result


def _advance(takedown: TakedownRequest, now) -> list[str]:
    """Do, in order, every step of this locked request that is due by `now`; returns them."""
    steps, changed = [], False
    if takedown.status in WITH_PLATFORM_STATUSES and not takedown.paused_at and takedown.due_at:
        if _due(takedown.reminder_at, now) and takedown.reminder_sent_at is None:
            takedown.reminder_sent_at, changed = now, True
            # Past the deadline the overdue notice below says more than a reminder would.
            if takedown.due_at > now:
                steps.append("reminder")
        if takedown.overdue_at is None and takedown.deadline(now).state == OVERDUE:
            # The moment it became overdue, so that level 2 follows the deadline, not the sweep.
            takedown.overdue_at = takedown.due_at
            takedown.escalation_level, takedown.escalated_at = 1, now
            steps += ["overdue", "escalation_1"]
        if (
            takedown.overdue_at is not None
            and takedown.escalation_level == 1
            and takedown.overdue_at + settings.ESCALATION_LEVEL2_AFTER <= now
        ):
            takedown.escalation_level, takedown.escalated_at = 2, now
            steps.append("escalation_2")
    next_check_at = deadlines.next_check(takedown)
    if not (steps or changed):
        # Nothing was due after all (the row changed since it was indexed): just re-index it.
        TakedownRequest.objects.filter(pk=takedown.pk).update(next_check_at=next_check_at)
        return steps
    takedown.next_check_at = next_check_at
    takedown.version += 1
    audited(takedown, None, "deadline sweep: " + (", ".join(steps) or "reminder skipped")).save()
    _record(takedown, steps)
    return steps


def _due(moment, now) -> bool:
    return moment is not None and moment <= now


def _record(takedown: TakedownRequest, steps: list[str]) -> None:
    """Write the timeline (which also publishes the webhooks) and notify, once per step."""
    due = takedown.due_at.isoformat()
    if "reminder" in steps:
        takedown_event(takedown=takedown, kind=EventKind.REMINDER, data={"due_at": due})
        takedown_reminder_notify(takedown=takedown)
    if "overdue" in steps:
        takedown_event(
            takedown=takedown,
            kind=EventKind.OVERDUE,
            to_status=takedown.status,
            data={"due_at": due},
        )
    for level in (1, 2):
        if f"escalation_{level}" in steps:
            takedown_event(
                takedown=takedown,
                kind=EventKind.ESCALATED,
                to_status=takedown.status,
                data={"level": level, "due_at": due},
            )
            takedown_escalation_notify(takedown=takedown, level=level)
