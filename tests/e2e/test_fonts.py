"""Urdu pages draw their letters with the tracker's own web font, even on a machine whose
system has no Arabic-script font at all (a plain Debian machine, as a new user has)."""

import pytest
from django.core.management import call_command

from tests.factories import UserFactory
from tracker import demo
from tracker.roles import SUPERVISOR

from .conftest import CHROMIUM, CHROMIUM_ARGS, login, screenshot

pytestmark = pytest.mark.e2e

# Only the Latin fonts of the system: Chromium then finds no Urdu glyph but the served one.
FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>/usr/share/fonts/truetype/dejavu</dir>
  <dir>/usr/share/fonts/truetype/liberation</dir>
  <cachedir>{cache}</cachedir>
</fontconfig>
"""


@pytest.fixture
def latin_only_page(browser, live_server, settings, tmp_path):
    """A page in a Chromium that sees no system font with Urdu glyphs."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(FONTS_CONF.format(cache=tmp_path / "fontcache"))
    chromium = browser.browser_type.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, env={"FONTCONFIG_FILE": str(conf)}
    )
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 1440, "height": 900}, locale="en-GB"
    )
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()
        chromium.close()


def test_urdu_dashboard_uses_the_served_naskh_font(latin_only_page, monkeypatch):
    monkeypatch.setattr(demo, "ACCOUNT_COUNT", 40)
    monkeypatch.setattr(demo, "REQUEST_COUNT", 12)
    call_command("seed_demo")
    UserFactory(username="urdu_supervisor", role=SUPERVISOR, language="ur")
    page = latin_only_page

    login(page, "urdu_supervisor", "correct-horse-battery-staple")
    page.goto("/dashboard/")
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready")

    assert page.locator("html").get_attribute("dir") == "rtl"
    loaded = page.evaluate(
        "[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)"
    )
    assert any("Noto Naskh Arabic" in family for family in loaded), loaded
    # The heading's glyphs come from the served face: the browser says which one it used.
    assert page.evaluate("document.fonts.check('15px \"Noto Naskh Arabic\"', 'ہے')")
    screenshot(page, "dashboard-urdu")
