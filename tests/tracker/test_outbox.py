from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from kombu import pools
from kombu.exceptions import OperationalError

from takedowns import services
from takedowns.choices import WebhookEvent
from takedowns.models import WebhookDelivery
from takedowns.tasks import deadline_sweep_task
from tests.factories import UserFactory, WebhookSubscriptionFactory, submitted_takedown
from tests.workers import PrivateRedis, wait_for
from tracker import outbox
from tracker.celery import app as celery_app
from tracker.models import OutboxMessage
from tracker.roles import ADMINISTRATOR, SUPERVISOR
from tracker.tasks import outbox_drain_task


@pytest.fixture
def sent(monkeypatch):
    """Record what would reach the broker instead of sending it."""
    calls = []
    monkeypatch.setattr(outbox, "_send", lambda message: calls.append(message.task_name))
    return calls


@pytest.fixture
def broker_down(monkeypatch):
    def refuse(message):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6399. Connection refused.")

    monkeypatch.setattr(outbox, "_send", refuse)


@pytest.mark.django_db(transaction=True)
def test_delay_on_commit_writes_the_outbox_and_publishes_only_after_commit(sent):
    with transaction.atomic():
        deadline_sweep_task.delay_on_commit(batch_size=7)
        message = OutboxMessage.objects.get()
        assert (message.task_name, message.kwargs) == (
            "takedowns.tasks.deadline_sweep_task",
            {"batch_size": 7},
        )
        assert sent == []

    assert sent == ["takedowns.tasks.deadline_sweep_task"]
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_rolled_back_transaction_leaves_no_task(sent):
    with pytest.raises(RuntimeError), transaction.atomic():
        deadline_sweep_task.delay_on_commit()
        raise RuntimeError("the user's request failed")

    assert (sent, OutboxMessage.objects.count()) == ([], 0)


@pytest.mark.django_db(transaction=True)
def test_broker_outage_keeps_the_task_in_the_outbox_without_failing_the_caller(broker_down):
    with transaction.atomic():
        deadline_sweep_task.delay_on_commit()

    message = OutboxMessage.objects.get()
    assert message.attempts == 1
    assert "Connection refused" in message.last_error


def test_unknown_publish_options_are_refused():
    with pytest.raises(ValueError, match="eta"):
        outbox.outbox_enqueue(task_name="x", options={"eta": "tomorrow"})


@pytest.mark.django_db
def test_drain_publishes_failed_and_forgotten_messages_but_not_fresh_ones(sent, settings):
    settings.OUTBOX_GRACE_SECONDS = 30
    now = timezone.now()
    failed = OutboxMessage.objects.create(task_name="a", attempts=1)
    forgotten = OutboxMessage.objects.create(task_name="b", created_at=now - timedelta(minutes=1))
    fresh = OutboxMessage.objects.create(task_name="c", created_at=now)

    assert outbox.outbox_drain(now=now) == 2

    assert sent == ["a", "b"]
    assert list(OutboxMessage.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not OutboxMessage.objects.filter(pk__in=[failed.pk, forgotten.pk]).exists()


@pytest.mark.django_db
def test_drain_stops_at_the_first_broker_error_and_keeps_the_rest(broker_down):
    OutboxMessage.objects.create(task_name="a", attempts=1)
    OutboxMessage.objects.create(task_name="b", attempts=1)

    assert outbox.outbox_drain() == 0

    assert list(OutboxMessage.objects.order_by("pk").values_list("attempts", flat=True)) == [2, 1]


@contextmanager
def publishing_to(url):
    """Point this process's Celery producer at another broker, and back afterwards."""
    saved = celery_app.conf.broker_url

    def reset(to):
        pools.reset()  # close the pooled connections to the old broker
        celery_app.conf.broker_url = to
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    reset(url)
    try:
        yield
    finally:
        reset(saved)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_enqueue_during_a_redis_outage_is_delivered_after_redis_returns(
    tmp_path, broker, start_worker, http_server
):
    # A redis-server of our own, so that the shared one is never stopped.
    private = PrivateRedis(tmp_path).start()
    try:
        receiver = http_server()
        WebhookSubscriptionFactory(
            url=receiver.url,
            events=[WebhookEvent.REQUEST_STATUS_CHANGED],
            created_by=UserFactory(username="administrator", role=ADMINISTRATOR),
        )
        boss = UserFactory(username="supervisor", role=SUPERVISOR)
        takedown = submitted_takedown(supervisor=boss, due_in=timedelta(hours=40))
        start_worker(redis_url=private.url)

        with publishing_to(private.url):
            private.stop()
            # The user's action succeeds while Redis is down...
            acknowledged = services.takedown_acknowledge(takedown=takedown, user=boss, ticket="T-9")
            assert acknowledged.status == "acknowledged"
            delivery = WebhookDelivery.objects.get()
            message = OutboxMessage.objects.get()
            assert (message.task_name, message.args, message.attempts) == (
                "takedowns.tasks.webhook_deliver_task",
                [delivery.pk],
                1,
            )

            # ...and once Redis is back, the next outbox drain (a beat tick) delivers it.
            private.start()
            outbox_drain_task.delay()
            wait_for(
                lambda: WebhookDelivery.objects.filter(pk=delivery.pk, status="succeeded").exists(),
                timeout=90,
                what="the delivery after the outage",
            )
        assert not OutboxMessage.objects.exists()
        assert len(receiver.requests) == 1
        assert receiver.requests[0]["headers"]["X-Tracker-Delivery"] == str(delivery.event_id)
    finally:
        private.stop()
