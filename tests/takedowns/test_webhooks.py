import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from core.errors import NotAllowed
from takedowns import services
from takedowns.choices import RequestStatus, WebhookEvent
from takedowns.models import WebhookDelivery
from takedowns.webhooks import delivery as sending
from takedowns.webhooks import publish, signing
from tests.factories import WebhookSubscriptionFactory, submitted_takedown
from tracker.models import OutboxMessage

pytestmark = pytest.mark.django_db
SECRET = "whsec-unit"


def subscription(owner, url="https://hooks.example.org/t", events=("account.restored",), **kw):
    return WebhookSubscriptionFactory(
        url=url, secret=SECRET, events=list(events), created_by=owner, **kw
    )


def publish_one(owner, url):
    subscription(owner, url)
    [delivery] = publish.webhook_publish(event="account.restored", data={"x": 1}, key="k1")
    return delivery


def test_signature_is_hmac_sha256_of_timestamp_and_body():
    body = b'{"event":"takedown.overdue"}'

    header = signing.webhook_signature(secret=SECRET, timestamp=1700000000, body=body)

    expected = hmac.new(SECRET.encode(), b"1700000000." + body, hashlib.sha256).hexdigest()
    assert header == f"t=1700000000,v1={expected}"


@pytest.mark.parametrize(
    ("secret", "body", "now", "valid"),
    [
        (SECRET, b"{}", 1700000100, True),
        ("wrong", b"{}", 1700000100, False),
        (SECRET, b"{ }", 1700000100, False),  # body changed
        (SECRET, b"{}", 1700000400, False),  # replayed after the tolerance
    ],
)
def test_signature_verifies_only_the_same_body_secret_and_recent_time(secret, body, now, valid):
    header = signing.webhook_signature(secret=SECRET, timestamp=1700000000, body=b"{}")

    assert (
        signing.webhook_signature_verify(
            secret=secret, header=header, body=body, tolerance=300, now=now
        )
        is valid
    )


def test_malformed_signature_header_does_not_verify():
    assert not signing.webhook_signature_verify(secret=SECRET, header="v1=abc", body=b"{}")


def test_publish_reaches_only_active_subscriptions_to_that_event_and_only_once(administrator):
    wanted = subscription(administrator)
    subscription(administrator, events=["takedown.overdue"])
    subscription(administrator, is_active=False)

    first = publish.webhook_publish(event="account.restored", data={"a": 1}, key="same")
    again = publish.webhook_publish(event="account.restored", data={"a": 1}, key="same")

    assert [d.subscription for d in first] == [wanted]
    assert again == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.payload == {
        "id": str(delivery.event_id),
        "event": "account.restored",
        "created_at": delivery.payload["created_at"],
        "data": {"a": 1},
    }
    assert OutboxMessage.objects.get().args == [delivery.pk]


def test_status_change_through_a_service_publishes_status_changed(administrator, supervisor):
    subscription(administrator, events=[WebhookEvent.REQUEST_STATUS_CHANGED])
    takedown = submitted_takedown(supervisor=supervisor, due_in=timedelta(hours=30))

    services.takedown_acknowledge(takedown=takedown, user=supervisor, ticket="X-1")

    data = WebhookDelivery.objects.get().payload["data"]
    assert (data["from_status"], data["to_status"], data["actor"]) == (
        RequestStatus.SUBMITTED,
        RequestStatus.ACKNOWLEDGED,
        "supervisor",
    )
    assert data["takedown"]["platform_ticket"] == "X-1"
    assert data["details"] == {"action": "acknowledge", "ticket": "X-1"}


def test_successful_delivery_is_signed_and_recorded(administrator, http_server):
    receiver = http_server(statuses=(202,), body={"thanks": True})
    delivery = publish_one(administrator, receiver.url + "/in")

    outcome = sending.webhook_deliver(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert outcome == sending.DeliveryOutcome("succeeded")
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("succeeded", 1, 202)
    assert json.loads(delivery.last_response) == {"thanks": True}
    assert delivery.delivered_at is not None and delivery.next_attempt_at is None
    [request] = receiver.requests
    assert json.loads(request["body"]) == delivery.payload
    assert signing.webhook_signature_verify(
        secret=SECRET, header=request["headers"]["X-Tracker-Signature"], body=request["body"]
    )


def test_failed_delivery_is_retried_later_with_exponential_backoff(
    administrator, http_server, settings
):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 30
    receiver = http_server(statuses=(503,))
    delivery = publish_one(administrator, receiver.url)

    before = timezone.now()
    first = sending.webhook_deliver(delivery_id=delivery.pk)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    second = sending.webhook_deliver(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert (first, second) == (
        sending.DeliveryOutcome("pending", 30),
        sending.DeliveryOutcome("pending", 60),
    )
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 2, 503)
    assert before + timedelta(seconds=60) <= delivery.next_attempt_at
    assert delivery.next_attempt_at <= timezone.now() + timedelta(seconds=60)


def test_delivery_not_yet_due_is_left_for_later(administrator, http_server):
    receiver = http_server()
    delivery = publish_one(administrator, receiver.url)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() + timedelta(minutes=5)
    )

    assert sending.webhook_deliver(delivery_id=delivery.pk).status == "not_due"
    assert receiver.requests == []


def test_unreachable_receiver_records_the_error_and_retries(administrator, settings):
    from tests.workers import free_port

    delivery = publish_one(administrator, f"http://127.0.0.1:{free_port()}/")

    outcome = sending.webhook_deliver(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert outcome.status == "pending"
    assert delivery.last_status_code is None
    assert delivery.last_error.startswith("ConnectionError")


def test_delivery_gives_up_after_a_day_of_attempts(administrator, http_server):
    receiver = http_server(statuses=(500,))
    delivery = publish_one(administrator, receiver.url)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        attempts=sending.webhook_max_attempts() - 1
    )

    assert sending.webhook_deliver(delivery_id=delivery.pk) == sending.DeliveryOutcome("failed")
    delivery.refresh_from_db()
    assert (delivery.status, delivery.next_attempt_at) == ("failed", None)


def test_default_backoff_spans_one_day(settings):
    delays = [sending.webhook_backoff(n) for n in range(1, sending.webhook_max_attempts())]

    assert delays[:4] == [30, 60, 120, 240]
    assert max(delays) == 6 * 3600
    assert sum(delays) <= 24 * 3600 < sum(delays) + 6 * 3600
    assert sending.webhook_max_attempts() == 13  # the last one about 20.5 h after the first


def test_private_address_is_refused_in_production_without_a_request(administrator, settings):
    settings.OUTBOUND_ALLOW_PRIVATE = False
    delivery = publish_one(administrator, "http://127.0.0.1:9/hook")

    assert sending.webhook_deliver(delivery_id=delivery.pk).status == "failed"
    delivery.refresh_from_db()
    assert "non-public address 127.0.0.1" in delivery.last_error


def test_deliveries_due_lists_only_pending_ones_whose_time_came(administrator):
    subscription(administrator)
    due, later, done = (
        publish.webhook_publish(event="account.restored", data={}, key=k)[0]
        for k in ("a", "b", "c")
    )
    now = timezone.now()
    WebhookDelivery.objects.filter(pk=later.pk).update(next_attempt_at=now + timedelta(hours=1))
    WebhookDelivery.objects.filter(pk=done.pk).update(status="succeeded")

    assert sending.webhook_deliveries_due(now=now) == [due.pk]


def test_replay_restarts_a_failed_delivery_and_needs_permission(administrator, analyst):
    subscription(administrator)
    [delivery] = publish.webhook_publish(event="account.restored", data={}, key="r")
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status="failed", attempts=14, next_attempt_at=None, last_error="HTTP 500"
    )

    with pytest.raises(NotAllowed):
        sending.webhook_delivery_replay(delivery=delivery, user=analyst)
    replayed = sending.webhook_delivery_replay(delivery=delivery, user=administrator)

    assert (replayed.status, replayed.attempts, replayed.last_error) == ("pending", 0, "")
    assert replayed.next_attempt_at is not None
    assert OutboxMessage.objects.filter(args=[delivery.pk]).count() == 2
