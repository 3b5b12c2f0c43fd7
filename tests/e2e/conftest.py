"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

One browser for the whole package (a fresh context per test); it is closed when the package
ends, so the rest of the suite runs without Playwright's event loop in the main thread.
"""

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import need

CHROMIUM = shutil.which("chromium")
ROOT = Path(__file__).resolve().parents[2]
# var/screenshots (ignored by git) on every run, so a test run leaves the checkout as it was;
# TRACKER_SCREENSHOT_DIR=docs/screenshots refreshes the ones the README shows.
SCREENSHOTS = ROOT / os.environ.get("TRACKER_SCREENSHOT_DIR", "var/screenshots")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="package")
def browser():
    need(CHROMIUM is not None, "Chromium (Debian's chromium package)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop in this thread; the tests' own ORM calls are
    # still plain synchronous code, which Django must be told to allow.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        yield chromium
    finally:
        chromium.close()
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# Every page reports Content-Security-Policy violations to the console, where the fixture
# collects them (Chromium's own CSP messages are collected too): any violation fails the test.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"}`
    + ` at ${e.sourceFile || document.location.href}:${e.lineNumber}`);
});
"""


@pytest.fixture
def page(browser, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1440, "height": 900},
        timezone_id="Asia/Karachi",
        locale="en-GB",
    )
    context.set_default_timeout(10_000)
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}")
            if "CSP violation" in message.text or "Content Security Policy" in message.text
            else None
        ),
    )
    try:
        yield page
    finally:
        context.close()
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)


def login(page, username: str, password: str) -> None:
    """Sign in through the login form and, where the role needs it, the real second-factor
    page (the code computed from the user's device key, as their phone would), then wait for
    the landing page. A user without a device enrols through the real enrolment page."""
    page.goto("/auth/login/", timeout=30_000)  # a cold live server imports the app first
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    if "/auth/second-factor/setup/" in page.url:
        _enrol(page)
    elif "/auth/second-factor/" in page.url:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from tests.second_factor import totp_code

        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        page.locator("input[name=code]").fill(totp_code(device))
        with page.expect_navigation():
            page.locator("form:has(input[name=code]) button").first.click()
    page.wait_for_load_state("networkidle")


def _enrol(page) -> None:
    """Type the shown key into 'the app' (django-otp's TOTP), confirm, pass the backup codes."""
    import base64

    from django_otp.oath import TOTP

    secret = page.locator("#otp-secret").inner_text().strip()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    # By name, not label: the steps are in the user's language (Urdu users too).
    page.locator("input[name=code]").fill(f"{TOTP(key).token():06d}")
    with page.expect_navigation():
        page.locator("form:has(input[name=code]) button").first.click()
    with page.expect_navigation():
        page.locator("a.btn-primary").first.click()


def logout(page) -> None:
    page.locator(".usermenu > summary").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()


def screenshot(page, name: str) -> None:
    """Write <name>.png into SCREENSHOTS, to be looked at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=False)
