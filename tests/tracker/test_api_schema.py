"""The OpenAPI schema and its docs: complete, documented, served without any CDN."""

import json

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture
def schema(supervisor_api):
    response = supervisor_api.get("/api/schema/")
    assert response.status_code == 200
    return json.loads(response.content)


def operations(schema):
    for path, item in schema["paths"].items():
        for method in METHODS:
            if method in item:
                yield f"{method.upper()} {path}", item[method]


def has_example(operation) -> bool:
    bodies = [*operation.get("requestBody", {}).get("content", {}).values()]
    for code, response in operation["responses"].items():
        if code.startswith("2"):
            bodies.extend(response.get("content", {}).values())
    return any("examples" in body or "example" in body for body in bodies)


def test_schema_is_openapi_3_with_the_token_scheme(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["tokenAuth"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": schema["components"]["securitySchemes"]["tokenAuth"]["description"],
    }
    assert {"/api/v1/accounts/bulk/", "/api/v1/takedowns/{id}/request-approval/"} <= set(
        schema["paths"]
    )


def test_every_operation_has_a_summary_examples_and_its_errors(schema):
    problems = []
    for name, operation in operations(schema):
        codes = set(operation["responses"])
        if not operation.get("summary"):
            problems.append(f"{name}: no summary")
        if not has_example(operation) and not name.startswith("DELETE"):
            problems.append(f"{name}: no success example")
        expected_errors = {"401", "403"} | ({"404"} if "{" in name else set())
        if not name.startswith("GET") and not name.startswith("DELETE"):
            expected_errors |= {"400", "415"}
        if expected_errors - codes:
            problems.append(f"{name}: undocumented {sorted(expected_errors - codes)}")
        for code in codes - {"200", "201", "204"}:
            content = operation["responses"][code]["content"]["application/json"]
            if content["schema"] != {"$ref": "#/components/schemas/Error"}:
                problems.append(f"{name}: {code} is not the error document")
    assert problems == []


def test_actions_document_conflict_and_precondition_failed(schema):
    approve = schema["paths"]["/api/v1/takedowns/{id}/approve/"]["post"]

    assert {"409", "412"} <= set(approve["responses"])
    assert any(p["name"] == "If-Match" and p["in"] == "header" for p in approve["parameters"])


def test_schema_needs_a_login_and_is_also_served_as_yaml(api_client_for):
    anonymous, _ = api_client_for("anonymous")
    reader, _ = api_client_for("read_token")

    assert anonymous.get("/api/schema/").status_code == 401
    yaml = reader.get("/api/schema/?format=yaml")
    assert yaml.status_code == 200
    assert yaml.content.startswith(b"openapi: 3.")


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_docs_pages_are_served_from_our_own_static_files(path, api_client_for):
    browser, _ = api_client_for("supervisor")

    page = browser.get(path).content.decode()

    assert "/static/drf_spectacular_sidecar/" in page
    assert "cdn" not in page.lower()
    assert "unpkg" not in page.lower()


def test_docs_send_a_stranger_to_the_login_page(client):
    response = client.get("/api/docs/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_sidecar_assets_exist_in_the_static_files():
    from django.contrib.staticfiles import finders

    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert finders.find("drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js")


@pytest.mark.parametrize("accept", [None, "*/*", "application/json", "text/html,*/*;q=0.8"])
@pytest.mark.parametrize(
    "query, starts",
    [("?format=json", b'{\n    "openapi": "3.'), ("?format=yaml", b"openapi: 3.")],
    ids=["json", "yaml"],
)
def test_the_format_parameter_names_the_schema_whatever_the_accept_header(
    query, starts, accept, supervisor_api
):
    headers = {"HTTP_ACCEPT": accept} if accept else {}

    response = supervisor_api.get(f"/api/schema/{query}", **headers)

    assert response.status_code == 200
    assert response.content.startswith(starts)


@pytest.mark.parametrize(
    "accept, starts",
    [
        ("application/json", b"{"),
        ("application/vnd.oai.openapi+json", b"{"),
        ("application/yaml", b"openapi: 3."),
        ("application/vnd.oai.openapi", b"openapi: 3."),
    ],
)
def test_the_accept_header_chooses_without_a_format(accept, starts, supervisor_api):
    response = supervisor_api.get("/api/schema/", HTTP_ACCEPT=accept)

    assert response.status_code == 200
    assert response["Content-Type"].startswith(accept)
    assert response.content.startswith(starts)


def test_an_unknown_format_is_not_found(supervisor_api):
    assert supervisor_api.get("/api/schema/?format=xml").status_code == 404
