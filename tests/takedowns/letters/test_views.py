"""The package download from the request page and the API: the bytes served are the ones
whose hash the timeline holds; analysts and strangers are refused."""

import hashlib

import pytest
from django.urls import reverse

from takedowns.choices import EventKind
from takedowns.models import TakedownEvent
from tests.api_fixtures import token_client

pytestmark = pytest.mark.django_db


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def _package_events(takedown):
    return TakedownEvent.objects.filter(request=takedown, kind=EventKind.PACKAGE_BUILT)


def test_supervisor_downloads_the_package_from_the_request_page(
    client, supervisor, package_request
):
    client.force_login(supervisor)
    page = client.get(reverse("takedowns:detail", args=[package_request.pk]))
    link = reverse("takedowns:package", args=[package_request.pk])
    assert link in page.content.decode()

    response = client.get(link)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert package_request.reference in response["Content-Disposition"]
    body = _body(response)
    event = _package_events(package_request).get()
    assert hashlib.sha256(body).hexdigest() == response["X-Package-SHA256"] == event.data["sha256"]


def test_analyst_sees_no_download_and_is_refused_it(client, analyst, package_request):
    client.force_login(analyst)
    page = client.get(reverse("takedowns:detail", args=[package_request.pk]))
    link = reverse("takedowns:package", args=[package_request.pk])
    assert link not in page.content.decode()

    assert client.get(link).status_code == 403
    assert not _package_events(package_request).exists()


def test_anonymous_is_sent_to_the_login_page(client, package_request):
    response = client.get(reverse("takedowns:package", args=[package_request.pk]))
    assert response.status_code == 302
    assert "/auth/login/" in response["Location"]
    assert not _package_events(package_request).exists()


def test_api_serves_the_package_with_its_timeline_hash(supervisor, package_request):
    response = token_client(supervisor).get(
        f"/api/v1/takedowns/{package_request.pk}/package/", HTTP_ACCEPT="application/zip"
    )

    assert response.status_code == 200
    body = _body(response)
    assert hashlib.sha256(body).hexdigest() == _package_events(package_request).get().data["sha256"]


@pytest.mark.parametrize("who", ["analyst", "anonymous"])
def test_api_refuses_analysts_and_strangers(who, analyst, package_request):
    from rest_framework.test import APIClient

    client = token_client(analyst) if who == "analyst" else APIClient()
    response = client.get(f"/api/v1/takedowns/{package_request.pk}/package/")

    assert response.status_code == (403 if who == "analyst" else 401)
    assert response.json()["error"]["code"] in ("permission_denied", "not_authenticated")
    assert not _package_events(package_request).exists()


def test_api_answers_409_without_a_template(supervisor, package_request):
    from takedowns.letters.models import LetterTemplate

    LetterTemplate.objects.all().delete()
    response = token_client(supervisor).get(f"/api/v1/takedowns/{package_request.pk}/package/")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "no_letter_template"


def test_schema_documents_the_package_route(supervisor):
    schema = token_client(supervisor).get("/api/schema/").json()
    operation = schema["paths"]["/api/v1/takedowns/{id}/package/"]["get"]
    assert "application/zip" in operation["responses"]["200"]["content"]


def test_api_refuses_an_empty_format_and_serves_a_named_one(supervisor, package_request):
    api = token_client(supervisor)
    url = f"/api/v1/takedowns/{package_request.pk}/package/"

    assert api.get(url + "?format=").status_code == 404
    assert not _package_events(package_request).exists()
    named = api.get(url + "?format=zip")
    assert named.status_code == 200 and _body(named).startswith(b"PK")


def test_api_refuses_an_unknown_parameter_and_builds_nothing(supervisor, package_request):
    response = token_client(supervisor).get(
        f"/api/v1/takedowns/{package_request.pk}/package/?lang=ur"
    )

    assert response.status_code == 400
    assert "lang" in response.json()["error"]["fields"]
    assert not _package_events(package_request).exists()
