"""The mirror review queue in a real browser, driven from the keyboard: j / k move through the
queue, c confirms, d drafts the fast-track request; keys typed into a field do nothing."""

import pytest

from accounts.choices import AccountStatus, MirrorStatus
from accounts.models import MirrorCandidate
from accounts.services import account_create
from takedowns.choices import RequestStatus
from takedowns.models import TakedownRequest
from tests.factories import GroupFactory, UserFactory
from tests.images import good_avatar
from tracker.roles import ANALYST, SUPERVISOR

from .conftest import login, screenshot

pytestmark = pytest.mark.e2e

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def queue(platforms):
    analyst = UserFactory(username="field_analyst", role=ANALYST)
    group = GroupFactory(name="Tehrik-e-Taliban Pakistan")
    removed = account_create(
        user=analyst,
        value="https://t.me/sada_e_haq",
        display_name="Sada-e-Haq | صدائے حق",
        bio="Official channel. Contact +92 333 1234567 or t.me/sada_backup",
        groups=[group],
        status=AccountStatus.REMOVED,
        avatar=good_avatar(6),
    )
    mirror = account_create(
        user=analyst,
        value="https://x.com/sada_e_h4q_2",
        display_name="Sada e Haq",
        bio="We are back! WhatsApp 0333-1234567 · join https://t.me/sada_backup/",
        avatar=good_avatar(6, "JPEG"),
    )
    other_removed = account_create(
        user=analyst, value="https://t.me/qari_media_pk", status=AccountStatus.REMOVED
    )
    other = account_create(user=analyst, value="https://t.me/qari_media_pk_2")
    best = MirrorCandidate.objects.get(account=mirror, removed_account=removed)
    second = MirrorCandidate.objects.get(account=other, removed_account=other_removed)
    # The review order is by score: make the first pair the first one.
    MirrorCandidate.objects.filter(pk=best.pk).update(score=0.999)
    MirrorCandidate.objects.filter(pk=second.pk).update(score=0.9)
    return best, second


def test_review_queue_from_the_keyboard(page, queue):
    best, second = queue
    UserFactory(username="sana", role=SUPERVISOR)
    login(page, "sana", PASSWORD)

    page.goto("/mirrors/")
    assert page.url.endswith(f"/mirrors/{best.pk}/")
    page.get_by_test_id("new-side").wait_for()
    assert page.locator("[data-testid=new-side] mark").count() >= 1
    assert page.locator("[data-testid=removed-side] mark.shared").count() == 2
    assert page.get_by_test_id("mirror-shortcuts").is_visible()
    # Each score bar is as wide as its data-fill says (set by the page's script, no style
    # attribute in the markup).
    fills = page.locator(".bar-fill[data-fill]")
    assert fills.count() >= 1
    widths = fills.evaluate_all(
        "els => els.map(e => [e.dataset.fill, e.style.inlineSize, e.getBoundingClientRect().width,"
        " e.parentElement.getBoundingClientRect().width])"
    )
    for fill, inline_size, width, track in widths:
        assert inline_size == f"{fill}%"
        assert abs(width - track * int(fill) / 100) <= 1
    screenshot(page, "mirror-review")

    # j / k: next and previous in the queue.
    with page.expect_navigation():
        page.keyboard.press("j")
    assert page.url.endswith(f"/mirrors/{second.pk}/")
    with page.expect_navigation():
        page.keyboard.press("k")
    assert page.url.endswith(f"/mirrors/{best.pk}/")

    # A key typed into a field is text, not a decision.
    page.evaluate(
        "() => { const i = document.createElement('input'); i.id = 'scratch';"
        " document.querySelector('main').prepend(i); i.focus(); }"
    )
    page.keyboard.type("crj")
    assert page.locator("#scratch").input_value() == "crj"
    best.refresh_from_db()
    assert best.status == MirrorStatus.SUGGESTED

    # c confirms; the page then offers the fast-track request, which d drafts.
    page.locator("#scratch").blur()
    with page.expect_navigation():
        page.keyboard.press("c")
    page.get_by_test_id("mirror-confirmed").wait_for()
    best.refresh_from_db()
    assert best.status == MirrorStatus.CONFIRMED
    assert best.account.mirror_of_id == best.removed_account_id
    with page.expect_navigation():
        page.keyboard.press("d")
    takedown = TakedownRequest.objects.get(items__account=best.account)
    assert takedown.status == RequestStatus.PENDING_APPROVAL
    assert page.url.endswith(f"/takedowns/{takedown.pk}/")


def test_review_page_in_urdu_renders_right_to_left(page, queue):
    best, _second = queue
    UserFactory(username="urdu_supervisor", role=SUPERVISOR, language="ur")
    login(page, "urdu_supervisor", PASSWORD)

    page.goto(f"/mirrors/{best.pk}/")
    page.get_by_test_id("new-side").wait_for()

    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ur", "rtl")
    # The handles stay left to right inside the right-to-left page.
    assert page.locator("[data-testid=new-side] [data-testid=handle]").get_attribute("dir") == "ltr"
    screenshot(page, "mirror-review-urdu")
