"""The Share menu from the keyboard (English and Urdu) and the STIX import page in the browser."""

import json

import pytest
from stix2validator import validate_string

from accounts.models import FlaggedAccount
from sharing.stix.export import bundle_text
from tests.factories import AccountFactory, GroupFactory, UserFactory
from tracker.roles import ANALYST

from .conftest import login, screenshot

pytestmark = pytest.mark.e2e
PASSWORD = "correct-horse-battery-staple"


def _accounts(platforms):
    group = GroupFactory(name="Lashkar-e-Jhangvi")
    for n in range(3):
        AccountFactory(platform=platforms["x"], handle=f"shared_{n}").groups.set([group])


def test_share_menu_downloads_a_stix_bundle_from_the_keyboard(page, platforms):
    _accounts(platforms)
    UserFactory(username="sharer", role=ANALYST)
    login(page, "sharer", PASSWORD)
    page.goto("/accounts/")
    page.locator(".share-menu > summary").focus()
    page.keyboard.press("Enter")
    assert page.locator(".share-menu").get_attribute("open") is not None
    page.keyboard.press("Tab")
    assert "/sharing/export/stix/accounts/" in page.evaluate("document.activeElement.href")
    screenshot(page, "share-menu")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    with open(download.value.path(), encoding="utf-8") as downloaded:
        text = downloaded.read()
    assert validate_string(text).is_valid
    logins = {o.get("account_login") for o in json.loads(text)["objects"]}
    assert {"shared_0", "shared_1", "shared_2"} <= logins


def test_share_menu_in_urdu(page, platforms):
    _accounts(platforms)
    user = UserFactory(username="urdu_sharer", role=ANALYST)
    user.language = "ur"
    user.save()
    login(page, "urdu_sharer", PASSWORD)
    page.goto("/accounts/")
    page.locator(".share-menu > summary").click()
    assert page.locator(".share-menu > summary").inner_text().strip() == "شیئر کریں"
    assert page.get_by_role("link", name="STIX 2.1 بنڈل", exact=True).is_visible()
    screenshot(page, "share-menu-urdu")


def test_stix_import_preview_and_confirm(page, platforms, tmp_path):
    _accounts(platforms)
    text = bundle_text(accounts=FlaggedAccount.objects.all())
    FlaggedAccount.objects.filter(handle="shared_2").delete()
    bundle = tmp_path / "partner.json"
    bundle.write_text(text, encoding="utf-8")
    UserFactory(username="importer", role=ANALYST)
    login(page, "importer", PASSWORD)
    page.goto("/sharing/stix/import/")
    page.locator("#stix-file").set_input_files(bundle)
    page.get_by_label("Import the objects that can be, and leave out the others").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Preview").click()
    preview = page.get_by_test_id("stix-preview")
    assert "shared_2" in preview.inner_text()
    assert "already recorded" in page.get_by_test_id("stix-refused").inner_text()
    screenshot(page, "stix-import-preview")
    with page.expect_navigation():
        page.get_by_test_id("stix-confirm").click()
    assert FlaggedAccount.objects.filter(handle="shared_2").exists()
