"""A bulk create writes without per-row signals: what they guarantee is still written, in the
same transaction (history with its group links, the watch list and the feed of removed rows)."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts import services
from accounts.choices import AccountStatus
from accounts.models import FlaggedAccount, WatchSignal
from core.errors import DomainError
from sharing.choices import SignalAction
from sharing.feeds.log import feed_for, feed_sync_many
from sharing.models import SignalEvent
from sharing.signals import account_signals
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


def _removed_rows(count: int, prefix: str) -> list[dict]:
    return [
        {
            "handle": f"@{prefix}_{i:03d}",
            "platform": ("x", "telegram")[i % 2],
            "status": "removed",
            "groups": "Tehrik-e-Example",
        }
        for i in range(count)
    ]


def _feed_queries(analyst, rows) -> int:
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        created = services.accounts_bulk_create(user=analyst, rows=rows).created
        ids = [a.pk for a in created]
        SignalEvent.objects.filter(account_id__in=ids).delete()
        start = len(queries)
        feed_sync_many(account_ids=ids, reason="recorded as removed")
        return len(queries) - start


def test_a_bulk_batch_writes_its_feed_entries_in_a_fixed_number_of_queries(
    analyst, platforms, group
):
    feed_for(platforms["x"]), feed_for(platforms["telegram"])
    few = _feed_queries(analyst, _removed_rows(4, "few"))
    many = _feed_queries(analyst, _removed_rows(40, "many"))

    # One account at a time cost about nine queries each; a batch costs the same for 4 or 40.
    assert many == few <= 12


def test_bulk_entries_follow_each_feed_and_match_the_one_at_a_time_signals(
    analyst, platforms, group
):
    created = services.accounts_bulk_create(user=analyst, rows=_removed_rows(9, "gone")).created

    for slug in ("x", "telegram"):
        events = list(SignalEvent.objects.filter(feed__platform__slug=slug).order_by("sequence"))
        mine = [a for a in created if a.platform.slug == slug]
        assert [e.sequence for e in events] == list(range(1, len(mine) + 1))
        assert feed_for(platforms[slug]).last_sequence == len(mine)
        assert {e.account_id for e in events} == {a.pk for a in mine}
        assert {e.action for e in events} == {SignalAction.ADDED}
    for event in SignalEvent.objects.select_related("account"):
        account = FlaggedAccount.objects.get(pk=event.account_id)
        assert event.signals == account_signals(account)
        assert event.signals["groups"][0]["name"] == "Tehrik-e-Example"
    # Already up to date: nothing more is written.
    assert feed_sync_many(account_ids=[a.pk for a in created]) == []


def test_bulk_sync_withdraws_what_left_the_feed(analyst, platforms, group):
    created = services.accounts_bulk_create(user=analyst, rows=_removed_rows(4, "back")).created
    restored = created[0]
    FlaggedAccount.objects.filter(pk=restored.pk).update(status=AccountStatus.ACTIVE)

    written = feed_sync_many(account_ids=[a.pk for a in created], reason="restored")

    assert [(e.account_id, e.action) for e in written] == [(restored.pk, SignalAction.WITHDRAWN)]
    assert written[0].signals["status"] == AccountStatus.ACTIVE
