"""A user signs out of their other sessions from the preferences page, with the keyboard."""

import pytest

from tests.factories import UserFactory
from tracker.models import SecurityEvent
from tracker.roles import ANALYST

from .conftest import login, screenshot

pytestmark = pytest.mark.e2e

PASSWORD = "correct-horse-battery-staple"


def test_signing_out_of_the_other_sessions_from_the_keyboard(page, browser, live_server):
    user = UserFactory(username="two_browsers", role=ANALYST)
    other = browser.new_context(base_url=live_server.url)
    phone = other.new_page()
    try:
        login(phone, "two_browsers", PASSWORD)
        login(page, "two_browsers", PASSWORD)
        page.goto("/preferences/")

        for _ in range(60):  # Tab to the button, as a keyboard user does
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.textContent.trim()") == (
                "Sign out of all other sessions"
            ):
                break
        else:
            raise AssertionError("the button is not reachable with Tab")
        with page.expect_navigation():
            page.keyboard.press("Enter")

        assert "Signed out of 1 other session." in page.content()
        screenshot(page, "preferences-sessions")
        phone.goto("/accounts/")
        assert "/auth/login/" in phone.url  # the other browser is signed out
        page.goto("/accounts/")
        assert "/auth/login/" not in page.url  # this one is not
        assert SecurityEvent.objects.filter(kind="sessions_ended", user=user).count() == 1

        user.language = "ur"
        user.save(update_fields=["language"])
        page.goto("/preferences/")
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert page.get_by_role("button", name="باقی تمام سیشنز سے سائن آؤٹ کریں").is_visible()
        screenshot(page, "preferences-sessions-urdu")
    finally:
        other.close()
