"""The accounts endpoints: logging by handle or URL, duplicates, changes, evidence, history,
filters and ordering."""

import hashlib
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.choices import AccountStatus, Authority
from accounts.models import Designation, Evidence, FlaggedAccount
from tests.accounts.avatar_images import encoded, picture
from tests.factories import AccountFactory, GroupFactory

pytestmark = pytest.mark.django_db


def handles(response):
    return [row["handle"] for row in response.json()["results"]]


def test_log_an_account_from_a_profile_url(analyst_api, analyst, platforms):
    group = GroupFactory(name="Tehrik-e Taliban Pakistan")

    response = analyst_api.post(
        "/api/v1/accounts/",
        {
            "handle": "https://mobile.twitter.com/Sada_eHaq?lang=ur",
            "groups": [group.pk],
            "tags": ["recruitment"],
            "display_name": "Sada",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["platform"], data["handle"], data["handle_normalized"]) == (
        "x",
        "Sada_eHaq",
        "sada_ehaq",
    )
    assert data["profile_url"] == "https://x.com/sada_ehaq"
    assert data["groups"] == [{"id": group.pk, "name": "Tehrik-e Taliban Pakistan"}]
    assert data["tags"] == ["recruitment"]
    assert FlaggedAccount.objects.get(pk=data["id"]).flagged_by == analyst


def test_a_bare_handle_needs_its_platform(analyst_api, platforms):
    response = analyst_api.post("/api/v1/accounts/", {"handle": "@sada"}, format="json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "platform_required"
    assert list(error["fields"]) == ["platform"]
    assert FlaggedAccount.objects.count() == 0


def test_logging_the_same_account_twice_is_409_with_the_existing_id(analyst_api, platforms):
    first = analyst_api.post(
        "/api/v1/accounts/", {"handle": "@Sada_eHaq", "platform": "x"}, format="json"
    )

    response = analyst_api.post(
        "/api/v1/accounts/", {"handle": "https://x.com/sada_ehaq/"}, format="json"
    )

    assert response.status_code == 409
    error = response.json()["error"]
    assert (error["code"], error["existing_id"]) == ("duplicate_account", first.json()["id"])
    assert FlaggedAccount.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "handle"),
        ({"handle": "x" * 2001}, "handle"),
        ({"handle": "https://t.me/abc_def", "groups": [999999]}, "groups"),
        ({"handle": "https://t.me/abc_def", "status": "vanished"}, "status"),
        ({"handle": "https://t.me/abc_def", "first_seen_at": "yesterday"}, "first_seen_at"),
        ({"handle": "https://t.me/abc_def", "display_name": "n" * 256}, "display_name"),
        ({"handle": "https://t.me/abc_def", "reason": "r" * 101}, "reason"),
        ({"handle": "https://t.me/abc\x00def"}, "handle"),
        ({"handle": "https://example.com/abc"}, "handle"),
    ],
)
def test_bad_account_input_is_400_naming_the_field(payload, field, analyst_api, platforms):
    response = analyst_api.post("/api/v1/accounts/", payload, format="json")

    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert FlaggedAccount.objects.count() == 0


def test_change_an_account_status_with_a_reason(supervisor_api, platforms):
    account = AccountFactory(platform=platforms["x"])

    response = supervisor_api.patch(
        f"/api/v1/accounts/{account.pk}/",
        {"status": "suspended", "reason": "seen suspended"},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["status"] == AccountStatus.SUSPENDED
    latest = account.history.latest()
    assert (latest.status, latest.history_change_reason) == ("suspended", "seen suspended")


def test_renaming_onto_another_live_account_is_409(supervisor_api, platforms):
    AccountFactory(platform=platforms["x"], handle="taken")
    account = AccountFactory(platform=platforms["x"], handle="mine")

    response = supervisor_api.patch(
        f"/api/v1/accounts/{account.pk}/", {"handle": "@Taken"}, format="json"
    )

    assert response.status_code == 409
    account.refresh_from_db()
    assert account.handle == "mine"


def test_put_and_delete_are_not_offered(supervisor_api, platforms):
    account = AccountFactory(platform=platforms["x"])

    put = supervisor_api.put(f"/api/v1/accounts/{account.pk}/", {}, format="json")
    delete = supervisor_api.delete(f"/api/v1/accounts/{account.pk}/")

    assert (put.status_code, delete.status_code) == (405, 405)
    assert delete.json()["error"]["code"] == "method_not_allowed"
    assert FlaggedAccount.objects.filter(pk=account.pk).exists()


def test_upload_evidence_file_returns_its_sha256(analyst_api, analyst, platforms):
    account = AccountFactory(platform=platforms["x"])
    content = encoded(picture(1))

    response = analyst_api.post(
        f"/api/v1/accounts/{account.pk}/evidence/",
        {"file": SimpleUploadedFile("shot.png", content, "image/png"), "note": "profile"},
        format="multipart",
    )

    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["sha256"] == hashlib.sha256(content).hexdigest()
    assert (data["kind"], data["size"], data["original_name"]) == ("file", len(content), "shot.png")
    assert data["captured_by"] == "analyst"
    assert Evidence.objects.get(pk=data["id"]).captured_by == analyst


def test_evidence_needs_exactly_one_of_file_url_or_text(analyst_api, platforms):
    account = AccountFactory(platform=platforms["x"])

    response = analyst_api.post(
        f"/api/v1/accounts/{account.pk}/evidence/",
        {"url": "https://x.com/a/status/1", "text": "also text"},
        format="json",
    )

    assert response.status_code == 400
    assert Evidence.objects.count() == 0


def test_evidence_list_shows_what_was_captured(analyst_api, platforms):
    account = AccountFactory(platform=platforms["x"])
    analyst_api.post(
        f"/api/v1/accounts/{account.pk}/evidence/", {"text": "post text"}, format="json"
    )

    response = analyst_api.get(f"/api/v1/accounts/{account.pk}/evidence/")

    assert [(e["kind"], e["sha256"]) for e in response.json()] == [
        ("text", hashlib.sha256(b"post text").hexdigest())
    ]


def test_history_shows_who_changed_what(analyst_api, supervisor_api, platforms):
    created = analyst_api.post(
        "/api/v1/accounts/", {"handle": "https://t.me/sada_channel"}, format="json"
    ).json()
    supervisor_api.patch(
        f"/api/v1/accounts/{created['id']}/",
        {"status": "suspended", "reason": "checked"},
        format="json",
    )

    response = analyst_api.get(f"/api/v1/accounts/{created['id']}/history/")

    assert response.status_code == 200
    history = response.json()
    newest = history[0]
    assert (newest["type"], newest["user"], newest["reason"]) == (
        "changed",
        "supervisor",
        "checked",
    )
    assert newest["changes"] == [{"field": "status", "old": "active", "new": "suspended"}]
    oldest = history[-1]
    assert oldest["type"] == "created"
    assert {"field": "handle", "old": None, "new": "sada_channel"} in oldest["changes"]


def test_mirror_candidate_is_suggested_and_a_supervisor_confirms_it(
    analyst_api, supervisor_api, platforms
):
    removed = AccountFactory(
        platform=platforms["x"],
        handle="sada_news",
        status=AccountStatus.REMOVED,
        removed_at=timezone.now(),
    )
    created = analyst_api.post(
        "/api/v1/accounts/", {"handle": "@sada_news2", "platform": "x"}, format="json"
    ).json()
    suggestions = analyst_api.get(f"/api/v1/accounts/{created['id']}/mirror-candidates/").json()
    assert [s["removed_account"]["id"] for s in suggestions] == [removed.pk]

    refused = analyst_api.post(f"/api/v1/mirror-candidates/{suggestions[0]['id']}/confirm/")
    confirmed = supervisor_api.post(f"/api/v1/mirror-candidates/{suggestions[0]['id']}/confirm/")
    again = supervisor_api.post(f"/api/v1/mirror-candidates/{suggestions[0]['id']}/reject/")

    assert refused.status_code == 403
    assert (confirmed.status_code, confirmed.json()["status"]) == (200, "confirmed")
    assert FlaggedAccount.objects.get(pk=created["id"]).mirror_of == removed
    assert (again.status_code, again.json()["error"]["code"]) == (409, "already_decided")


# -- filters and ordering --------------------------------------------------------------------


@pytest.fixture
def listed(platforms, analyst, supervisor):
    let = GroupFactory(name="Lashkar-e-Tayyiba")
    ttp = GroupFactory(name="Tehrik-e Taliban Pakistan")
    Designation.objects.create(group=let, authority=Authority.UN, source_record_id="1")
    now = timezone.now()
    accounts = {
        "alpha": AccountFactory(
            platform=platforms["x"], handle="alpha", flagged_by=analyst, display_name="Voice"
        ),
        "bravo": AccountFactory(
            platform=platforms["telegram"], handle="bravo", flagged_by=supervisor
        ),
        "charlie": AccountFactory(
            platform=platforms["x"], handle="charlie", status=AccountStatus.REMOVED
        ),
    }
    accounts["alpha"].groups.add(let)
    accounts["bravo"].groups.add(ttp)
    for days, account in zip((3, 2, 1), accounts.values(), strict=True):
        FlaggedAccount.objects.filter(pk=account.pk).update(
            first_seen_at=now - timedelta(days=days)
        )
    return {"let": let, "ttp": ttp, **accounts}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["charlie", "bravo", "alpha"]),
        ("platform=x", ["charlie", "alpha"]),
        ("platform=x&platform=telegram", ["charlie", "bravo", "alpha"]),
        ("status=removed", ["charlie"]),
        ("status=active&status=removed", ["charlie", "bravo", "alpha"]),
        ("flagged_by=supervisor", ["bravo"]),
        ("authority=un", ["alpha"]),
        ("q=brav", ["bravo"]),
        ("q=voice", ["alpha"]),
        ("q=Taliban", ["bravo"]),
        ("ordering=handle", ["alpha", "bravo", "charlie"]),
        ("ordering=-handle", ["charlie", "bravo", "alpha"]),
        ("ordering=first_seen_at", ["alpha", "bravo", "charlie"]),
    ],
)
def test_account_list_filters_and_orders(query, expected, listed, analyst_api):
    response = analyst_api.get(f"/api/v1/accounts/?{query}")

    assert response.status_code == 200, response.json()
    assert handles(response) == expected


def test_account_list_filters_by_group_and_first_seen_dates(listed, analyst_api):
    by_group = analyst_api.get(f"/api/v1/accounts/?group={listed['ttp'].pk}")
    since = (timezone.now() - timedelta(days=2, hours=1)).isoformat()
    by_date = analyst_api.get("/api/v1/accounts/", {"first_seen_after": since})

    assert handles(by_group) == ["bravo"]
    assert handles(by_date) == ["charlie", "bravo"]


@pytest.mark.parametrize(
    "query",
    ["platform=myspace", "status=gone", "group=abc", "first_seen_after=soon", "ordering=bio"],
)
def test_bad_filters_are_400(query, listed, analyst_api):
    response = analyst_api.get(f"/api/v1/accounts/?{query}")

    assert response.status_code == 400
    assert response.json()["error"]["fields"]


def test_groups_search_by_alias_in_any_script(analyst_api):
    group = GroupFactory(name="Lashkar-e-Tayyiba")
    group.aliases.create(name="لشکر طیبہ", name_key="lshkr tybh")
    GroupFactory(name="Other group")

    response = analyst_api.get("/api/v1/groups/", {"q": "لشکر"})

    assert [g["name"] for g in response.json()["results"]] == ["Lashkar-e-Tayyiba"]


def test_designations_filter_by_authority_and_current(analyst_api):
    group = GroupFactory()
    Designation.objects.create(group=group, authority=Authority.UN, source_record_id="1")
    Designation.objects.create(
        group=group,
        authority=Authority.EU,
        source_record_id="2",
        delisted_on=timezone.now().date(),
    )

    current = analyst_api.get("/api/v1/designations/", {"current": "true"})
    eu = analyst_api.get("/api/v1/designations/", {"authority": "eu"})

    assert [d["authority"] for d in current.json()["results"]] == ["un"]
    assert [d["is_current"] for d in eu.json()["results"]] == [False]


def test_administrator_registers_a_group_and_adds_aliases(api_client_for):
    client, _admin = api_client_for("administrator")

    created = client.post(
        "/api/v1/groups/", {"name": "Jamaat-ul-Ahrar", "aliases": ["JuA"]}, format="json"
    )
    duplicate = client.post("/api/v1/groups/", {"name": "jamaat-ul-ahrar"}, format="json")
    aliased = client.post(
        f"/api/v1/groups/{created.json()['id']}/aliases/",
        {"aliases": ["jua", "Ahrar"]},
        format="json",
    )

    assert created.status_code == 201
    assert duplicate.status_code == 409
    assert duplicate.json()["error"]["code"] == "duplicate"
    assert aliased.json()["aliases"] == ["Ahrar", "JuA"]


def test_a_status_change_with_another_records_platform_account_id_is_409(supervisor_api, platforms):
    # account_update once bound `_` (gettext) locally: this error raised UnboundLocalError.
    other = AccountFactory(platform=platforms["x"], handle="other", platform_account_id="12345")
    account = AccountFactory(platform=platforms["x"], handle="mine")

    response = supervisor_api.patch(
        f"/api/v1/accounts/{account.pk}/",
        {"status": "suspended", "platform_account_id": "12345"},
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["error"]["fields"].keys() == {"platform_account_id"}
    assert str(other.pk) in response.content.decode()
    account.refresh_from_db()
    assert (account.status, account.platform_account_id) == (AccountStatus.ACTIVE, "")


# -- group suggestions (moved from the JSON page view /groups/suggest/) ----------------------

SUGGEST_URL = "/api/v1/groups/suggest/"


def test_suggest_is_a_named_api_route():
    from django.urls import reverse

    assert reverse("api:group-suggest") == SUGGEST_URL


def test_suggest_needs_a_login():
    from rest_framework.test import APIClient

    response = APIClient().get(SUGGEST_URL, {"text": "TTP"})
    assert response.status_code == 401


def test_suggest_needs_a_role(django_user_model):
    from tests.api_fixtures import token_client

    norole = django_user_model.objects.create_user("norole", password="x")
    assert token_client(norole).get(SUGGEST_URL, {"text": "x"}).status_code == 403


def test_suggest_returns_the_groups_named(analyst_api, administrator):
    from accounts import services

    ttp = services.group_create(
        user=administrator,
        name="Tehrik-e-Taliban Pakistan",
        aliases=["TTP", "تحریک طالبان پاکستان"],
    )

    response = analyst_api.get(
        SUGGEST_URL, {"text": "", "bio": "تحریک طالبان پاکستان کا آفیشل اکاؤنٹ"}
    )

    assert response.status_code == 200
    assert response.json() == {
        "results": [{"id": ttp.pk, "name": ttp.name, "matched": "Tehrik-e-Taliban Pakistan"}]
    }
    assert analyst_api.get(SUGGEST_URL, {"text": "hello"}).json() == {"results": []}


def test_suggest_refuses_a_text_too_long(analyst_api):
    response = analyst_api.get(SUGGEST_URL, {"bio": "x" * 5001})

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["bio"]
