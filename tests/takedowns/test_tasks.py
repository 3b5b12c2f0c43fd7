"""The background work on a real Celery worker process against the real Redis (not eager)."""

import hashlib
import hmac
import json
import os
import re
import signal
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.choices import AccountStatus, AdapterKind
from accounts.models import FlaggedAccount
from takedowns import services
from takedowns.choices import EventKind, RequestStatus, WebhookEvent
from takedowns.models import (
    Notification,
    TakedownEvent,
    TakedownRequest,
    WebhookDelivery,
)
from takedowns.tasks import accounts_recheck_task, deadline_sweep_task
from takedowns.webhooks.publish import webhook_publish
from takedowns.webhooks.signing import webhook_signature_verify
from tests.factories import (
    AccountFactory,
    PlatformFactory,
    UserFactory,
    WebhookSubscriptionFactory,
    submitted_takedown,
)
from tests.workers import broker_idle, wait_for
from tracker.roles import ADMINISTRATOR, ANALYST, SUPERVISOR

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(broker):
    return {
        "analyst": UserFactory(username="analyst", role=ANALYST),
        "supervisor": UserFactory(username="supervisor", role=SUPERVISOR),
        "supervisor2": UserFactory(username="supervisor2", role=SUPERVISOR),
        "administrator": UserFactory(username="administrator", role=ADMINISTRATOR),
    }


def subscribe(url, events, owner, secret="whsec-test"):
    return WebhookSubscriptionFactory(url=url, secret=secret, events=list(events), created_by=owner)


def idle(url):
    """The broker stays idle for a moment (a task may enqueue another as it finishes)."""
    if not broker_idle(url):
        return False
    time.sleep(0.3)
    return broker_idle(url)


def test_two_concurrent_sweeps_mark_and_escalate_each_overdue_request_exactly_once(
    start_worker, broker, people, http_server
):
    server = http_server()
    subscribe(server.url + "/hook", [WebhookEvent.REQUEST_ESCALATED], people["administrator"])
    takedowns = [
        submitted_takedown(
            supervisor=people["supervisor"], due_in=-timedelta(minutes=n), reminder_sent=True
        )
        for n in range(1, 25)
    ]
    worker = start_worker(concurrency=2)

    # Two sweeps at once, in small batches so that they interleave over the 24 requests.
    deadline_sweep_task.delay(batch_size=3)
    deadline_sweep_task.delay(batch_size=3)
    wait_for(lambda: idle(broker), timeout=90, what="both sweeps and their webhooks")

    # Both sweeps ran (each logs its result), and between them marked each request once.
    pattern = r"deadline_sweep_task\[[^\]]+\] succeeded in [^:]+: \{[^}]*'overdue': (\d+)"
    marked = [int(n) for n in re.findall(pattern, worker.log())]
    assert (len(marked), sum(marked)) == (2, 24)
    ids = [t.pk for t in takedowns]
    assert TakedownRequest.objects.filter(pk__in=ids, escalation_level=1).count() == 24
    for kind in (EventKind.OVERDUE, EventKind.ESCALATED):
        per_request = TakedownEvent.objects.filter(request__in=ids, kind=kind)
        assert per_request.count() == 24
        assert per_request.values("request").distinct().count() == 24
    assert Notification.objects.filter(kind="escalation_1", user=people["supervisor"]).count() == 24
    assert WebhookDelivery.objects.filter(status="succeeded").count() == 24
    assert len({r["headers"]["X-Tracker-Delivery"] for r in server.requests}) == 24
    assert len(server.requests) == 24


def test_sweep_after_an_hour_long_outage_catches_up_every_missed_reminder_and_deadline(
    start_worker, broker, people, settings
):
    boss = people["supervisor"]
    # While nothing ran for an hour, one reminder, two deadlines and a level-2 escalation fell.
    reminder_missed = submitted_takedown(
        supervisor=boss, due_in=timedelta(hours=12) - timedelta(minutes=40)
    )
    deadline_missed = submitted_takedown(
        supervisor=boss, due_in=-timedelta(minutes=20), reminder_sent=True
    )
    both_missed = submitted_takedown(supervisor=boss, due_in=-timedelta(minutes=10), hours=2)
    level2_missed = submitted_takedown(
        supervisor=boss,
        due_in=-(settings.ESCALATION_LEVEL2_AFTER + timedelta(minutes=30)),
        reminder_sent=True,
    )
    TakedownRequest.objects.filter(pk=level2_missed.pk).update(
        overdue_at=level2_missed.due_at,
        escalation_level=1,
        escalated_at=level2_missed.due_at,
        next_check_at=level2_missed.due_at + settings.ESCALATION_LEVEL2_AFTER,
    )
    paused = submitted_takedown(supervisor=boss, due_in=-timedelta(minutes=30), reminder_sent=True)
    TakedownRequest.objects.filter(pk=paused.pk).update(
        paused_at=timezone.now() - timedelta(hours=2), next_check_at=None
    )
    not_yet = submitted_takedown(supervisor=boss, due_in=timedelta(hours=14))
    start_worker()

    deadline_sweep_task.delay()
    wait_for(lambda: idle(broker), timeout=60, what="the catch-up sweep")
    deadline_sweep_task.delay()  # the next regular tick finds nothing left to do
    wait_for(lambda: idle(broker), timeout=60, what="the second sweep")

    def state(t):
        t.refresh_from_db()
        kinds = list(TakedownEvent.objects.filter(request=t).values_list("kind", flat=True))
        return (t.reminder_sent_at is not None, t.escalation_level, sorted(kinds))

    assert state(reminder_missed) == (True, 0, ["reminder"])
    assert state(deadline_missed) == (True, 1, ["escalated", "overdue"])
    assert state(both_missed) == (True, 1, ["escalated", "overdue"])
    assert state(level2_missed) == (True, 2, ["escalated"])
    assert state(paused) == (True, 0, [])
    assert state(not_yet) == (False, 0, [])
    assert Notification.objects.filter(kind="deadline_reminder").count() == 1
    assert Notification.objects.filter(kind="escalation_1").count() == 2
    # Level 2 goes to all three users who manage requests.
    assert Notification.objects.filter(kind="escalation_2").count() == 3


def test_worker_killed_with_sigkill_mid_task_loses_nothing(
    start_worker, broker, people, http_server
):
    # The receiver holds the first POST: the task is mid-flight when the worker dies.
    server = http_server(statuses=(200,), hold_first=True)
    subscription = subscribe(server.url, [WebhookEvent.ACCOUNT_RESTORED], people["administrator"])
    doomed = start_worker()
    [delivery] = webhook_publish(event=WebhookEvent.ACCOUNT_RESTORED, data={"n": 1}, key="kill-1")
    wait_for(server.first_arrived.is_set, timeout=60, what="the first POST")

    doomed.kill()
    server.release.set()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("pending", 0)  # the attempt left no trace

    # A new worker takes the unacknowledged message back once its visibility timeout passes.
    start_worker(env={"CELERY_VISIBILITY_TIMEOUT": "2"})
    wait_for(
        lambda: WebhookDelivery.objects.filter(pk=delivery.pk, status="succeeded").exists(),
        timeout=90,
        what="the redelivered task",
    )
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.last_status_code) == (1, 200)
    assert [r["headers"]["X-Tracker-Delivery"] for r in server.requests] == [
        str(delivery.event_id)
    ] * 2
    assert delivery.subscription_id == subscription.pk


def test_pool_process_killed_mid_task_is_requeued_and_run_again(
    start_worker, broker, people, http_server
):
    server = http_server(statuses=(200,), hold_first=True)
    subscribe(server.url, [WebhookEvent.ACCOUNT_RESTORED], people["administrator"])
    worker = start_worker()
    [delivery] = webhook_publish(event=WebhookEvent.ACCOUNT_RESTORED, data={"n": 2}, key="kill-2")
    wait_for(server.first_arrived.is_set, timeout=60, what="the first POST")

    [child] = worker.pool_children()
    os.kill(child, signal.SIGKILL)  # reject_on_worker_lost: the message goes back at once
    server.release.set()

    wait_for(
        lambda: WebhookDelivery.objects.filter(pk=delivery.pk, status="succeeded").exists(),
        timeout=60,
        what="the requeued task",
    )
    delivery.refresh_from_db()
    assert (delivery.attempts, len(server.requests)) == (1, 2)
    assert "WorkerLostError" in worker.log()


def test_webhook_is_signed_retried_after_a_failure_and_its_signature_verifies(
    start_worker, broker, people, http_server
):
    server = http_server(statuses=(500, 200))
    secret = "whsec-4f9a"
    subscribe(
        server.url + "/tracker",
        [WebhookEvent.REQUEST_STATUS_CHANGED],
        people["administrator"],
        secret,
    )
    takedown = submitted_takedown(supervisor=people["supervisor"], due_in=timedelta(hours=40))
    start_worker(env={"WEBHOOK_RETRY_BASE_SECONDS": "1"})

    services.takedown_acknowledge(takedown=takedown, user=people["supervisor"], ticket="FB-77")

    delivery = wait_for(
        lambda: WebhookDelivery.objects.filter(status="succeeded").first(),
        timeout=60,
        what="the retried delivery",
    )
    assert (delivery.attempts, delivery.last_status_code) == (2, 200)
    assert len(server.requests) == 2
    for request in server.requests:
        headers, body = request["headers"], request["body"]
        assert request["path"] == "/tracker"
        assert headers["X-Tracker-Event"] == "takedown.status_changed"
        assert headers["X-Tracker-Delivery"] == str(delivery.event_id)
        assert webhook_signature_verify(
            secret=secret, header=headers["X-Tracker-Signature"], body=body
        )
        assert not webhook_signature_verify(
            secret="other", header=headers["X-Tracker-Signature"], body=body
        )
        # Checked independently of our own helper, as a receiver would.
        t, v1 = (part.split("=", 1)[1] for part in headers["X-Tracker-Signature"].split(","))
        expected = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(v1, expected)
    payload = json.loads(server.requests[1]["body"])
    assert payload["event"] == "takedown.status_changed"
    assert payload["data"]["takedown"]["reference"] == takedown.reference
    assert (payload["data"]["from_status"], payload["data"]["to_status"]) == (
        RequestStatus.SUBMITTED,
        RequestStatus.ACKNOWLEDGED,
    )
    assert payload["data"]["details"]["ticket"] == "FB-77"


def test_restored_account_alerts_supervisors_and_webhook_subscribers(
    start_worker, broker, people, http_server
):
    # One local server plays both the platform's API and the webhook receiver.
    server = http_server(body={"status": "active"})
    platform = PlatformFactory(
        slug="telegram", adapter=AdapterKind.HTTP, adapter_config={"base_url": server.url + "/api"}
    )
    account = AccountFactory(
        platform=platform,
        handle="ttp_media",
        status=AccountStatus.REMOVED,
        removed_at=timezone.now() - timedelta(days=3),
        flagged_by=people["analyst"],
    )
    subscribe(server.url + "/hook", [WebhookEvent.ACCOUNT_RESTORED], people["administrator"])
    start_worker()

    accounts_recheck_task.delay()

    wait_for(
        lambda: idle(broker) and any(r["method"] == "POST" for r in server.requests),
        timeout=60,
        what="the alert",
    )
    account.refresh_from_db()
    assert account.status == AccountStatus.RESTORED
    assert account.last_checked_at is not None
    assert account.history.first().history_change_reason.startswith("status re-check (http)")
    assert sorted(
        Notification.objects.filter(kind="account_restored", account=account).values_list(
            "user__username", flat=True
        )
    ) == ["administrator", "analyst", "supervisor", "supervisor2"]
    [check] = [r for r in server.requests if r["method"] == "GET"]
    assert check["path"] == "/api/accounts/ttp_media"
    [hook] = [r for r in server.requests if r["method"] == "POST"]
    payload = json.loads(hook["body"])
    assert payload["event"] == "account.restored"
    assert (payload["data"]["account"]["id"], payload["data"]["account"]["status"]) == (
        account.pk,
        "restored",
    )
    assert FlaggedAccount.objects.get(pk=account.pk).status == AccountStatus.RESTORED


def test_no_module_but_the_tasks_module_imports_the_tasks():
    """Services queue tasks by name (core.tasks.enqueue_on_commit): importing takedowns.tasks
    from them would close a circle, since tasks imports the services."""
    import ast
    from pathlib import Path

    import takedowns

    root = Path(takedowns.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        if (path.name == "tasks.py" and path.parent == root) or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""] + [f"{node.module}.{a.name}" for a in node.names]
                if any(n.endswith("tasks") and ("takedowns" in n or node.level) for n in names):
                    offenders.append(str(path.relative_to(root)))
    assert offenders == []
