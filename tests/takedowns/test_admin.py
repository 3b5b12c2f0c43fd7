"""The takedowns admin: requests, their items and disclosures are shown, never changed around
the services."""

import pytest
from django.urls import reverse

from takedowns import services
from tests.factories import AccountFactory, TakedownFactory

pytestmark = pytest.mark.django_db


def test_request_page_shows_items_without_letting_them_be_added_or_moved(
    admin_client, analyst, platforms
):
    takedown = TakedownFactory(
        platform=platforms["telegram"],
        created_by=analyst,
        accounts=[AccountFactory(platform=platforms["telegram"], handle="sada_e_haq")],
    )

    page = admin_client.get(reverse("admin:takedowns_takedownrequest_change", args=[takedown.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    assert "sada_e_haq" in html
    assert 'name="items-TOTAL_FORMS"' in html and 'name="items-0-account"' not in html
    assert 'name="platform"' not in html  # shown, not editable


def test_disclosure_pages_never_show_the_data(admin_client, supervisor, analyst, platforms):
    telegram = platforms["telegram"]
    takedown = TakedownFactory(
        platform=telegram,
        created_by=analyst,
        kind="disclosure",
        status="submitted",
        accounts=[AccountFactory(platform=telegram)],
    )
    disclosure = services.disclosure_record(
        takedown=takedown,
        account=takedown.items.get().account,
        data={"Phone": "+92 321 7654321"},
        user=supervisor,
    )

    listing = admin_client.get(reverse("admin:takedowns_disclosure_changelist"))
    detail = admin_client.get(reverse("admin:takedowns_disclosure_change", args=[disclosure.pk]))
    add = admin_client.get(reverse("admin:takedowns_disclosure_add"))

    assert (listing.status_code, detail.status_code, add.status_code) == (200, 200, 403)
    assert "7654321" not in listing.content.decode() + detail.content.decode()


def test_platform_page_edits_its_deadlines_inline(admin_client, platforms):
    telegram = platforms["telegram"]

    page = admin_client.get(reverse("admin:accounts_platform_change", args=[telegram.pk]))

    assert page.status_code == 200
    assert 'name="deadlines-TOTAL_FORMS"' in page.content.decode()


def test_accounts_admin_does_not_import_takedowns():
    import ast
    from pathlib import Path

    import accounts.admin

    tree = ast.parse(Path(accounts.admin.__file__).read_text())
    imported = {
        node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
    } | {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert not [name for name in imported if name.split(".")[0] == "takedowns"]
