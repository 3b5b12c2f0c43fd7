"""A bulk create writes without per-row signals: what they guarantee is still written, in the
same transaction (history with its group links, the watch list and the feed of removed rows)."""

import pytest
from django.db import transaction

from accounts import services
from accounts.choices import AccountStatus
from accounts.models import FlaggedAccount, WatchSignal
from core.errors import DomainError
from sharing.choices import SignalAction
from sharing.feeds.log import feed_for
from sharing.models import SignalEvent
from tests.factories import GroupFactory

pytestmark = pytest.mark.django_db

ROWS = [
    {"handle": "@still_posting", "platform": "x", "notes": "tab\there\nand a \\ backslash"},
    {"handle": "@gone_now", "platform": "x", "status": "removed", "groups": "Tehrik-e-Example"},
]


@pytest.fixture
def group():
    return GroupFactory(name="Tehrik-e-Example")


def test_history_records_copy_the_account_and_its_group_links(analyst, platforms, group):
    result = services.accounts_bulk_create(user=analyst, rows=ROWS, reason="monthly list")

    active, removed = result.created
    assert active.notes == "tab\there\nand a \\ backslash"
    assert FlaggedAccount.objects.get(pk=active.pk).notes == active.notes
    record = removed.history.get()
    assert record.history_type == "+" and record.history_user == analyst
    assert record.history_change_reason == "monthly list"
    assert (record.handle, record.status, record.removed_at) == (
        "gone_now",
        AccountStatus.REMOVED,
        FlaggedAccount.objects.get(pk=removed.pk).removed_at,
    )
    assert record.created_at == FlaggedAccount.objects.get(pk=removed.pk).created_at
    assert [g.proscribedgroup_id for g in record.groups.all()] == [group.pk]
    assert list(removed.groups.all()) == [group]


def test_removed_rows_reach_the_watch_list_and_the_feed(analyst, platforms, group):
    feed_for(platforms["x"])

    active, removed = services.accounts_bulk_create(user=analyst, rows=ROWS).created

    [event] = SignalEvent.objects.all()
    assert event.account_id == removed.pk and event.action == SignalAction.ADDED
    assert event.signals["handle"] == "gone_now"
    assert WatchSignal.objects.filter(account=removed).exists()
    assert not WatchSignal.objects.filter(account=active).exists()


def test_a_refused_import_leaves_no_feed_entry(analyst, platforms, group):
    rows = [*ROWS[1:], {"handle": "not a handle", "platform": "x"}]

    with pytest.raises(DomainError), transaction.atomic():
        services.accounts_bulk_create(user=analyst, rows=rows)

    assert not SignalEvent.objects.exists() and not FlaggedAccount.objects.exists()


def test_a_big_import_keeping_nothing_counts_every_row(analyst, platforms):
    rows = [{"handle": f"@list_{i:04d}", "platform": "telegram"} for i in range(2_345)]

    result = services.accounts_bulk_create(user=analyst, rows=rows, keep=False)

    assert result.count == 2_345 and result.created == []
    assert FlaggedAccount.objects.count() == 2_345
    assert FlaggedAccount.history.count() == 2_345
