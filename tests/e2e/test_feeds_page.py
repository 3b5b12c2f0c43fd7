"""The feeds page in a real browser, in English and in Urdu: an administrator creates a
platform's signing key and issues a token, each shown once."""

import pytest

from accounts.choices import AccountStatus
from accounts.services import account_create
from tests.factories import PlatformFactory, UserFactory
from tracker.roles import ADMINISTRATOR

from .conftest import login, screenshot

pytestmark = pytest.mark.e2e


@pytest.fixture
def world(transactional_db):
    for slug, name in [("x", "X"), ("telegram", "Telegram"), ("tiktok", "TikTok")]:
        PlatformFactory(slug=slug, name=name)
    admin = UserFactory(username="feeds_admin", role=ADMINISTRATOR)
    admin.is_staff = True
    admin.save()
    account_create(user=admin, value="abu_hamza_tv", platform="x", status=AccountStatus.REMOVED)
    return admin


def test_an_administrator_creates_a_key_and_a_token(page, world):
    login(page, "feeds_admin", "correct-horse-battery-staple")
    # Reached through the top navigation, where the link shows the page as the current one.
    with page.expect_navigation():
        page.locator("nav.mainnav").get_by_role("link", name="Feeds").click()
    assert page.get_by_role("heading", name="Prevention feeds").is_visible()
    current = page.locator('nav.mainnav a[aria-current="page"]')
    assert current.inner_text().strip() == "Feeds"

    row = page.locator("tr", has_text="/api/v1/feeds/x/")
    with page.expect_navigation():
        row.get_by_role("button", name="Create key").click()
    secret = page.locator(".feed-secret-value").inner_text()
    assert len(secret) >= 40

    row = page.locator("tr", has_text="/api/v1/feeds/x/")
    row.get_by_label("Token name").fill("X trust and safety")
    with page.expect_navigation():
        row.get_by_role("button", name="Issue token").click()
    assert page.locator(".feed-secret-value").inner_text().startswith("feed_")
    screenshot(page, "feeds-page")

    page.goto("/sharing/feeds/")
    assert page.locator(".feed-secret-value").count() == 0
    assert (
        page.locator("tr", has_text="/api/v1/feeds/x/")
        .get_by_text("X trust and safety")
        .is_visible()
    )


def test_the_feeds_page_in_urdu_is_right_to_left(page, world):
    world.language = "ur"
    world.save()
    login(page, "feeds_admin", "correct-horse-battery-staple")
    page.goto("/sharing/feeds/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.get_by_role("heading", name="روک تھام کی فیڈز").is_visible()
    screenshot(page, "feeds-page-urdu")
