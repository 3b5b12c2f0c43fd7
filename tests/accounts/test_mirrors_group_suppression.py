"""A linked group many unrelated accounts share can be suppressed like a handle, a contact point
or an avatar: it then counts for no mirror score, and the review page offers it."""

import pytest

from accounts import services
from accounts.choices import AccountStatus, WatchSignalKind
from accounts.mirror_review import shared_signals
from core.errors import NotAllowed

from ..factories import GroupFactory

pytestmark = pytest.mark.django_db


def groups_feature(candidate):
    return next(f for f in candidate.features if f["name"] == "groups")


def test_a_suppressed_group_is_not_counted(analyst, supervisor, platforms):
    group = GroupFactory(name="Tehreek-e-Taliban Pakistan")
    original = services.account_create(
        user=analyst, value="umar_khorasani", platform="telegram", groups=[group],
        status=AccountStatus.REMOVED,
    )  # fmt: skip
    check = lambda: services.mirror_check(  # noqa: E731
        platform="telegram", handle="umar_khorasani_2", group_ids=[group.pk]
    )
    before = check()
    assert before[0].removed_account == original
    assert groups_feature(before[0])["contribution"] > 0
    with pytest.raises(NotAllowed):
        services.signal_suppress(kind="group", value=str(group.pk), user=analyst)
    services.signal_suppress(
        kind="group", value=str(group.pk), user=supervisor, reason="every account links it"
    )
    after = check()
    feature = groups_feature(after[0])
    assert feature["contribution"] == 0 and feature["value"] == 0
    assert feature["detail"] == {"shared": [], "suppressed": [group.pk]}
    assert after[0].score < before[0].score
    # The other signals still count.
    assert after[0].removed_account == original


def test_the_review_offers_a_shared_group_for_suppression():
    features = [
        {"name": "groups", "value": 1.0, "contribution": 0.8, "detail": {"shared": [7]}},
        {"name": "contact", "value": 0.0, "contribution": 0.0, "detail": {"shared": []}},
    ]
    (signal,) = shared_signals(features, "", {7: "Lashkar-e-Tayyiba"})
    assert (signal.kind, signal.value) == (WatchSignalKind.GROUP, "7")
    assert "Lashkar-e-Tayyiba" in signal.label
    suppressed = [{"name": "groups", "detail": {"shared": [], "suppressed": [7]}}]
    assert shared_signals(suppressed, "") == []
