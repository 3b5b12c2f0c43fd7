import hashlib
import json

import pytest
import stix2
from stix2validator import validate_string

from accounts.choices import AccountStatus
from accounts.models import FlaggedAccount, ProscribedGroup
from accounts.services import account_create
from sharing.signals import account_signals
from sharing.stix.export import bundle_text
from sharing.stix.ids import user_account_id
from takedowns.models import TakedownRequest
from tests.factories import AccountFactory
from tests.images import good_avatar

pytestmark = pytest.mark.django_db


def assert_valid(text: str) -> dict:
    result = validate_string(text)
    assert result.is_valid, [str(e) for e in result.errors]
    return json.loads(text)


def by_type(bundle: dict, kind: str) -> list[dict]:
    return [o for o in bundle["objects"] if o["type"] == kind]


def test_account_bundle_passes_the_validator(world):
    bundle = assert_valid(bundle_text(accounts=FlaggedAccount.objects.all()))
    logins = {o["account_login"] for o in by_type(bundle, "user-account")}
    assert logins == {"lej_media", "lej_media2", "ttp_news"}
    assert {o["name"] for o in by_type(bundle, "intrusion-set")} == {
        "Lashkar-e-Jhangvi",
        "Tehrik-e-Taliban Pakistan",
    }


def test_group_bundle_passes_the_validator_with_designations(world):
    bundle = assert_valid(bundle_text(groups=ProscribedGroup.objects.filter(name__startswith="L")))
    (group,) = by_type(bundle, "intrusion-set")
    references = {r["external_id"]: r for r in group["external_references"]}
    assert references["QDe.096"]["source_name"] == "UN Security Council Consolidated List"
    assert references["QDe.096"]["url"].startswith("https://main.un.org/")
    assert "Pakistan NACTA" in references["14"]["source_name"]
    assert group["aliases"] == ["لشکر جھنگوی"]
    assert by_type(bundle, "user-account") == []


def test_request_bundle_holds_a_note_about_the_accounts_it_covers(world):
    bundle = assert_valid(bundle_text(requests=TakedownRequest.objects.all()))
    (note,) = by_type(bundle, "note")
    accounts = {o["id"]: o["account_login"] for o in by_type(bundle, "user-account")}
    assert sorted(accounts[ref] for ref in note["object_refs"]) == ["lej_media", "lej_media2"]
    assert sorted(accounts.values()) == ["lej_media", "lej_media2"]


def test_user_account_ids_are_the_specifications_deterministic_ids(world):
    bundle = assert_valid(bundle_text(accounts=FlaggedAccount.objects.all()))
    for obj in by_type(bundle, "user-account"):
        expected = stix2.UserAccount(
            account_type=obj["account_type"], account_login=obj["account_login"]
        ).id
        assert obj["id"] == expected
    assert (
        user_account_id("twitter", "ناظم")
        == stix2.UserAccount(account_type="twitter", account_login="ناظم").id
    )


def test_removed_account_is_disabled_and_carries_its_avatar_hash(world):
    bundle = assert_valid(bundle_text(accounts=FlaggedAccount.objects.all()))
    accounts = {o["account_login"]: o for o in by_type(bundle, "user-account")}
    assert accounts["lej_media"]["is_disabled"] is True
    assert accounts["lej_media2"]["is_disabled"] is False
    assert accounts["lej_media"]["account_type"] == "twitter"
    assert accounts["ttp_news"]["account_type"] == "telegram"
    (picture,) = by_type(bundle, "file")
    assert picture["hashes"] == {"x_pdq": world.original.avatar_pdq}
    assert picture["id"] == stix2.File(hashes=picture["hashes"], allow_custom=True).id
    links = {
        (r["source_ref"], r["relationship_type"], r["target_ref"])
        for r in by_type(bundle, "relationship")
    }
    original, mirror = accounts["lej_media"]["id"], accounts["lej_media2"]["id"]
    assert (mirror, "derived-from", original) in links
    assert (original, "related-to", picture["id"]) in links
    groups = {o["name"]: o["id"] for o in by_type(bundle, "intrusion-set")}
    assert (mirror, "attributed-to", groups["Lashkar-e-Jhangvi"]) in links
    assert (accounts["ttp_news"]["id"], "attributed-to", groups["Tehrik-e-Taliban Pakistan"]) in (
        links
    )


def test_empty_selection_is_a_valid_empty_bundle(db):
    bundle = assert_valid(bundle_text(accounts=FlaggedAccount.objects.none()))
    assert bundle["objects"] == []


def test_a_stored_avatar_goes_out_with_its_files_md5_and_sha256(analyst, platforms):
    account = account_create(
        user=analyst,
        value="abu_hamza_media",
        platform="x",
        status=AccountStatus.REMOVED,
        avatar=good_avatar(3),
    )
    with account.avatar.open("rb") as stored:
        data = stored.read()
    bundle = assert_valid(bundle_text(accounts=FlaggedAccount.objects.all()))
    (picture,) = by_type(bundle, "file")
    assert picture["hashes"] == {
        "MD5": hashlib.md5(data, usedforsecurity=False).hexdigest(),
        "SHA-256": hashlib.sha256(data).hexdigest(),
        "x_pdq": account.avatar_pdq,
    }
    # The specification's id: from one hash, MD5 first, as the stix2 library computes it.
    assert picture["id"] == stix2.File(hashes=picture["hashes"], allow_custom=True).id
    assert picture["x_tracker_pdq_quality"] == account.avatar_quality


def test_the_bundle_reads_the_same_signals_as_the_feed(world):
    # One builder for every sharing format: what the bundle says is what account_signals says.
    bundle = assert_valid(bundle_text(accounts=FlaggedAccount.objects.filter(pk=world.mirror.pk)))
    signals = account_signals(world.mirror, variants=0)
    (account,) = by_type(bundle, "user-account")
    assert account["account_login"] == signals["handle"]
    assert account["x_tracker_status"] == signals["status"]
    assert account["x_tracker_first_seen"].startswith(signals["first_seen_at"][:19])
    targets = {r["target_ref"] for r in by_type(bundle, "relationship")}
    assert user_account_id("twitter", signals["mirror_of"]["handle"]) in targets


def test_an_export_makes_a_fixed_number_of_queries(world, platforms, django_assert_max_num_queries):
    for n in range(30):
        AccountFactory(platform=platforms["x"], handle=f"extra_{n}").groups.set(world.groups)
    with django_assert_max_num_queries(12):
        bundle_text(accounts=FlaggedAccount.objects.all())
