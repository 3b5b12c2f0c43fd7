"""Sequence numbers follow commit order on the real PostgreSQL: a writer that would take the
next number waits while another transaction holds the feed, so a reader's cursor never passes
an entry that commits later (sharing/feeds/log.py)."""

import threading

import pytest
from django.db import connection, connections, transaction

from accounts.choices import AccountStatus
from accounts.services import account_create, account_set_status
from sharing.feeds.log import feed_for
from sharing.feeds.pages import feed_entries
from sharing.models import SignalEvent

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_second_writer_waits_for_the_first_to_commit(analyst, platforms):
    if connection.vendor != "postgresql":
        pytest.fail("this test needs PostgreSQL's row locks")
    feed = feed_for(platforms["x"])
    first = account_create(user=analyst, value="first_removed", platform="x")
    second = account_create(user=analyst, value="second_removed", platform="x")
    holding, release = threading.Event(), threading.Event()
    errors = []

    def remove(account, *, hold: bool):
        try:
            with transaction.atomic():
                account_set_status(account=account, user=analyst, status=AccountStatus.REMOVED)
                if hold:
                    holding.set()
                    release.wait(10)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    writer_1 = threading.Thread(target=remove, args=(first,), kwargs={"hold": True})
    writer_1.start()
    assert holding.wait(10)
    writer_2 = threading.Thread(target=remove, args=(second,), kwargs={"hold": False})
    writer_2.start()
    writer_2.join(1)
    # The second writer is blocked on the feed's row; a reader sees no entry yet.
    assert writer_2.is_alive()
    assert feed_entries(feed=feed, cursor=0, limit=10)[0] == []

    release.set()
    writer_1.join(10)
    writer_2.join(10)

    assert errors == []
    events = list(SignalEvent.objects.filter(feed=feed).order_by("sequence"))
    assert [(e.sequence, e.account_id) for e in events] == [(1, first.pk), (2, second.pk)]
