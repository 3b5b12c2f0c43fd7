"""The signals of one account (sharing/signals.py): the data every sharing format is built from."""

import hashlib

import pytest

from accounts.choices import AccountStatus, Authority
from accounts.models import Designation
from accounts.services import account_create
from sharing.signals import SIGNAL_PREFETCH, SIGNAL_RELATED, account_signals
from sharing.variants import is_valid_handle
from tests.factories import GroupFactory
from tests.images import good_avatar

pytestmark = pytest.mark.django_db


@pytest.fixture
def removed(analyst, platforms):
    group = GroupFactory(name="Tehrik-e-Example")
    Designation.objects.create(
        group=group, authority=Authority.UN, reference="QDe.999", source_record_id="un-999"
    )
    avatar = good_avatar(3)
    account = account_create(
        user=analyst,
        value="abu_hamza_media",
        platform="x",
        display_name="Abu Hamza",
        bio="Join t.me/abuhamza_channel or call +92 333 1234567",
        groups=[group],
        status=AccountStatus.REMOVED,
        avatar=avatar,
    )
    # Avatars are stored re-encoded (no metadata, nothing appended): the digests are the stored
    # file's, not the uploaded bytes'.
    account.avatar.open("rb")
    try:
        return account, hashlib.sha256(account.avatar.read()).hexdigest()
    finally:
        account.avatar.close()


def test_signals_of_a_removed_account_carry_every_kind(removed):
    account, sha256 = removed
    signals = account_signals(account)

    assert signals["platform"] == "x"
    assert signals["handle"] == "abu_hamza_media"
    assert signals["status"] == "removed" and signals["removed_at"]
    assert signals["avatar"]["sha256"] == sha256
    assert len(signals["avatar"]["md5"]) == 32
    assert len(signals["avatar"]["pdq"]) == 64 and signals["avatar"]["pdq_quality"] >= 50
    assert signals["display_name_skeleton"] == "abu hamza"
    assert "tg:abuhamza_channel" in signals["contacts"]
    assert "tel:+923331234567" in signals["contacts"]
    [group] = signals["groups"]
    assert group["name"] == "Tehrik-e-Example"
    assert group["designations"][0]["authority"] == "un"
    assert group["designations"][0]["reference"] == "QDe.999"
    assert 0 < len(signals["variants"]) <= 25
    assert all(is_valid_handle("x", v["handle"]) for v in signals["variants"])
    assert "abu_hamza_media" not in {v["handle"] for v in signals["variants"]}


def test_signals_honour_the_variant_limit(removed, settings):
    settings.SIGNAL_VARIANTS = 5
    assert len(account_signals(removed[0])["variants"]) == 5


def test_prefetched_accounts_build_signals_without_a_query_each(
    removed, django_assert_max_num_queries
):
    account = removed[0]
    loaded = (
        type(account)
        .objects.select_related(*SIGNAL_RELATED)
        .prefetch_related(*SIGNAL_PREFETCH)
        .get(pk=account.pk)
    )
    account_signals(loaded)  # the variants' priors, read once per process
    with django_assert_max_num_queries(0):
        account_signals(loaded)


def test_a_bulk_export_can_leave_out_the_costly_signals(removed):
    signals = account_signals(removed[0], variants=0, files=False)
    assert signals["variants"] == []
    assert signals["avatar"]["md5"] is None and signals["avatar"]["sha256"] is None
    assert signals["avatar"]["pdq"]
    assert set(signals) == set(account_signals(removed[0]))
