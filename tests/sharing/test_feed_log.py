"""The feed log (sharing/feeds/log.py through sharing/receivers.py): what a removal, a change,
a restoration and a mirror decision write to the platform's feed."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.choices import AccountStatus, Authority, MirrorStatus
from accounts.models import Designation, MirrorCandidate
from accounts.services import account_create, account_set_status, account_update, mirror_decide
from sharing.choices import SignalAction
from sharing.feeds.log import feed_sync
from sharing.models import SignalEvent
from tests.factories import GroupFactory

pytestmark = pytest.mark.django_db


def _events(account):
    return list(SignalEvent.objects.filter(account=account).order_by("sequence"))


def test_an_account_logged_as_removed_is_added_with_its_groups(remove, platforms):
    group = GroupFactory(name="Lashkar Example")
    account = remove("abu_hamza_media", groups=[group])

    [event] = _events(account)
    assert event.action == SignalAction.ADDED
    assert event.feed.platform.slug == "x"
    assert event.sequence == 1
    # The groups were set after the account's first save: one entry, updated in place.
    assert [g["name"] for g in event.signals["groups"]] == ["Lashkar Example"]


def test_an_active_account_writes_nothing(analyst, platforms):
    account = account_create(user=analyst, value="someone_else", platform="x")
    assert _events(account) == []


def test_restoring_withdraws_and_removing_again_adds(remove, analyst):
    account = remove("abu_hamza_media")
    account_set_status(account=account, user=analyst, status=AccountStatus.REPORTED)
    account.refresh_from_db()
    assert account.status == AccountStatus.RESTORED
    account_set_status(account=account, user=analyst, status=AccountStatus.REMOVED)

    actions = [e.action for e in _events(account)]
    assert actions == [SignalAction.ADDED, SignalAction.WITHDRAWN, SignalAction.ADDED]
    assert [e.sequence for e in _events(account)] == [1, 2, 3]
    withdrawn = _events(account)[1]
    assert withdrawn.signals["handle"] == "abu_hamza_media"  # what the platform should drop
    assert withdrawn.signals["status"] == AccountStatus.RESTORED


@pytest.mark.django_db(transaction=True)
def test_a_change_of_a_listed_account_is_a_changed_entry(remove, analyst, platforms):
    account = remove("abu_hamza_media")
    account_update(account=account, user=analyst, bio="Now at t.me/abuhamza_backup")

    events = _events(account)
    assert [e.action for e in events] == [SignalAction.ADDED, SignalAction.CHANGED]
    assert "tg:abuhamza_backup" in events[1].signals["contacts"]


def test_syncing_twice_writes_nothing_more(remove):
    account = remove("abu_hamza_media")
    with transaction.atomic():
        assert feed_sync(account_id=account.pk) is None
    assert len(_events(account)) == 1


def test_a_confirmed_mirror_is_added_with_its_original(remove, analyst, supervisor, platforms):
    original = remove("abu_hamza_media")
    mirror = account_create(user=analyst, value="abu_hamza_med1a", platform="x")
    candidate, _ = MirrorCandidate.objects.get_or_create(
        account=mirror, removed_account=original, defaults={"score": 0.9}
    )
    assert _events(mirror) == []

    mirror_decide(candidate=candidate, user=supervisor, confirm=True)

    [event] = _events(mirror)
    assert event.action == SignalAction.ADDED
    assert event.signals["mirror_of"]["handle"] == "abu_hamza_media"


def test_a_rejected_pair_withdraws_the_mirror(remove, analyst, supervisor, platforms):
    original = remove("abu_hamza_media")
    mirror = account_create(user=analyst, value="abu_hamza_med1a", platform="x")
    candidate, _ = MirrorCandidate.objects.get_or_create(
        account=mirror, removed_account=original, defaults={"score": 0.9}
    )
    mirror_decide(candidate=candidate, user=supervisor, confirm=True)
    # A later review overturns the link (through the admin: the row's own save).
    candidate.status = MirrorStatus.REJECTED
    candidate.save()

    assert [e.action for e in _events(mirror)] == [SignalAction.ADDED, SignalAction.WITHDRAWN]


def test_feeds_are_per_platform_with_their_own_sequence(remove):
    remove("abu_hamza_media", "x")
    remove("abuhamza_channel", "telegram")
    remove("abu_hamza_news", "x")
    by_platform = {
        (e.feed.platform.slug, e.sequence)
        for e in SignalEvent.objects.select_related("feed__platform")
    }
    assert by_platform == {("x", 1), ("x", 2), ("telegram", 1)}


def test_a_group_given_a_listed_account_from_its_side_changes_its_entry(remove, analyst):
    listed = remove("abu_hamza_media")
    active = account_create(user=analyst, value="someone_else", platform="x")
    group = GroupFactory(name="Front Example")

    group.accounts.add(listed, active)

    [event] = _events(listed)
    assert [g["name"] for g in event.signals["groups"]] == ["Front Example"]
    assert _events(active) == []


def _designate(group, record: str = "QDe.001"):
    return Designation.objects.create(
        group=group, authority=Authority.UN, reference=record, source_record_id=record
    )


@pytest.mark.django_db(transaction=True)
def test_a_designation_of_a_group_changes_its_listed_accounts_entries(remove, analyst):
    group = GroupFactory(name="Front Example")
    listed = remove("abu_hamza_media", groups=[group])
    active = account_create(user=analyst, value="someone_else", platform="x", groups=[group])

    designation = _designate(group)

    events = _events(listed)
    assert [e.action for e in events] == [SignalAction.ADDED, SignalAction.CHANGED]
    assert [d["reference"] for d in events[1].signals["groups"][0]["designations"]] == ["QDe.001"]
    assert events[1].reason == "designation"
    assert _events(active) == []

    designation.delete()

    events = _events(listed)
    assert [e.action for e in events][-1] == SignalAction.CHANGED
    assert events[-1].signals["groups"][0]["designations"] == []


def _queries_of_designating(group, record) -> int:
    with CaptureQueriesContext(connection) as captured:
        _designate(group, record)
    return len(captured)


def test_a_designation_costs_the_same_queries_however_many_unlisted_accounts(remove, analyst):
    small, large = GroupFactory(name="Small Front"), GroupFactory(name="Large Front")
    remove("abu_hamza_media", groups=[small])
    remove("abu_hamza_news", groups=[large])
    for n in range(6):
        account_create(user=analyst, value=f"someone_{n}", platform="x", groups=[large])

    assert _queries_of_designating(small, "QDe.010") == _queries_of_designating(large, "QDe.011")


@pytest.mark.django_db(transaction=True)  # the removals' entries are other transactions'
def test_a_designation_costs_the_same_queries_however_many_listed_accounts(remove, analyst):
    small, large = GroupFactory(name="Small Front"), GroupFactory(name="Large Front")
    remove("abu_hamza_media", groups=[small])
    for n in range(8):
        remove(f"hamza_news_{n}", groups=[large])

    assert _queries_of_designating(small, "QDe.010") == _queries_of_designating(large, "QDe.011")
    changed = SignalEvent.objects.filter(account__groups=large, reason="designation")
    assert changed.count() == 8  # every listed account got its new labels


@pytest.mark.django_db(transaction=True)
def test_clearing_a_groups_accounts_changes_the_listed_ones(remove, analyst):
    group = GroupFactory(name="Front Example")
    listed = remove("abu_hamza_media", groups=[group])
    active = account_create(user=analyst, value="someone_else", platform="x", groups=[group])

    group.accounts.clear()

    events = _events(listed)
    assert [e.action for e in events] == [SignalAction.ADDED, SignalAction.CHANGED]
    assert events[1].signals["groups"] == []
    assert _events(active) == []
