import pytest

from accounts.choices import AccountStatus
from accounts.services import account_create
from takedowns.models import WebhookDelivery
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
