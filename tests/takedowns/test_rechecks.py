from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.choices import AccountStatus, AdapterKind
from accounts.services import account_set_status
from takedowns import rechecks
from takedowns.adapters import AccountCheck, AdapterError, PlatformAdapter, RateLimited
from takedowns.models import Notification, WebhookDelivery
from tests.factories import AccountFactory, PlatformFactory, WebhookSubscriptionFactory

pytestmark = pytest.mark.django_db


class ScriptedAdapter(PlatformAdapter):
    """Answers from a dict of account id -> status or exception."""

    name = "scripted"
    supports_checks = True

    def __init__(self, platform, answers):
        super().__init__(platform)
        self.answers = answers
        self.asked = []

    def check_account(self, account):
        self.asked.append(account.pk)
        answer = self.answers.get(account.pk, AccountStatus.ACTIVE)
        if isinstance(answer, Exception):
            raise answer
        return AccountCheck(status=answer, detail=f"says {answer}")


@pytest.fixture
def platform():
    return PlatformFactory(
        slug="x", adapter=AdapterKind.HTTP, adapter_config={"base_url": "http://x"}
    )


def recheck(account, answer):
    adapter = ScriptedAdapter(account.platform, {account.pk: answer})
    return rechecks.account_recheck(account_id=account.pk, adapter=adapter)


def test_removed_account_seen_again_is_restored_and_alerts(
    platform, supervisor, supervisor2, analyst, administrator
):
    WebhookSubscriptionFactory(events=["account.restored"], created_by=administrator)
    account = AccountFactory(platform=platform, status=AccountStatus.REMOVED, flagged_by=analyst)

    assert recheck(account, AccountStatus.ACTIVE) == AccountStatus.RESTORED

    account.refresh_from_db()
    assert account.status == AccountStatus.RESTORED
    assert account.last_checked_at is not None
    assert (
        account.history.first().history_change_reason == "status re-check (scripted): says active"
    )
    assert sorted(
        Notification.objects.filter(kind="account_restored").values_list(
            "user__username", flat=True
        )
    ) == ["administrator", "analyst", "supervisor", "supervisor2"]
    delivery = WebhookDelivery.objects.get()
    assert delivery.event == "account.restored"
    assert delivery.payload["data"]["account"]["status"] == "restored"


def test_restoring_twice_alerts_once_but_a_new_removal_alerts_again(platform, supervisor):
    account = AccountFactory(platform=platform, status=AccountStatus.REMOVED)

    recheck(account, AccountStatus.ACTIVE)
    recheck(account, AccountStatus.ACTIVE)
    assert Notification.objects.filter(kind="account_restored").count() == 1

    account.refresh_from_db()
    account_set_status(account=account, user=None, status=AccountStatus.REMOVED)
    recheck(account, AccountStatus.ACTIVE)
    assert Notification.objects.filter(kind="account_restored").count() == 2


def test_a_person_marking_a_removed_account_active_raises_the_same_alert(platform, supervisor):
    account = AccountFactory(platform=platform, status=AccountStatus.REMOVED)

    account_set_status(account=account, user=supervisor, status=AccountStatus.ACTIVE)

    assert Notification.objects.filter(kind="account_restored", account=account).count() == 1


@pytest.mark.parametrize(
    ("current", "observed", "recorded"),
    [
        (AccountStatus.REPORTED, AccountStatus.ACTIVE, None),  # still up: still reported
        (AccountStatus.REPORTED, AccountStatus.REMOVED, AccountStatus.REMOVED),
        (AccountStatus.REPORTED, AccountStatus.SUSPENDED, AccountStatus.SUSPENDED),
        (AccountStatus.REMOVED, AccountStatus.REMOVED, None),
        (AccountStatus.REMOVED, AccountStatus.RESTRICTED, AccountStatus.RESTORED),
        (AccountStatus.RESTRICTED, AccountStatus.ACTIVE, AccountStatus.ACTIVE),
    ],
)
def test_recheck_records_only_real_changes(platform, current, observed, recorded):
    account = AccountFactory(platform=platform, status=current)
    versions = account.history.count()

    assert recheck(account, observed) == recorded

    account.refresh_from_db()
    assert account.status == (recorded or current)
    assert account.history.count() == versions + (1 if recorded else 0)
    assert account.last_checked_at is not None


def test_adapter_error_records_nothing(platform):
    account = AccountFactory(platform=platform, status=AccountStatus.REPORTED)

    with pytest.raises(AdapterError):
        recheck(account, AdapterError("timeout"))

    account.refresh_from_db()
    assert (account.status, account.last_checked_at) == (AccountStatus.REPORTED, None)


def test_only_platforms_with_an_automatic_adapter_are_rechecked(platform):
    PlatformFactory(slug="telegram")  # manual
    PlatformFactory(slug="tiktok", adapter=AdapterKind.HTTP, is_active=False)

    assert rechecks.recheck_platforms() == [platform.pk]


def test_due_accounts_are_reported_or_removed_ones_not_checked_lately(platform, settings):
    settings.ACCOUNT_RECHECK_AFTER_HOURS = 6
    now = timezone.now()
    never = AccountFactory(platform=platform, status=AccountStatus.REMOVED)
    stale = AccountFactory(
        platform=platform, status=AccountStatus.REPORTED, last_checked_at=now - timedelta(hours=7)
    )
    AccountFactory(platform=platform, status=AccountStatus.REPORTED, last_checked_at=now)
    AccountFactory(platform=platform, status=AccountStatus.ACTIVE)

    assert rechecks.accounts_due_for_recheck(platform=platform, now=now) == [never.pk, stale.pk]


def test_platform_recheck_stops_when_the_rate_limit_is_spent(platform, monkeypatch):
    first, second, third = (
        AccountFactory(platform=platform, status=AccountStatus.REPORTED) for _ in range(3)
    )
    adapter = ScriptedAdapter(
        platform,
        {second.pk: AccountStatus.REMOVED, third.pk: RateLimited("spent", retry_after=12)},
    )
    monkeypatch.setattr(rechecks, "adapter_for", lambda p: adapter)

    result = rechecks.platform_recheck(platform_id=platform.pk)

    assert (result.checked, result.changed, result.rate_limited) == (2, 1, True)
    assert adapter.asked == [first.pk, second.pk, third.pk]


def test_platform_recheck_goes_on_past_a_failing_account(platform, monkeypatch):
    broken, fine = (
        AccountFactory(platform=platform, status=AccountStatus.REPORTED) for _ in range(2)
    )
    adapter = ScriptedAdapter(
        platform, {broken.pk: AdapterError("HTTP 500"), fine.pk: AccountStatus.SUSPENDED}
    )
    monkeypatch.setattr(rechecks, "adapter_for", lambda p: adapter)

    result = rechecks.platform_recheck(platform_id=platform.pk)

    assert (result.checked, result.changed, result.errors) == (1, 1, 1)
