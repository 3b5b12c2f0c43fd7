"""The request list's export walked in a real browser, in English and in Urdu: filter the list
(htmx redraws it), reach the export link with the keyboard, download the file, and find only
the filtered requests in it."""

import csv
import io

import pytest

from takedowns.choices import RequestStatus
from tests.factories import AccountFactory, UserFactory, takedown_at
from tracker.roles import SUPERVISOR

from .conftest import login, screenshot

pytestmark = pytest.mark.e2e

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def requests_(platforms):
    author = UserFactory(username="drafter")
    telegram = takedown_at(
        RequestStatus.SUBMITTED,
        author,
        platform=platforms["telegram"],
        accounts=[AccountFactory(platform=platforms["telegram"], handle="browser_channel")],
    )
    x = takedown_at(
        RequestStatus.DRAFT,
        author,
        platform=platforms["x"],
        accounts=[AccountFactory(platform=platforms["x"], handle="browser_x")],
    )
    return telegram, x


def _walk(page, *, urdu: bool, telegram, name: str) -> None:
    page.goto("/takedowns/")
    page.locator("details:has(input[name=platform]) > summary").click()
    with page.expect_response(lambda r: "/takedowns/?" in r.url and "platform=" in r.url):
        page.locator("input[name=platform][value=telegram]").check()
    page.wait_for_load_state("networkidle")
    link = page.locator("a[href^='/takedowns/export.csv']")
    assert "platform=telegram" in link.get_attribute("href")
    link.focus()  # a plain link: in the Tab order, and Enter follows it
    assert page.evaluate("document.activeElement.getAttribute('href')").startswith(
        "/takedowns/export.csv"
    )
    screenshot(page, f"requests-export-{name}")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    text = download.value.path().read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["reference"] for r in rows] == [telegram.reference]
    assert rows[0]["handles"] == "browser_channel"
    if urdu:
        html = page.locator("html")
        assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ur", "rtl")
        assert link.inner_text().strip() == "تمام مطابق نتائج برآمد کریں (CSV)"


def test_a_supervisor_exports_the_filtered_requests_from_the_keyboard(page, requests_):
    UserFactory(username="exporter", role=SUPERVISOR)
    login(page, "exporter", PASSWORD)
    _walk(page, urdu=False, telegram=requests_[0], name="english")


def test_the_request_export_in_urdu(page, requests_):
    UserFactory(username="urdu_exporter", role=SUPERVISOR, language="ur")
    login(page, "urdu_exporter", PASSWORD)
    _walk(page, urdu=True, telegram=requests_[0], name="urdu")
