"""accounts/mirrors/blocking.py and its WatchKey rows: similar handles and names are found
through exact deletion-neighbourhood keys, written on removal and withdrawn on restore, in a
bounded number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import services
from accounts.choices import AccountStatus
from accounts.mirrors.blocking import (
    HANDLE,
    NAME,
    deletions,
    key_hash,
    name_block_key,
    probe_keys,
    stored_keys,
)
from accounts.mirrors.folding import handle_keys
from accounts.mirrors.scoring import make_probe
from accounts.mirrors.watchlist import _blocked, candidate_ids, signals_from
from accounts.models import WatchKey, WatchSignal


def meet(stored: str, probe: str) -> bool:
    return bool(set(stored_keys((stored,), "")) & set(probe_keys((probe,), "")))


def test_deletions_are_the_key_and_its_shorter_variants():
    assert deletions("abcde", 1) == {"abcde", "bcde", "acde", "abde", "abce", "abcd"}
    assert "abc" not in deletions("abcde", 2)  # shorter than MIN_VARIANT
    assert deletions("abc", 1) == set()
    assert len(deletions("abcdefgh", 2)) == 1 + 8 + 28


def test_hashes_fit_a_bigint_and_keep_handles_and_names_apart():
    value = key_hash(HANDLE, "umarkhorasani")
    assert -(2**63) <= value < 2**63
    assert value == key_hash(HANDLE, "umarkhorasani")
    assert value != key_hash(NAME, "umarkhorasani")


@pytest.mark.parametrize(
    "probe",
    [
        "umarkhurasani",  # substitution
        "umarkhorsani",  # deletion
        "umarkhoarsani",  # transposition
        "umarkhoraasani",  # insertion
        "umarxkhorasanl",  # insertion and substitution
        "umarkhoarsanie",  # transposition and insertion
    ],
)
def test_one_edit_and_lengthening_pairs_of_edits_meet(probe):
    assert meet("umarkhorasani", probe)


def test_distant_keys_do_not_meet():
    assert not meet("umarkhorasani", "bilalfateh")
    assert not meet("umarkhorasani", "omerkhurasane")  # three substitutions


def test_name_keys_ignore_word_order():
    assert name_block_key("khorasani umar") == name_block_key("umar khorasani")
    assert set(stored_keys((), "umar khorasani")) & set(probe_keys((), "khorasani umer"))


def probe_of(handle, display_name=""):
    return make_probe(signals_from(handle=handle, display_name=display_name), platform_id=None)


@pytest.mark.django_db
def test_removal_writes_the_keys_and_restoring_withdraws_them(analyst, platforms):
    account = services.account_create(
        user=analyst, value="umar_khorasani", platform="telegram", display_name="Umar Khorasani"
    )
    assert not WatchKey.objects.exists()
    services.account_set_status(account=account, user=analyst, status=AccountStatus.REMOVED)
    keys = set(WatchKey.objects.filter(account=account).values_list("key", flat=True))
    (folded,) = handle_keys("umar_khorasani")  # "urnarkhorasanl": TR39 skeleton and leet
    assert key_hash(HANDLE, folded) in keys
    assert key_hash(HANDLE, folded[:-1]) in keys  # one deletion away
    assert key_hash(NAME, "khorasani umar") in keys
    assert keys == set(stored_keys(handle_keys("umar_khorasani"), "khorasani umar"))
    services.account_set_status(account=account, user=analyst, status=AccountStatus.ACTIVE)
    assert not WatchKey.objects.filter(account=account).exists()
    assert not WatchSignal.objects.filter(account=account).exists()


@pytest.mark.django_db
def test_a_mirror_one_edit_away_is_found_through_the_keys(analyst, platforms):
    original = services.account_create(
        user=analyst, value="umar_khorasani", platform="telegram", status=AccountStatus.REMOVED
    )
    services.account_create(
        user=analyst, value="bilal_fateh", platform="telegram", status=AccountStatus.REMOVED
    )
    probe = probe_of("umar_khurasani")  # its folded key is not the original's
    assert not set(probe.handle_keys) & set(handle_keys("umar_khorasani"))
    assert _blocked(probe) == {original.pk}
    found = services.mirror_check(platform="telegram", handle="umar_khurasani")
    assert [c.removed_account for c in found] == [original]


@pytest.mark.django_db
def test_a_mirror_with_two_tricks_is_found_through_the_keys(analyst, platforms):
    original = services.account_create(
        user=analyst,
        value="abdul_rehman_mehsud",
        platform="telegram",
        status=AccountStatus.REMOVED,
    )
    # A transposition and an added number in the handle; the name's words swapped and one
    # letter off.
    probe = probe_of("abdul_rehmna_mehsud_786", "Mehsud Abdul Rahman")
    assert not set(probe.handle_keys) & set(handle_keys("abdul_rehman_mehsud"))
    assert original.pk in _blocked(probe)
    assert original.pk in candidate_ids(probe)
    found = services.mirror_check(
        platform="telegram", handle="abdul_rehmna_mehsud_786", display_name="Mehsud Abdul Rahman"
    )
    assert found and found[0].removed_account == original


@pytest.mark.django_db
def test_a_check_takes_the_same_few_queries_however_many_accounts_block(analyst, platforms):
    services.account_create(
        user=analyst, value="umar_khorasani", platform="telegram", status=AccountStatus.REMOVED
    )

    def queries():
        with CaptureQueriesContext(connection) as captured:
            services.mirror_check(
                platform="telegram", handle="umar_khorasani_2", display_name="Umar Khorasani"
            )
        return len(captured.captured_queries)

    queries()  # the active model and the suppressed signals are read once, then cached
    few = queries()
    for n in range(12):
        services.account_create(
            user=analyst, value=f"umar_khorasan{'abcdefghijkl'[n]}", platform="x",
            display_name="Umar Khorasani", status=AccountStatus.REMOVED,
        )  # fmt: skip
    assert queries() == few <= 6
