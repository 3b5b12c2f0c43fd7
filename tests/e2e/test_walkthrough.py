"""The staff UI walked through in a real browser, as the cell uses it."""

import hashlib
import re

import pytest
from django.conf import settings
from django.core.management import call_command

from accounts.choices import AccountStatus
from accounts.models import Evidence, FlaggedAccount
from takedowns.choices import RequestStatus
from takedowns.models import DisclosureAccess, TakedownRequest
from tests.accounts.avatar_images import encoded, picture
from tests.factories import AccountFactory, TakedownFactory, UserFactory
from tracker import demo
from tracker.roles import ANALYST, SUPERVISOR

from .conftest import login, logout, screenshot

pytestmark = pytest.mark.e2e

NEW_URLS = [
    ("https://t.me/sada_e_jihad_2026", "telegram", "sada_e_jihad_2026"),
    ("https://www.youtube.com/@nawa.media.2026", "youtube", "nawa.media.2026"),
    ("https://x.com/AlFath_Media26", "x", "AlFath_Media26"),
]
# The third account again, as another analyst would paste it: other host, case and tracking.
SAME_AS_THIRD = "https://mobile.twitter.com/alfath_media26?lang=en"
# A real picture: evidence is checked by its content (a PNG header alone is refused).
PNG = encoded(picture(5))


@pytest.fixture
def demo_data(monkeypatch):
    """A small demo set through the real services, so the pages look as they do in use."""
    monkeypatch.setattr(demo, "ACCOUNT_COUNT", 70)
    monkeypatch.setattr(demo, "REQUEST_COUNT", 24)
    call_command("seed_demo")


def test_analyst_logs_accounts_and_supervisor_takes_a_request_to_actioned(page, demo_data):
    login(page, "analyst", settings.DEMO_PASSWORD)
    assert page.url.endswith("/accounts/new/")

    # Groups are picked by an alias in Urdu script; Enter in the group box picks the match.
    page.get_by_label("Find a group by name or alias").fill("طیبہ")
    page.locator("#group-options input").first.wait_for()
    page.get_by_label("Find a group by name or alias").press("Enter")
    chips = page.locator("#group-chips .chip")
    assert chips.count() == 1 and "Lashkar-e-Tayyiba" in chips.first.inner_text()

    for n, (url, _slug, handle) in enumerate(NEW_URLS):
        value = page.get_by_label("Handle or profile URL")
        value.fill(url)
        page.get_by_test_id("entry-detected").wait_for()
        if n == 2:
            page.get_by_label("Evidence files").set_input_files(
                files=[{"name": "profile.png", "mimeType": "image/png", "buffer": PNG}]
            )
            page.get_by_label("Evidence URL").fill("https://web.archive.org/web/2026/x.com/a")
        with page.expect_navigation():
            value.press("Enter")
        message = page.locator(".message.success")
        assert "Saved" in message.inner_text() and handle in message.inner_text()
        # Ready for the next account: empty, focused, groups kept.
        assert page.get_by_label("Handle or profile URL").input_value() == ""
        assert page.evaluate("document.activeElement.id") == "id_value"
        assert page.locator("#group-chips .chip").count() == 1

    page.get_by_label("Handle or profile URL").fill(SAME_AS_THIRD)
    warning = page.get_by_test_id("duplicate-warning")
    warning.wait_for()
    assert "Already recorded" in warning.inner_text() and "AlFath_Media26" in warning.inner_text()
    screenshot(page, "entry")

    created = {
        slug: FlaggedAccount.objects.get(platform__slug=slug, handle=handle)
        for _url, slug, handle in NEW_URLS
    }
    assert {a.flagged_by.username for a in created.values()} == {"analyst"}
    assert all(a.groups.get().name == "Lashkar-e-Tayyiba" for a in created.values())
    evidence = Evidence.objects.filter(account=created["x"]).order_by("kind")
    assert [e.kind for e in evidence] == ["file", "url"]
    assert evidence[0].sha256 == hashlib.sha256(PNG).hexdigest()
    assert evidence[0].original_name == "profile.png"

    # Takedown requests from the three entries: one per platform, sent for approval.
    for account in created.values():
        page.locator(f"#recent-{account.pk}").check()
    page.get_by_role("button", name="Draft takedown requests for the ticked").click()
    assert "3 requests will be created" in page.content()
    with page.expect_navigation():
        page.get_by_role("button", name="Create 3 requests").click()
    assert "Created 3 requests" in page.locator(".message.success").inner_text()
    requests = {
        t.platform.slug: t
        for t in TakedownRequest.objects.filter(items__account__in=created.values()).distinct()
    }
    assert set(requests) == {"telegram", "youtube", "x"}
    assert {t.status for t in requests.values()} == {RequestStatus.PENDING_APPROVAL}

    # The analyst sees no approve button on their own request.
    telegram = requests["telegram"]
    page.goto(f"/takedowns/{telegram.pk}/")
    assert page.get_by_test_id("actions").get_by_role("button", name="Approve").count() == 0
    logout(page)

    # A supervisor approves it, sends it and sees its countdown on the dashboard.
    login(page, "supervisor", settings.DEMO_PASSWORD)
    assert page.url.endswith("/dashboard/")
    page.goto(f"/takedowns/{telegram.pk}/")
    with page.expect_navigation():
        page.get_by_role("button", name="Approve").click()
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Mark as sent to Telegram")).click()
    telegram.refresh_from_db()
    assert (
        telegram.status == RequestStatus.SUBMITTED and telegram.approved_by.username == "supervisor"
    )
    countdown = page.get_by_test_id("countdown")
    assert re.search(r"1 d 2\d h left", countdown.inner_text())
    screenshot(page, "request")

    page.goto("/dashboard/")
    row = page.get_by_test_id("due-next").locator("tr", has_text=telegram.reference)
    assert re.search(r"1 d 2\d h left", row.inner_text())
    screenshot(page, "dashboard")

    # The platform removed the account: the supervisor records the outcome.
    page.goto(f"/takedowns/{telegram.pk}/")
    page.get_by_text("Record outcomes").click()
    page.get_by_label(f"Outcome for {NEW_URLS[0][2]}").select_option("removed")
    with page.expect_navigation():
        page.get_by_role("button", name="Save outcomes and close").click()
    telegram.refresh_from_db()
    assert telegram.status == RequestStatus.ACTIONED
    assert "Actioned" in page.locator("h1").inner_text()
    created["telegram"].refresh_from_db()
    assert created["telegram"].status == AccountStatus.REMOVED


def test_page_in_urdu_renders_right_to_left(page, platforms):
    UserFactory(username="urdu_analyst", role=ANALYST)
    login(page, "urdu_analyst", "correct-horse-battery-staple")
    page.locator(".usermenu > summary").click()
    with page.expect_navigation():
        page.locator(".lang-switch button[lang=ur]").click()

    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ur", "rtl")
    assert page.locator("h1").inner_text() == "اکاؤنٹس درج کریں"
    # Mirrored: the brand sits at the right edge, the user menu at the left.
    brand = page.locator(".brand").bounding_box()
    menu = page.locator(".usermenu").bounding_box()
    assert brand["x"] > menu["x"]
    page.get_by_label("ہینڈل یا پروفائل URL").fill("https://t.me/sada_e_haq")
    page.get_by_test_id("entry-detected").wait_for()
    screenshot(page, "entry-urdu")


def test_analyst_cannot_reach_the_approve_action(page, platforms):
    author = UserFactory(username="author", role=ANALYST)
    UserFactory(username="other_analyst", role=ANALYST)
    takedown = TakedownFactory(
        created_by=author,
        platform=platforms["telegram"],
        status=RequestStatus.PENDING_APPROVAL,
        accounts=[AccountFactory(platform=platforms["telegram"])],
    )
    login(page, "other_analyst", "correct-horse-battery-staple")
    page.goto(f"/takedowns/{takedown.pk}/")
    assert page.get_by_test_id("actions").get_by_role("button", name="Approve").count() == 0

    # Posting the action directly, with a valid CSRF token, is refused by role.
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(
        f"/takedowns/{takedown.pk}/approve/",
        form={"approve-version": str(takedown.version)},
        headers={"X-CSRFToken": token, "Referer": page.url},
    )
    assert response.status == 403
    assert "Your role does not allow you to approve this request" in response.text()
    takedown.refresh_from_db()
    assert takedown.status == RequestStatus.PENDING_APPROVAL and takedown.approved_by is None


def test_supervisor_records_disclosed_data_and_each_showing_is_logged(page, platforms):
    telegram = platforms["telegram"]
    supervisor = UserFactory(username="sana", role=SUPERVISOR)
    takedown = TakedownFactory(
        created_by=UserFactory(username="author", role=ANALYST),
        platform=telegram,
        kind="disclosure",
        status=RequestStatus.SUBMITTED,
        accounts=[AccountFactory(platform=telegram, handle="sada_e_haq")],
    )
    login(page, "sana", "correct-horse-battery-staple")
    page.goto(f"/takedowns/{takedown.pk}/")

    section = page.get_by_test_id("disclosures")
    section.get_by_text("Record disclosed data").click()
    section.get_by_label("Account").select_option(label="sada_e_haq")
    section.get_by_label("Disclosed data").fill("Phone: +92 333 5550101\nCity: Peshawar")
    with page.expect_navigation():
        section.get_by_role("button", name="Save the disclosed data").click()

    assert "Disclosed data recorded for sada_e_haq" in page.content()
    assert "+92 333 5550101" not in page.content()  # listed, not shown
    section.get_by_role("button", name="Show the data").click()  # htmx swaps the entry in place
    shown = section.get_by_test_id("disclosure-data")
    shown.wait_for()
    assert "Peshawar" in shown.inner_text()
    screenshot(page, "disclosure")

    disclosure = takedown.disclosures.get()
    assert disclosure.data == {"Phone": "+92 333 5550101", "City": "Peshawar"}
    read = DisclosureAccess.objects.get()
    assert (read.disclosure, read.user, read.channel) == (disclosure, supervisor, "web")
