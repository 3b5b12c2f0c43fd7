import json

import pytest

from accounts.models import Designation, FlaggedAccount, GroupAlias, ProscribedGroup
from sharing.stix.bundle import BundleRefused, parse_bundle
from sharing.stix.export import bundle_text
from sharing.stix.imports import StixImportRefused, stix_import
from takedowns.models import TakedownRequest

pytestmark = pytest.mark.django_db


def snapshot():
    """Accounts, groups and mirror links, as comparable plain data."""
    accounts = {
        (a.platform.slug, a.handle): (
            a.status,
            a.display_name,
            a.platform_account_id,
            tuple(sorted(g.name for g in a.groups.all())),
            (a.mirror_of.platform.slug, a.mirror_of.handle) if a.mirror_of else None,
        )
        for a in FlaggedAccount.objects.select_related("platform", "mirror_of__platform")
    }
    groups = {
        g.name: tuple(sorted(a.name for a in g.aliases.all()))
        for g in ProscribedGroup.objects.all()
    }
    return accounts, groups


def empty_database():
    TakedownRequest.objects.all().delete()
    FlaggedAccount.objects.exclude(mirror_of=None).delete()
    FlaggedAccount.objects.all().delete()
    GroupAlias.objects.all().delete()
    Designation.objects.all().delete()
    ProscribedGroup.objects.all().delete()


def test_round_trip_into_an_empty_database_gives_the_same_accounts_groups_and_links(
    world, administrator
):
    before = snapshot()
    text = bundle_text(accounts=FlaggedAccount.objects.all())
    empty_database()
    assert snapshot() == ({}, {})

    result = stix_import(user=administrator, bundle=parse_bundle(text.encode()))

    assert snapshot() == before
    assert len(result.accounts) == 3
    assert sorted(result.groups) == ["Lashkar-e-Jhangvi", "Tehrik-e-Taliban Pakistan"]
    assert [p for p in result.problems if p.fatal] == []
    # The avatar (a hash, no picture to import) and its link to the account.
    assert result.ignored == {"file": 1, "relationship": 1}


def test_dry_run_reports_what_would_be_created_and_writes_nothing(world, administrator):
    text = bundle_text(accounts=FlaggedAccount.objects.all())
    empty_database()
    result = stix_import(user=administrator, bundle=parse_bundle(text.encode()), dry_run=True)
    assert sorted(a.handle for a in result.accounts) == ["lej_media", "lej_media2", "ttp_news"]
    assert result.links and result.dry_run
    assert snapshot() == ({}, {})


def test_duplicates_refuse_the_whole_import_and_every_one_is_reported(world, analyst):
    text = bundle_text(accounts=FlaggedAccount.objects.all())
    before = snapshot()
    with pytest.raises(StixImportRefused) as refused:
        stix_import(user=analyst, bundle=parse_bundle(text.encode()))
    problems = refused.value.extra["problems"]
    # The live accounts by their handle, the removed one by its platform account id.
    assert {p["code"] for p in problems if p["fatal"]} == {"duplicate_account"}
    assert len([p for p in problems if p["fatal"]]) == 3
    assert snapshot() == before


def test_partial_import_records_the_valid_accounts_only(world, analyst):
    bundle = json.loads(bundle_text(accounts=FlaggedAccount.objects.filter(handle="ttp_news")))
    for obj in bundle["objects"]:
        if obj["type"] == "user-account":
            new = dict(obj, id=obj["id"][:-4] + "0000", account_login="ttp_news_new")
        if obj["type"] == "relationship":
            link = dict(obj, id=obj["id"][:-4] + "0000", source_ref=new["id"])
    bundle["objects"] += [new, link]
    result = stix_import(
        user=analyst, bundle=parse_bundle(json.dumps(bundle).encode()), partial=True
    )
    assert [a.handle for a in result.accounts] == ["ttp_news_new"]
    assert [p.code for p in result.problems if p.fatal] == ["duplicate_account"]
    created = FlaggedAccount.objects.get(handle="ttp_news_new")
    assert [g.name for g in created.groups.all()] == ["Tehrik-e-Taliban Pakistan"]
    assert created.history.first().history_change_reason == "STIX import"


def test_analyst_cannot_create_groups_so_accounts_of_unknown_groups_are_refused(world, analyst):
    text = bundle_text(accounts=FlaggedAccount.objects.filter(handle="ttp_news"))
    FlaggedAccount.objects.filter(handle="ttp_news").delete()
    ProscribedGroup.objects.filter(name__startswith="Tehrik").delete()
    with pytest.raises(StixImportRefused) as refused:
        stix_import(user=analyst, bundle=parse_bundle(text.encode()))
    (problem,) = [p for p in refused.value.extra["problems"] if p["fatal"]]
    assert problem["code"] == "unknown_group"
    assert not ProscribedGroup.objects.filter(name__startswith="Tehrik").exists()


def test_analyst_mirror_links_are_noted_not_recorded(world, analyst):
    text = bundle_text(accounts=FlaggedAccount.objects.filter(handle__startswith="lej"))
    TakedownRequest.objects.all().delete()
    FlaggedAccount.objects.filter(handle="lej_media2").delete()
    FlaggedAccount.objects.filter(handle="lej_media").delete()
    result = stix_import(user=analyst, bundle=parse_bundle(text.encode()))
    assert {a.handle for a in result.accounts} == {"lej_media", "lej_media2"}
    assert FlaggedAccount.objects.get(handle="lej_media2").mirror_of is None
    assert [p.code for p in result.problems] == ["permission_denied"]


def test_import_needs_the_permission_to_add_accounts(world, django_user_model):
    from core.errors import NotAllowed

    nobody = django_user_model.objects.create(username="nobody")
    text = bundle_text(accounts=FlaggedAccount.objects.all())
    with pytest.raises(NotAllowed):
        stix_import(user=nobody, bundle=parse_bundle(text.encode()))


def _bundle(*objects, **extra) -> bytes:
    return json.dumps(
        {"type": "bundle", "id": "bundle--1", "objects": list(objects), **extra}
    ).encode()


ACCOUNT = {
    "type": "user-account",
    "spec_version": "2.1",
    "id": "user-account--8f1c2e8e-2c3e-5c43-9a0c-1d1f1b2f9c11",
    "account_type": "twitter",
    "account_login": "new_handle",
}


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"\x89PNG not json", "not_json"),
        (b'{"type": "bundle", "objects": [', "not_json"),
        (b"[" * 100_000, "not_json"),
        (b'{"type": "indicator"}', "not_a_bundle"),
        (_bundle(ACCOUNT, spec_version="2.0"), "wrong_spec_version"),
        (_bundle(dict(ACCOUNT, spec_version="2.0")), "wrong_spec_version"),
        (
            _bundle({"type": "intrusion-set", "id": "intrusion-set--1", "name": "x"}),
            "wrong_spec_version",
        ),
        (
            _bundle(ACCOUNT, {"type": "evil-thing", "spec_version": "2.1", "id": "evil-thing--1"}),
            "unknown_type",
        ),
        (_bundle(ACCOUNT, "not an object"), "invalid_object"),
    ],
)
def test_hostile_bundles_are_refused_with_a_clear_error(data, code):
    with pytest.raises(BundleRefused) as refused:
        parse_bundle(data)
    assert refused.value.code == code
    assert refused.value.message


def test_custom_and_unimported_types_are_ignored_with_a_note(platforms, analyst):
    bundle = parse_bundle(
        _bundle(
            ACCOUNT,
            {"type": "x-partner-thing", "spec_version": "2.1", "id": "x-partner-thing--1"},
            {"type": "indicator", "spec_version": "2.1", "id": "indicator--1"},
        )
    )
    result = stix_import(user=analyst, bundle=bundle)
    assert [a.handle for a in result.accounts] == ["new_handle"]
    assert result.ignored == {"x-partner-thing": 1, "indicator": 1}


def test_a_bundle_over_100_megabytes_is_refused_before_parsing():
    data = b'{"type":"bundle","objects":[]}' + b" " * (100 * 1024 * 1024)
    with pytest.raises(BundleRefused) as refused:
        parse_bundle(data)
    assert refused.value.code == "too_large"


def test_a_bundle_of_more_than_a_million_objects_is_refused(db):
    objects = ",".join(['{"type":"x-a"}'] * 1_000_001)
    with pytest.raises(BundleRefused) as refused:
        parse_bundle(('{"type":"bundle","objects":[' + objects + "]}").encode())
    assert refused.value.code == "too_many_objects"
    assert FlaggedAccount.objects.count() == 0


def test_invalid_account_fields_are_refused_by_the_row_validator(platforms, analyst):
    bad = dict(ACCOUNT, account_type="myspace")
    with pytest.raises(StixImportRefused) as refused:
        stix_import(user=analyst, bundle=parse_bundle(_bundle(bad)))
    (problem,) = refused.value.extra["problems"]
    assert problem["object_id"] == ACCOUNT["id"]
    assert problem["field"] == "platform"
    assert FlaggedAccount.objects.count() == 0
