"""The account-list upload walked in a real browser, in English and in Urdu: drop a file, see
and change the column mapping, read the preview of every row, import the good rows, download
the rows to fix. The CSP listener of the conftest fails the test on any violation."""

import pytest

from accounts.models import FlaggedAccount
from tests.accounts.list_files import GROUPS, csv_bytes
from tests.factories import AccountFactory, GroupFactory, UserFactory
from tracker.roles import ANALYST

from .conftest import login, screenshot

pytestmark = pytest.mark.e2e

PASSWORD = "correct-horse-battery-staple"
LIST = [
    "ہینڈل,پلیٹ فارم,organisation,comment",
    "@browser_one,x,Lashkar-e-Tayyiba,seen in a channel",
    "https://t.me/browser_two,,Islamic State Khorasan Province,",
    "@browser_one,x,,",
    "https://t.me/already_there,,,",
    "@bad_group,x,No Such Group,",
]


@pytest.fixture
def tracker(platforms):
    for name in GROUPS:
        GroupFactory(name=name)
    AccountFactory(platform=platforms["telegram"], handle="already_there")


def _walk(page, tmp_path, *, urdu: bool):
    name = "urdu" if urdu else "english"
    path = tmp_path / f"list-{name}.csv"
    path.write_bytes(csv_bytes(LIST))
    page.goto("/accounts/upload/")
    page.locator("input[type=file]").set_input_files(str(path))
    with page.expect_navigation():
        page.locator("#upload-form button[type=submit]").click()

    # The mapping: the Urdu headings and "organisation" are understood; "comment" is not.
    selects = page.locator("#mapping-form select")
    assert [selects.nth(i).input_value() for i in range(4)] == ["handle", "platform", "groups", ""]
    selects.nth(3).select_option("notes")
    screenshot(page, f"upload-mapping-{name}")
    with page.expect_navigation():
        page.locator("#mapping-form button[type=submit]").click()

    # The preview: every row with what will happen to it.
    rows = page.locator("table.preview tbody tr")
    assert rows.count() == 5
    assert [rows.nth(i).get_attribute("class") for i in range(5)] == [
        "row-create", "row-create", "row-duplicate_in_file", "row-in_tracker", "row-error",
    ]  # fmt: skip
    assert "No Such Group" in rows.nth(4).inner_text()
    existing = FlaggedAccount.objects.get(handle="already_there")
    assert rows.nth(3).locator("a").get_attribute("href") == f"/accounts/{existing.pk}/"
    screenshot(page, f"upload-preview-{name}")

    page.locator("input[name=mode][value=partial]").check()
    with page.expect_navigation():
        page.locator("#import-form button[type=submit]").click()
    assert page.locator(".result-created").count() == 1
    with page.expect_download() as download:
        page.locator("a[href$='rows-to-fix.csv']").first.click()
    fixed = download.value.path().read_text(encoding="utf-8-sig")
    assert fixed.count("\n") == 4  # the heading and the three refused rows
    screenshot(page, f"upload-result-{name}")


def test_an_analyst_uploads_a_list_in_the_browser(page, tracker, tmp_path):
    UserFactory(username="list_analyst", role=ANALYST)
    login(page, "list_analyst", PASSWORD)

    _walk(page, tmp_path, urdu=False)

    assert sorted(
        FlaggedAccount.objects.filter(flagged_by__username="list_analyst").values_list(
            "handle", "notes"
        )
    ) == [("browser_one", "seen in a channel"), ("browser_two", "")]


def test_the_upload_pages_in_urdu_run_right_to_left(page, tracker, tmp_path):
    UserFactory(username="urdu_analyst", role=ANALYST, language="ur")
    login(page, "urdu_analyst", PASSWORD)

    _walk(page, tmp_path, urdu=True)

    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ur", "rtl")
    assert "درآمد مکمل" in page.locator(".result-created").inner_text()
