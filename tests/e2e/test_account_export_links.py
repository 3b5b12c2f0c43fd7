"""The account list's export links follow the filters htmx applies, in a real browser: filter
by platform, and the CSV downloaded from the redrawn link holds only that platform's accounts."""

import csv
import io

import pytest

from tests.factories import AccountFactory, UserFactory
from tracker.roles import ANALYST

from .conftest import login

pytestmark = pytest.mark.e2e

PASSWORD = "correct-horse-battery-staple"


def test_the_export_link_carries_the_filter_applied_without_a_reload(page, platforms):
    AccountFactory(platform=platforms["telegram"], handle="filtered_channel")
    AccountFactory(platform=platforms["x"], handle="other_platform")
    UserFactory(username="list_exporter", role=ANALYST)
    login(page, "list_exporter", PASSWORD)
    page.goto("/accounts/")
    page.locator("details:has(input[name=platform]) > summary").click()
    with page.expect_response(lambda r: "/accounts/?" in r.url and "platform=" in r.url):
        page.locator("input[name=platform][value=telegram]").check()
    page.wait_for_load_state("networkidle")
    link = page.locator("a[href^='/accounts/export']").first
    assert "platform=telegram" in link.get_attribute("href")
    with page.expect_download() as download:
        link.click()
    text = download.value.path().read_bytes().decode("utf-8-sig")
    assert [r["handle"] for r in csv.DictReader(io.StringIO(text))] == ["filtered_channel"]
