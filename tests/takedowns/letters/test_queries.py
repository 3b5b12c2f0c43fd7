"""The letter template editor and the request package read a fixed number of queries however
many templates, accounts and evidence items there are."""

import pytest
from django.urls import reverse

from accounts.services import evidence_capture
from takedowns.choices import RequestKind
from takedowns.letters.models import LetterTemplate
from tests.factories import AccountFactory, GroupFactory, PlatformFactory, TakedownFactory

pytestmark = pytest.mark.django_db

SIZES = [3, 30]


@pytest.fixture
def templates(default_template):
    def make(rows: int):
        kinds = list(RequestKind.values)
        return [
            LetterTemplate.objects.create(
                name=f"Letter {n}",
                platform=PlatformFactory(slug=f"platform{n}"),
                kind=kinds[n % len(kinds)],
                issuing_unit="CTD",
                subject="{{ reference }}",
                body="To {{ platform }}",
            )
            for n in range(rows)
        ]

    return make


@pytest.fixture
def large_request(platforms, analyst, default_template, settings, tmp_path):
    """A request over `rows` accounts, each in two groups with a URL and a text as evidence."""
    settings.MEDIA_ROOT = tmp_path

    def make(rows: int):
        groups = GroupFactory.create_batch(2)
        accounts = AccountFactory.create_batch(rows, platform=platforms["x"])
        for n, account in enumerate(accounts):
            account.groups.set(groups)
            evidence_capture(account=account, user=analyst, url=f"https://x.com/a/{n}")
            evidence_capture(account=account, user=analyst, text=f"post {n}")
        return TakedownFactory(platform=platforms["x"], created_by=analyst, accounts=accounts)

    return make


@pytest.mark.parametrize("rows", SIZES)
def test_the_template_list_reads_a_fixed_number_of_queries(
    rows, templates, admin_client, django_assert_max_num_queries
):
    templates(rows)

    with django_assert_max_num_queries(QUERIES["changelist"]):
        response = admin_client.get(reverse("admin:takedowns_lettertemplate_changelist"))

    assert response.content.decode().count("Letter ") >= rows


@pytest.mark.parametrize("rows", SIZES)
def test_the_template_editor_reads_a_fixed_number_of_queries(
    rows, templates, admin_client, django_assert_max_num_queries
):
    template = templates(rows)[0]
    url = reverse("admin:takedowns_lettertemplate_change", args=[template.pk])

    with django_assert_max_num_queries(QUERIES["change"]):
        response = admin_client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize("rows", SIZES)
def test_the_package_download_reads_a_fixed_number_of_queries(
    rows, large_request, client, supervisor, django_assert_max_num_queries
):
    takedown = large_request(rows)
    client.force_login(supervisor)

    with django_assert_max_num_queries(QUERIES["package"]):
        response = client.get(reverse("takedowns:package", args=[takedown.pk]))
        b"".join(response.streaming_content)

    assert response.status_code == 200


@pytest.mark.parametrize("rows", SIZES)
def test_the_package_api_reads_a_fixed_number_of_queries(
    rows, large_request, supervisor_api, django_assert_max_num_queries
):
    takedown = large_request(rows)
    supervisor_api.get("/api/v1/me/")  # the token's first use of the hour is logged

    with django_assert_max_num_queries(QUERIES["api_package"]):
        response = supervisor_api.get(f"/api/v1/takedowns/{takedown.pk}/package/")
        b"".join(response.streaming_content)

    assert response.status_code == 200


# Measured at both sizes. The template list read each template's platform on its own (11
# queries for 3 templates, 38 for 30) until the admin selected it with the templates (8).
QUERIES = {"changelist": 8, "change": 7, "package": 13, "api_package": 11}
