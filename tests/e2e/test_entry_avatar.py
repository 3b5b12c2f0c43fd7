"""The quick-entry page's avatar field in a real browser, in English and in Urdu: a picture is
taken with the account, a file that is not one is refused on its field."""

import pytest

from accounts.models import FlaggedAccount
from tests.factories import UserFactory
from tracker.roles import ANALYST

from .conftest import login, screenshot

pytestmark = pytest.mark.e2e

PASSWORD = "correct-horse-battery-staple"


@pytest.mark.parametrize("language", ["en", "ur"])
def test_the_entry_form_takes_an_avatar_and_refuses_a_non_picture(
    page, platforms, tmp_path, language
):
    from tests.images import good_avatar

    UserFactory(username=f"entry_{language}", role=ANALYST, language=language)
    login(page, f"entry_{language}", PASSWORD)
    page.goto("/accounts/new/")
    picture = tmp_path / "avatar.png"
    picture.write_bytes(good_avatar(3).read())
    not_picture = tmp_path / "avatar.gif"
    not_picture.write_bytes(b"%PDF-1.4 this is not a picture")

    page.locator("#id_value").fill("https://t.me/not_a_picture")
    page.locator("#id_avatar").set_input_files(str(not_picture))
    with page.expect_navigation():
        page.locator("#entry-form").evaluate("form => form.requestSubmit()")
    field = page.locator(".field.has-error:has(#id_avatar)")
    assert field.is_visible() and page.locator("#id_avatar").get_attribute("aria-invalid") == "true"
    screenshot(page, f"entry-avatar-refused-{language}")
    assert not FlaggedAccount.objects.exists()

    page.locator("#id_value").fill("https://t.me/with_a_picture")
    page.locator("#id_avatar").set_input_files(str(picture))
    with page.expect_navigation():
        page.locator("#entry-form").evaluate("form => form.requestSubmit()")
    account = FlaggedAccount.objects.get(handle="with_a_picture")
    assert len(account.avatar_pdq) == 64
    screenshot(page, f"entry-avatar-saved-{language}")
