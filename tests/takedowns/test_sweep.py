from datetime import timedelta

import pytest
from django.utils import timezone

from takedowns import services, sweep
from takedowns.choices import EventKind, RequestStatus, WebhookEvent
from takedowns.models import (
    Notification,
    TakedownEvent,
    TakedownRequest,
    WebhookDelivery,
)
from tests.factories import WebhookSubscriptionFactory, submitted_takedown

pytestmark = pytest.mark.django_db


def events(takedown, kind):
    return TakedownEvent.objects.filter(request=takedown, kind=kind).count()


def notified(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("user__username", flat=True))


def test_reminder_goes_to_the_requests_supervisor_once_when_a_quarter_of_the_time_is_left(
    supervisor,
):
    takedown = submitted_takedown(supervisor=supervisor, due_in=timedelta(hours=11))

    first = sweep.deadline_sweep()
    second = sweep.deadline_sweep()

    takedown.refresh_from_db()
    assert (first.reminders, second.reminders, second.examined) == (1, 0, 0)
    assert takedown.reminder_sent_at is not None
    assert takedown.next_check_at == takedown.due_at
    assert takedown.overdue_at is None
    assert events(takedown, EventKind.REMINDER) == 1
    assert notified("deadline_reminder") == ["supervisor"]


def test_request_with_time_left_before_its_reminder_is_not_touched(supervisor):
    takedown = submitted_takedown(supervisor=supervisor, due_in=timedelta(hours=13))

    assert sweep.deadline_sweep().examined == 0
    takedown.refresh_from_db()
    assert takedown.reminder_sent_at is None
    assert takedown.version == 1


def test_overdue_request_is_marked_and_escalated_to_its_supervisor_exactly_once(supervisor):
    takedown = submitted_takedown(
        supervisor=supervisor, due_in=-timedelta(minutes=5), reminder_sent=True
    )

    first = sweep.deadline_sweep()
    second = sweep.deadline_sweep()

    takedown.refresh_from_db()
    assert (first.overdue, first.escalations, second.overdue, second.escalations) == (1, 1, 0, 0)
    assert takedown.overdue_at == takedown.due_at
    assert takedown.escalation_level == 1
    assert takedown.next_check_at == takedown.due_at + timedelta(hours=24)
    assert takedown.version == 2
    assert events(takedown, EventKind.OVERDUE) == 1
    assert events(takedown, EventKind.ESCALATED) == 1
    assert notified("escalation_1") == ["supervisor"]
    assert takedown.history.first().history_change_reason == (
        "deadline sweep: overdue, escalation_1"
    )


def test_level_two_escalation_goes_to_every_supervisor_after_the_configured_delay(
    supervisor, supervisor2, administrator, analyst, settings
):
    settings.ESCALATION_LEVEL2_AFTER = timedelta(hours=6)
    takedown = submitted_takedown(
        supervisor=supervisor, due_in=-timedelta(hours=7), reminder_sent=True
    )

    result = sweep.deadline_sweep()

    takedown.refresh_from_db()
    assert (result.overdue, result.escalations) == (1, 2)
    assert takedown.escalation_level == 2
    assert takedown.next_check_at is None
    assert notified("escalation_1") == ["supervisor"]
    assert notified("escalation_2") == ["administrator", "supervisor", "supervisor2"]
    assert sweep.deadline_sweep().examined == 0


def test_reminder_missed_past_the_deadline_gives_way_to_the_overdue_notice(supervisor):
    takedown = submitted_takedown(supervisor=supervisor, due_in=-timedelta(minutes=1))

    result = sweep.deadline_sweep()

    takedown.refresh_from_db()
    assert (result.reminders, result.overdue) == (0, 1)
    assert takedown.reminder_sent_at is not None
    assert events(takedown, EventKind.REMINDER) == 0
    assert notified("deadline_reminder") == []


def test_paused_clock_is_never_escalated_even_with_a_stale_index(supervisor):
    takedown = submitted_takedown(supervisor=supervisor, due_in=-timedelta(hours=1))
    TakedownRequest.objects.filter(pk=takedown.pk).update(paused_at=timezone.now())

    result = sweep.deadline_sweep()

    takedown.refresh_from_db()
    assert (result.examined, result.overdue) == (1, 0)
    assert takedown.overdue_at is None
    assert takedown.next_check_at is None
    assert takedown.version == 1
    assert TakedownEvent.objects.filter(request=takedown).count() == 0


def test_pause_then_resume_moves_the_reminder_with_the_deadline(supervisor):
    takedown = submitted_takedown(supervisor=supervisor, due_in=timedelta(hours=13))
    paused = services.takedown_pause(takedown=takedown, user=supervisor, reason="clarify")
    TakedownRequest.objects.filter(pk=takedown.pk).update(
        paused_at=paused.paused_at - timedelta(hours=5)
    )
    services.takedown_resume(takedown=takedown, user=supervisor)

    assert sweep.deadline_sweep().examined == 0  # 13 h + 5 h left: no reminder yet


def test_request_closed_before_its_deadline_is_only_dropped_from_the_index(supervisor):
    takedown = submitted_takedown(supervisor=supervisor, due_in=-timedelta(hours=1))
    TakedownRequest.objects.filter(pk=takedown.pk).update(status=RequestStatus.ACTIONED)

    sweep.deadline_sweep()

    takedown.refresh_from_db()
    assert (takedown.next_check_at, takedown.overdue_at, takedown.escalation_level) == (
        None,
        None,
        0,
    )


def test_sweep_selects_by_the_next_check_index_not_by_the_deadline(supervisor):
    takedown = submitted_takedown(supervisor=supervisor, due_in=-timedelta(hours=1))
    TakedownRequest.objects.filter(pk=takedown.pk).update(next_check_at=None)

    assert sweep.deadline_sweep().examined == 0


def test_sweep_works_in_batches_and_reaches_every_due_request(supervisor):
    takedowns = [
        submitted_takedown(supervisor=supervisor, due_in=-timedelta(minutes=n), reminder_sent=True)
        for n in range(1, 8)
    ]

    result = sweep.deadline_sweep(batch_size=3)

    assert (result.examined, result.overdue) == (7, 7)
    assert (
        TakedownRequest.objects.filter(pk__in=[t.pk for t in takedowns], escalation_level=1).count()
        == 7
    )


def test_one_failing_request_is_logged_and_the_others_still_escalate(
    supervisor, monkeypatch, caplog
):
    bad = submitted_takedown(
        supervisor=supervisor, due_in=-timedelta(minutes=2), reminder_sent=True
    )
    good = submitted_takedown(
        supervisor=supervisor, due_in=-timedelta(minutes=1), reminder_sent=True
    )
    real = sweep.takedown_escalation_notify

    def flaky(*, takedown, level):
        if takedown.pk == bad.pk:
            raise RuntimeError("mail template broken")
        return real(takedown=takedown, level=level)

    monkeypatch.setattr(sweep, "takedown_escalation_notify", flaky)

    result = sweep.deadline_sweep()

    bad.refresh_from_db()
    good.refresh_from_db()
    assert result.failed == [bad.pk]
    assert (bad.escalation_level, good.escalation_level) == (0, 1)
    assert bad.next_check_at is not None  # left due: the next sweep tries again
    assert f"deadline sweep failed for {bad.reference}" in caplog.text


def test_overdue_and_escalation_publish_one_webhook_each(supervisor, administrator):
    subscription = WebhookSubscriptionFactory(
        events=[WebhookEvent.REQUEST_OVERDUE, WebhookEvent.REQUEST_ESCALATED],
        created_by=administrator,
    )
    takedown = submitted_takedown(
        supervisor=supervisor, due_in=-timedelta(minutes=5), reminder_sent=True
    )

    sweep.deadline_sweep()
    sweep.deadline_sweep()

    deliveries = WebhookDelivery.objects.filter(subscription=subscription).order_by("id")
    assert [d.event for d in deliveries] == ["takedown.overdue", "takedown.escalated"]
    assert deliveries[1].payload["data"]["takedown"]["reference"] == takedown.reference
    assert deliveries[1].payload["data"]["details"]["level"] == 1
