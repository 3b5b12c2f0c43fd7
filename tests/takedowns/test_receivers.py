import pytest
from django.db import transaction

from accounts.choices import AccountStatus
from accounts.models import MirrorCandidate
from accounts.services import account_create, account_update
from accounts.signals import mirror_detected
from takedowns.models import Notification, WebhookDelivery
from tests.factories import AccountFactory, PlatformFactory, WebhookSubscriptionFactory

pytestmark = pytest.mark.django_db


def test_new_mirror_suggestion_publishes_mirror_detected_once(analyst, administrator):
    WebhookSubscriptionFactory(events=["account.mirror_detected"], created_by=administrator)
    platform = PlatformFactory(slug="x")
    removed = AccountFactory(platform=platform, handle="ttp_official", status=AccountStatus.REMOVED)

    mirror = account_create(user=analyst, value="ttp_official", platform=platform)

    delivery = WebhookDelivery.objects.get()
    assert delivery.event == "account.mirror_detected"
    data = delivery.payload["data"]
    assert (data["account"]["id"], data["removed_account"]["id"]) == (mirror.pk, removed.pk)
    assert data["candidate"]["score"] >= 0.7


@pytest.fixture
def mirror_world(analyst, supervisor, supervisor2, administrator):
    """A removed Telegram channel, a subscriber to mirror.detected, and the supervisors."""
    WebhookSubscriptionFactory(events=["mirror.detected"], created_by=administrator)
    platform = PlatformFactory(slug="telegram", name="Telegram")
    removed = AccountFactory(platform=platform, handle="sada_e_haq", status=AccountStatus.REMOVED)
    return platform, removed


def _strong_deliveries():
    return list(WebhookDelivery.objects.filter(event="mirror.detected"))


def test_a_strong_mirror_notifies_each_supervisor_once_and_raises_mirror_detected(
    mirror_world,
    analyst,
    supervisor,
    supervisor2,
    administrator,
    django_capture_on_commit_callbacks,
):
    platform, removed = mirror_world

    with django_capture_on_commit_callbacks(execute=True):
        mirror = account_create(user=analyst, value="sada_e_h4q", platform=platform)

    candidate = MirrorCandidate.objects.get(account=mirror)
    assert candidate.strong
    notified = Notification.objects.filter(kind="mirror_detected")
    assert sorted(n.user.username for n in notified) == [
        "administrator",
        "supervisor",
        "supervisor2",
    ]
    assert {n.account_id for n in notified} == {mirror.pk}
    assert "sada_e_haq" in notified.first().title
    (delivery,) = _strong_deliveries()
    assert delivery.payload["data"]["candidate"]["id"] == candidate.pk
    assert delivery.payload["data"]["removed_account"]["id"] == removed.pk


def test_a_strong_mirror_is_never_announced_twice(
    mirror_world, analyst, django_capture_on_commit_callbacks
):
    platform, _removed = mirror_world
    with django_capture_on_commit_callbacks(execute=True):
        mirror = account_create(user=analyst, value="sada_e_h4q", platform=platform)
    candidate = MirrorCandidate.objects.get(account=mirror)

    with django_capture_on_commit_callbacks(execute=True):
        # Scored again (a new bio), and the signal repeated by hand.
        account_update(account=mirror, user=analyst, bio="new bio")
        mirror_detected.send(sender=MirrorCandidate, candidate_id=candidate.pk)

    assert Notification.objects.filter(kind="mirror_detected").count() == 3
    assert len(_strong_deliveries()) == 1


def test_a_weak_mirror_notifies_nobody(
    mirror_world, analyst, settings, django_capture_on_commit_callbacks
):
    platform, _removed = mirror_world
    settings.MIRROR_STRONG_SCORE = 0.9999

    with django_capture_on_commit_callbacks(execute=True):
        mirror = account_create(user=analyst, value="sada_e_h4q", platform=platform)

    assert MirrorCandidate.objects.get(account=mirror).strong is False
    assert not Notification.objects.filter(kind="mirror_detected").exists()
    assert _strong_deliveries() == []


def test_nothing_is_announced_when_the_account_is_rolled_back(
    mirror_world, analyst, django_capture_on_commit_callbacks
):
    platform, _removed = mirror_world

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        account_create(user=analyst, value="sada_e_h4q", platform=platform)
        raise RuntimeError

    assert callbacks == []
    assert not Notification.objects.filter(kind="mirror_detected").exists()
    assert _strong_deliveries() == []
