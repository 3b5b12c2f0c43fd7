"""Mirror metrics on a small hand-made history, every figure worked out by hand below."""

from datetime import UTC, datetime, timedelta

import pytest

from accounts.choices import AccountStatus, MirrorStatus
from accounts.mirror_selectors import mirror_metrics, mirror_queue_neighbours
from accounts.models import FlaggedAccount, MirrorCandidate
from tests.factories import (
    AccountFactory,
    GroupFactory,
    MirrorCandidateFactory,
    RemovedAccountFactory,
)

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 5, 1, tzinfo=UTC)


def hours(n: float) -> datetime:
    return T0 + timedelta(hours=n)


def account(platform, group, *, seen, removed=None, mirror_of=None, handle):
    created = AccountFactory(
        platform=platform,
        handle=handle,
        mirror_of=mirror_of,
        status=AccountStatus.REMOVED if removed is not None else AccountStatus.ACTIVE,
        watchlist=False,
    )
    created.groups.set([group])
    FlaggedAccount.objects.filter(pk=created.pk).update(first_seen_at=seen, removed_at=removed)
    return created


def confirmed(mirror, original, *, detected):
    candidate = MirrorCandidate.objects.create(
        account=mirror, removed_account=original, score=0.95, status=MirrorStatus.CONFIRMED
    )
    MirrorCandidate.objects.filter(pk=candidate.pk).update(created_at=detected)


@pytest.fixture
def history(platforms):
    """
    A  (X, TTP)         removed at 0 h
    A2 (Telegram, TTP)  mirror of A, seen 2 h, detected 3 h, removed 13 h
    A3 (Telegram, TTP)  mirror of A2, seen 17 h (4 h after A2's removal)
    B  (X, LeT)         removed at 0 h
    B2 (X, LeT)         mirror of B, seen 6 h, detected 6 h, removed 30 h
    C  (X, LeT)         removed at 0 h; D, its mirror, was seen an hour BEFORE (not a
                        reappearance, but C -> D is still a chain)
    """
    x, telegram = platforms["x"], platforms["telegram"]
    ttp, let = GroupFactory(name="TTP"), GroupFactory(name="LeT")
    a = account(x, ttp, seen=hours(-50), removed=hours(0), handle="a")
    a2 = account(telegram, ttp, seen=hours(2), removed=hours(13), mirror_of=a, handle="a2")
    a3 = account(telegram, ttp, seen=hours(17), mirror_of=a2, handle="a3")
    b = account(x, let, seen=hours(-50), removed=hours(0), handle="b")
    b2 = account(x, let, seen=hours(6), removed=hours(30), mirror_of=b, handle="b2")
    c = account(x, let, seen=hours(-50), removed=hours(0), handle="c")
    d = account(x, let, seen=hours(-1), mirror_of=c, handle="d")
    confirmed(a2, a, detected=hours(3))
    confirmed(b2, b, detected=hours(6))
    return {"ttp": ttp, "let": let, "accounts": (a, a2, a3, b, b2, c, d)}


def test_time_to_reappearance_overall_per_platform_and_group(history):
    figures = mirror_metrics()["reappearance"]

    # Gaps: A2 2 h, A3 4 h (Telegram, TTP); B2 6 h (X, LeT); D is not a reappearance.
    assert (figures["count"], figures["median_hours"]) == (3, 4.0)
    assert figures["by_platform"] == [
        {"platform": "telegram", "name": "Telegram", "count": 2, "median_hours": 3.0},
        {"platform": "x", "name": "X", "count": 1, "median_hours": 6.0},
    ]
    ttp, let = history["ttp"], history["let"]
    assert figures["by_group"] == [
        {"group": let.pk, "name": "LeT", "count": 1, "median_hours": 6.0},
        {"group": ttp.pk, "name": "TTP", "count": 2, "median_hours": 3.0},
    ]


def test_time_from_detection_to_removal(history):
    figures = mirror_metrics()["detection_to_removal"]

    # A2: detected 3 h, removed 13 h -> 10 h; B2: 6 h -> 30 h = 24 h; median 17 h.
    assert (figures["count"], figures["median_hours"]) == (2, 17.0)
    assert [(p["platform"], p["median_hours"]) for p in figures["by_platform"]] == [
        ("telegram", 10.0),
        ("x", 24.0),
    ]


def test_mirror_chains_and_their_length(history):
    a, a2, a3, *_ = history["accounts"]

    chains = mirror_metrics()["chains"]

    # A -> A2 -> A3 (3), B -> B2 (2), C -> D (2).
    assert (chains["count"], chains["longest"]) == (3, 3)
    assert chains["by_length"] == {"2": 2, "3": 1}
    assert chains["top"][0] == {
        "length": 3,
        "accounts": [
            {"id": a.pk, "handle": "a"},
            {"id": a2.pk, "handle": "a2"},
            {"id": a3.pk, "handle": "a3"},
        ],
    }


def test_a_group_sees_its_own_figures(history):
    figures = mirror_metrics(group=history["ttp"])

    assert (figures["reappearance"]["count"], figures["reappearance"]["median_hours"]) == (2, 3.0)
    assert figures["detection_to_removal"]["median_hours"] == 10.0
    assert (figures["chains"]["count"], figures["chains"]["longest"]) == (1, 3)


def test_no_mirrors_no_figures(platforms):
    figures = mirror_metrics()

    assert figures["reappearance"] == {
        "count": 0,
        "median_hours": None,
        "by_platform": [],
        "by_group": [],
    }
    assert figures["chains"] == {"count": 0, "longest": 0, "by_length": {}, "top": []}


def test_queue_neighbours_follow_the_review_order(platforms):
    removed = RemovedAccountFactory(platform=platforms["x"])
    suggestions = [
        MirrorCandidateFactory(removed_account=removed, score=score) for score in (0.6, 0.9, 0.7)
    ]
    low, high, middle = suggestions

    assert mirror_queue_neighbours(candidate=middle) == {
        "count": 3,
        "position": 2,
        "previous": high.pk,
        "next": low.pk,
    }
