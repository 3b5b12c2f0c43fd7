"""One error shape for every failure, and no input that makes a 500."""

import pytest

from accounts.models import FlaggedAccount
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def error_of(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}
    assert {"code", "message", "fields"} <= set(body["error"])
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "code"),
    [
        ("get", "/api/v1/accounts/999999999/", {}, 404, "not_found"),
        ("get", "/api/v1/accounts/99999999999999999999999/", {}, 404, "not_found"),
        ("get", "/api/v1/accounts/abc/", {}, 404, "not_found"),
        ("get", "/api/v1/no-such-resource/", {}, 404, "not_found"),
        ("delete", "/api/v1/platforms/x/", {}, 405, "method_not_allowed"),
        ("get", "/api/v1/accounts/bulk/", {}, 405, "method_not_allowed"),
        (
            "post",
            "/api/v1/accounts/",
            {"data": "{not json", "content_type": "application/json"},
            400,
            "parse_error",
        ),
        (
            "post",
            "/api/v1/accounts/",
            {"data": "<xml/>", "content_type": "application/xml"},
            415,
            "unsupported_media_type",
        ),
        ("get", "/api/v1/accounts/?cursor=%%%", {}, 400, "invalid"),
        ("get", "/api/v1/accounts/?page_size=0", {}, 400, "invalid"),
        ("get", "/api/v1/accounts/?page_size=abc", {}, 400, "invalid"),
        ("get", "/api/v1/accounts/?ordering=password", {}, 400, "invalid"),
        ("get", "/api/v1/accounts/?q=a%00b", {}, 400, "invalid"),
        ("get", "/api/v1/takedowns/?due_before=tomorrow", {}, 400, "invalid"),
        ("get", "/api/v1/takedowns/?group=99999999999999999999", {}, 400, "invalid"),
        ("get", "/api/v1/disclosures/?request=abc", {}, 400, "invalid"),
    ],
)
def test_each_failure_has_the_one_error_shape(
    method, path, kwargs, status, code, supervisor_api, platforms
):
    response = getattr(supervisor_api, method)(path, **kwargs)

    assert response.status_code == status, response.content
    assert error_of(response)["code"] == code


def test_validation_errors_name_every_field_at_fault(supervisor_api, platforms):
    response = supervisor_api.post(
        "/api/v1/accounts/",
        {"handle": "", "groups": "all", "status": "x"},
        format="json",
    )

    error = error_of(response)
    assert response.status_code == 400
    assert error["code"] == "invalid"
    assert sorted(error["fields"]) == ["groups", "handle", "status"]
    assert error["message"] == "Some fields are invalid: groups, handle, status."


@pytest.mark.parametrize(
    "payload",
    [
        [],
        "just a string",
        {"handle": None},
        {"handle": {"nested": True}},
        {"handle": "https://t.me/abcde", "groups": [True]},
        {"handle": "https://t.me/abcde", "tags": "not-a-list"},
        {"handle": "https://t.me/" + "a" * 1990},
        {"handle": "https://www.youtube.com/c/" + "%41" * 600},
    ],
)
def test_garbage_account_bodies_are_400_never_500(payload, supervisor_api, platforms):
    response = supervisor_api.post("/api/v1/accounts/", payload, format="json")

    assert response.status_code == 400, response.content
    error_of(response)
    assert FlaggedAccount.objects.count() == 0


def test_json_with_a_lone_surrogate_is_400(supervisor_api, platforms):
    response = supervisor_api.post(
        "/api/v1/accounts/", '{"handle": "\\ud800"}', content_type="application/json"
    )

    assert response.status_code == 400
    assert error_of(response)["code"] == "parse_error"


def test_a_cursor_from_another_ordering_is_refused(supervisor_api, platforms):
    AccountFactory.create_batch(3, platform=platforms["x"])
    first = supervisor_api.get("/api/v1/accounts/?page_size=1").json()

    response = supervisor_api.get(first["next"] + "&ordering=handle")

    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["cursor"]


def test_forged_cursors_are_400(supervisor_api, platforms):
    import base64
    import json

    AccountFactory(platform=platforms["x"])
    forged = [
        {"o": "-first_seen_at", "v": "not a date", "k": 1},
        {"o": "-first_seen_at", "v": None, "k": "abc"},
        {"o": "-first_seen_at", "v": {"a": 1}, "k": 1},
        ["not", "a", "dict"],
    ]
    for data in forged:
        cursor = base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")
        response = supervisor_api.get(f"/api/v1/accounts/?cursor={cursor}")
        assert response.status_code == 400, (data, response.content)
