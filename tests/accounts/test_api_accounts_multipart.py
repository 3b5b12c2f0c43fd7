"""POST and PATCH /api/v1/accounts/ as multipart/form-data with an avatar: stored, hashed and
scored; every refused kind of image is a 400 on `avatar` with nothing saved."""

import pytest
from django.core.files.storage import default_storage

from accounts.choices import AccountStatus
from accounts.models import FlaggedAccount, MirrorCandidate
from accounts.services import account_create
from tests.factories import GroupFactory
from tests.images import bad_avatars, good_avatar

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


def test_multipart_create_stores_and_hashes_the_avatar(analyst_api, platforms, _media):
    group = GroupFactory()

    response = analyst_api.post(
        "/api/v1/accounts/",
        {"handle": "https://t.me/sada_new", "groups": [group.pk], "avatar": good_avatar(1)},
        format="multipart",
    )

    assert response.status_code == 201, response.content
    account = FlaggedAccount.objects.get(pk=response.json()["id"])
    assert len(account.avatar_pdq) == 64 and account.avatar_quality >= 50
    assert default_storage.exists(account.avatar.name)
    assert list(account.groups.all()) == [group]
    assert response.json()["mirror_candidates"] == []


@pytest.mark.parametrize("kind", list(bad_avatars()))
def test_multipart_create_refuses_a_bad_avatar_and_saves_nothing(
    kind, analyst_api, platforms, _media
):
    upload, code = bad_avatars()[kind]

    response = analyst_api.post(
        "/api/v1/accounts/", {"handle": "https://t.me/sada_new", "avatar": upload}, "multipart"
    )

    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert (error["code"], list(error["fields"])) == (code, ["avatar"])
    assert not FlaggedAccount.objects.exists()
    assert _stored_files(_media) == []


@pytest.mark.parametrize("kind", ["truncated", "decompression_bomb"])
def test_multipart_update_refuses_a_bad_avatar_and_changes_nothing(
    kind, analyst_api, analyst, platforms, _media
):
    account = account_create(user=analyst, value="https://t.me/sada_new", display_name="Sada")
    upload, _code = bad_avatars()[kind]

    response = analyst_api.patch(
        f"/api/v1/accounts/{account.pk}/",
        {"display_name": "Changed", "avatar": upload},
        format="multipart",
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"].keys() == {"avatar"}
    account.refresh_from_db()
    assert (account.display_name, account.avatar_pdq, bool(account.avatar)) == ("Sada", "", False)
    assert _stored_files(_media) == []


def test_a_shared_avatar_makes_the_answer_carry_a_strong_explained_candidate(
    analyst_api, analyst, platforms
):
    removed = account_create(
        user=analyst,
        value="https://x.com/sada_original",
        status=AccountStatus.REMOVED,
        avatar=good_avatar(7),
    )

    # Another platform and an unrelated handle: only the (re-compressed) picture links them.
    response = analyst_api.post(
        "/api/v1/accounts/",
        {"handle": "https://t.me/qwzx_channel", "avatar": good_avatar(7, "JPEG")},
        format="multipart",
    )

    assert response.status_code == 201, response.content
    (candidate,) = response.json()["mirror_candidates"]
    assert candidate["removed_account"]["id"] == removed.pk
    assert candidate["strong"] is True and candidate["score"] >= 0.8
    assert candidate["model_version"] == 1
    avatar = next(f for f in candidate["features"] if f["name"] == "avatar")
    assert avatar["detail"]["distance"] <= 31 and avatar["contribution"] > 0
    assert {f["name"] for f in candidate["features"]} >= {"handle", "avatar", "contact"}
    assert MirrorCandidate.objects.get().strong is True


def test_multipart_update_with_an_avatar_scores_the_account_again(analyst_api, analyst, platforms):
    removed = account_create(
        user=analyst,
        value="https://x.com/orig_1",
        status=AccountStatus.REMOVED,
        avatar=good_avatar(5),
    )
    account = account_create(user=analyst, value="https://t.me/qwzx_other")
    assert not MirrorCandidate.objects.exists()

    response = analyst_api.patch(
        f"/api/v1/accounts/{account.pk}/", {"avatar": good_avatar(5)}, format="multipart"
    )

    assert response.status_code == 200, response.content
    assert [c["removed_account"]["id"] for c in response.json()["mirror_candidates"]] == [
        removed.pk
    ]


def test_json_create_refuses_an_avatar_that_is_not_a_file(analyst_api, platforms):
    response = analyst_api.post(
        "/api/v1/accounts/", {"handle": "https://t.me/sada_new", "avatar": "aGVsbG8="}, "json"
    )

    assert response.status_code == 400
    assert "avatar" in response.json()["error"]["fields"]
    assert not FlaggedAccount.objects.exists()


def test_multipart_create_refuses_an_avatar_sent_as_text(analyst_api, platforms):
    response = analyst_api.post(
        "/api/v1/accounts/",
        {"handle": "https://t.me/sada_new", "avatar": "not a picture"},
        format="multipart",
    )

    assert response.status_code == 400
    assert "avatar" in response.json()["error"]["fields"]
    assert not FlaggedAccount.objects.exists()


def test_multipart_create_refuses_any_other_file_as_an_unknown_field(analyst_api, platforms):
    response = analyst_api.post(
        "/api/v1/accounts/",
        {"handle": "https://t.me/sada_new", "photo": good_avatar(5)},
        format="multipart",
    )

    assert response.status_code == 400
    assert "photo" in response.json()["error"]["fields"]
    assert not FlaggedAccount.objects.exists()
