"""The deadline rule of takedown requests, in one place: when a request is overdue, due soon
or on time, and how long it has left, both as a query (TakedownQuerySet.overdue) and for one
loaded request (deadline_of, behind TakedownRequest.deadline), and when a resolved request
met its deadline (met_deadline_q). Pages, the countdown script, the API, the filters, the
dashboard, the compliance reports and the sweep all read it here."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from .choices import OPEN_STATUSES

# The deadline states, in the order a running clock passes through them.
NONE, OK, SOON, OVERDUE, PAUSED = "none", "ok", "soon", "overdue", "paused"


def past_due_q(now: datetime) -> Q:
    """A running clock whose deadline has passed (whatever the status: callers that group by
    status apply OPEN_STATUSES themselves)."""
    return Q(paused_at__isnull=True, due_at__lte=now)


def overdue_q(now: datetime) -> Q:
    """An open request whose running clock is past its deadline."""
    return Q(status__in=OPEN_STATUSES) & past_due_q(now)


def met_deadline_q() -> Q:
    """A request resolved by its deadline (due_at has moved forward by every pause, so the
    time the clock stood still is not held against the platform)."""
    return Q(resolved_at__isnull=False, due_at__isnull=False, resolved_at__lte=F("due_at"))


class TakedownQuerySet(QuerySet):
    """Query pieces of takedown requests."""

    def overdue(self, now: datetime | None = None) -> "TakedownQuerySet":
        """Open requests whose running clock is past its deadline."""
        return self.filter(overdue_q(now or timezone.now()))

    def not_overdue(self, now: datetime | None = None) -> "TakedownQuerySet":
        return self.exclude(overdue_q(now or timezone.now()))

    def met_deadline(self) -> "TakedownQuerySet":
        """Resolved requests that were resolved by their deadline."""
        return self.filter(met_deadline_q())


@dataclass(frozen=True)
class Deadline:
    """Where a request's deadline stands at `now`: its state, the time left (negative when
    overdue; frozen while paused), and the later states a running clock reaches, each with how
    long until it does (what the countdown script follows, so that it never applies a rule)."""

    state: str
    left: timedelta | None = None
    changes: tuple[tuple[str, timedelta], ...] = ()

    @property
    def seconds_left(self) -> int | None:
        return None if self.left is None else int(self.left.total_seconds())


def deadline_of(takedown, now: datetime) -> Deadline:
    """The deadline state of a request at `now` (the same rule as overdue_q)."""
    if takedown.due_at is None or takedown.status not in OPEN_STATUSES:
        return Deadline(NONE)
    if takedown.paused_at is not None:
        return Deadline(PAUSED, takedown.due_at - takedown.paused_at)
    left = takedown.due_at - now
    if left <= timedelta(0):
        return Deadline(OVERDUE, left)
    overdue = ((OVERDUE, left),)
    # "Due soon" starts when the reminder is due: the same share of time the workers remind at.
    reminder = takedown.reminder_at
    if reminder is not None and now >= reminder:
        return Deadline(SOON, left, overdue)
    if reminder is not None and reminder < takedown.due_at:
        return Deadline(OK, left, ((SOON, reminder - now), *overdue))
    return Deadline(OK, left, overdue)
