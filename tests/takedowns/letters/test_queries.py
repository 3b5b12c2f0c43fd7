"""The letter template editor and the request package read a fixed number of queries however
many templates, accounts and evidence items there are. The template list read each template's
platform on its own (11 queries for 3 templates, 38 for 30) until the admin joined it (8)."""

import pytest
from django.urls import reverse

from accounts.services import evidence_capture
from takedowns.choices import RequestKind
from takedowns.letters.models import LetterTemplate
from tests.conftest import QUERY_SIZES
from tests.factories import AccountFactory, GroupFactory, PlatformFactory, TakedownFactory

pytestmark = [pytest.mark.django_db, pytest.mark.parametrize("rows", QUERY_SIZES)]


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


def test_the_template_list_reads_8_queries(rows, templates, admin_client, counted_get):
    templates(rows)

    response = counted_get(admin_client, reverse("admin:takedowns_lettertemplate_changelist"), 8)

    assert response.content.decode().count("Letter ") >= rows


def test_the_template_editor_reads_7_queries(rows, templates, admin_client, counted_get):
    url = reverse("admin:takedowns_lettertemplate_change", args=[templates(rows)[0].pk])

    assert counted_get(admin_client, url, 7).status_code == 200


def test_the_package_download_reads_13_queries(
    rows, large_request, client, supervisor, counted_get
):
    takedown = large_request(rows)
    client.force_login(supervisor)

    response = counted_get(client, reverse("takedowns:package", args=[takedown.pk]), 13)

    assert response.downloaded.startswith(b"PK")


def test_the_package_api_reads_11_queries(rows, large_request, supervisor_api, counted_get):
    takedown = large_request(rows)

    response = counted_get(supervisor_api, f"/api/v1/takedowns/{takedown.pk}/package/", 11)

    assert response.downloaded.startswith(b"PK")
