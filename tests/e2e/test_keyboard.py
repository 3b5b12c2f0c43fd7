"""The entry form and the lists work with the keyboard alone, with a visible focus."""

import pytest

from accounts.models import FlaggedAccount
from tests.factories import AccountFactory, GroupFactory, UserFactory
from tracker.roles import ANALYST

from .conftest import login

pytestmark = pytest.mark.e2e

FOCUSED = "document.activeElement"


def focused(page, expression: str):
    return page.evaluate(f"(() => {{ const el = {FOCUSED}; return {expression}; }})()")


def test_entry_form_and_account_list_from_the_keyboard(page, platforms):
    group = GroupFactory(name="Tehrik-e Taliban Pakistan")
    group.aliases.create(name="TTP", name_key="ttp")
    UserFactory(username="keyboard", role=ANALYST)
    for n in range(3):
        AccountFactory(platform=platforms["x"], handle=f"listed_{n}")
    login(page, "keyboard", "correct-horse-battery-staple")

    # Focus starts in the handle box; type, Tab through, pick a group with the arrows.
    assert focused(page, "el.id") == "id_value"
    page.keyboard.type("https://t.me/keyboard_only")
    page.get_by_test_id("entry-detected").wait_for()
    page.keyboard.press("Tab")
    assert focused(page, "el.id") == "id_platform"
    page.keyboard.press("Tab")
    page.keyboard.type("Keyboard Only")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert focused(page, "el.id") == "id_avatar"  # the profile picture is reachable too
    page.keyboard.press("Tab")
    assert focused(page, "el.id") == "group-q"
    page.keyboard.type("ttp")
    page.locator("#group-options input").first.wait_for()
    page.keyboard.press("ArrowDown")
    assert focused(page, "el.closest('#group-options') !== null") is True
    page.keyboard.press("Space")
    assert page.locator("#group-chips .chip").count() == 1
    assert focused(page, "el.id") == "group-q"
    # An empty group box lets Enter save the form.
    with page.expect_navigation():
        page.keyboard.press("Enter")
    account = FlaggedAccount.objects.get(handle="keyboard_only")
    assert (account.display_name, list(account.groups.all())) == ("Keyboard Only", [group])

    # The list: the skip link first, then the rows' tick boxes, with a visible focus ring.
    page.goto("/accounts/")
    page.keyboard.press("Tab")
    assert focused(page, "el.className") == "skip-link"
    page.keyboard.press("Enter")
    for _ in range(80):
        page.keyboard.press("Tab")
        if focused(page, "el.name") == "ids":
            break
    else:
        pytest.fail("no row tick box is reachable with Tab")
    assert focused(page, "getComputedStyle(el).outlineStyle") != "none"
    page.keyboard.press("Space")
    assert page.locator("[data-selected-count]").inner_text() == "1 selected"
