import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import FlaggedAccount
from sharing.stix.export import bundle_text
from tests.api_fixtures import token_client

pytestmark = pytest.mark.django_db
URL = "/api/v1/stix/imports/"


@pytest.fixture
def partner_bundle(world) -> bytes:
    text = bundle_text(accounts=FlaggedAccount.objects.filter(handle="ttp_news"))
    FlaggedAccount.objects.filter(handle="ttp_news").delete()
    return text.encode()


def test_a_body_bundle_is_imported_and_answered_with_what_was_recorded(analyst, partner_bundle):
    client = token_client(analyst)
    response = client.generic("POST", URL, partner_bundle, content_type="application/stix+json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert [a["handle"] for a in body["accounts"]] == ["ttp_news"]
    assert FlaggedAccount.objects.filter(handle="ttp_news").exists()


def test_dry_run_answers_200_and_writes_nothing(analyst, partner_bundle):
    client = token_client(analyst)
    response = client.generic(
        "POST", URL + "?dry_run=true", partner_bundle, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["dry_run"] is True
    assert not FlaggedAccount.objects.filter(handle="ttp_news").exists()


def test_multipart_file_upload(analyst, partner_bundle):
    client = token_client(analyst)
    upload = SimpleUploadedFile("b.json", partner_bundle, "application/json")
    response = client.post(URL, {"file": upload}, format="multipart")
    assert response.status_code == 201


def test_refusals_are_the_api_error_document(analyst, world):
    client = token_client(analyst)
    response = client.generic("POST", URL, b"{nope", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "not_json"
    duplicate = bundle_text(accounts=FlaggedAccount.objects.all()).encode()
    response = client.generic("POST", URL, duplicate, content_type="application/json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_objects"
    assert {p["code"] for p in error["problems"]} == {"duplicate_account"}


def test_declared_size_over_the_limit_is_refused_before_reading(analyst, world, settings):
    settings.STIX_IMPORT_MAX_BYTES = 1000
    count = FlaggedAccount.objects.count()
    client = token_client(analyst)
    response = client.generic(
        "POST",
        URL,
        b'{"type":"bundle","objects":[]}' + b" " * 2000,
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "too_large"
    assert FlaggedAccount.objects.count() == count


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 401), ("read_token", 403), ("nobody", 403)]
)
def test_import_is_refused_without_the_right_to_add_accounts(
    api_client_for, django_user_model, partner_bundle, who, status
):
    if who == "nobody":
        client = token_client(django_user_model.objects.create(username="nobody"))
    else:
        client, _user = api_client_for(who)
    response = client.generic("POST", URL, partner_bundle, content_type="application/json")
    assert response.status_code == status
    assert not FlaggedAccount.objects.filter(handle="ttp_news").exists()
