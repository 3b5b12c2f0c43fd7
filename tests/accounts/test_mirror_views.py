"""The mirror review queue: both accounts side by side with the differences and the shared
contact points marked, the explained score, the model's figures, and the decisions."""

import re

import pytest
from django.urls import reverse

from accounts import services
from accounts.choices import AccountStatus, MirrorStatus
from accounts.mirror_selectors import mirror_review_queue
from accounts.models import MirrorCandidate, MirrorModel, SuppressedSignal
from accounts.services import account_create, account_update
from tests.factories import GroupFactory, removed_channel, removed_with_mirror
from tests.images import good_avatar

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def pair(analyst, platforms):
    group = GroupFactory(name="Tehrik-e-Taliban Pakistan")
    removed = removed_channel(
        user=analyst, group=group, avatar_seed=6, bio="News and contact: +92 333 1234567"
    )
    mirror = account_create(
        user=analyst,
        value="https://x.com/sada_e_h4q",
        display_name="Sada e Haq",
        bio="Back again. WhatsApp 0333-1234567",
        avatar=good_avatar(6, "JPEG"),
    )
    return removed, mirror, MirrorCandidate.objects.get(account=mirror), group


def test_the_review_page_shows_both_accounts_side_by_side(client, supervisor, pair):
    removed, mirror, candidate, _group = pair
    MirrorModel.objects.create(
        version=4, weights={}, intercept=-5, held_back=40, precision=0.9, recall=0.75, active=True
    )
    client.force_login(supervisor)

    html = client.get(reverse("accounts:mirror_review", args=[candidate.pk])).content.decode()

    # The handles with their difference marked ("a" / "4"), the shared phone in both bios.
    assert "sada_e_h<mark>4</mark>q" in html and "sada_e_h<mark>a</mark>q" in html
    assert html.count('<mark class="shared" title="tel:+923331234567">') == 2
    assert ">0333-1234567</mark>" in html and ">+92 333 1234567</mark>" in html
    # The avatars (served behind the login), the PDQ distance and the feature bars.
    assert reverse("accounts:avatar", args=[removed.pk]) in html
    assert reverse("accounts:avatar", args=[mirror.pk]) in html
    assert re.search(r"PDQ Hamming distance \d+ of 256 bits", html)
    assert html.count("<tr data-feature=") == len(candidate.features)
    # The model's version and its figures on held-back decisions.
    assert "model v4" in html and "precision 90%" in html and "recall 75%" in html
    # Triage keys, shown and wired through the static script only.
    assert 'data-shortcut="c"' in html and 'data-shortcut="r"' in html
    assert "js/mirror_review.js" in html
    # No inline script (JSON data blocks are not scripts).
    assert not re.search(r"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>", html)


def test_the_avatar_is_served_to_staff_only_as_an_image(client, analyst, pair):
    removed, *_ = pair
    url = reverse("accounts:avatar", args=[removed.pk])

    assert client.get(url).status_code == 302  # to the login
    client.force_login(analyst)
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"


def test_analysts_cannot_open_the_review_queue(client, analyst, pair):
    *_, candidate, _group = pair
    client.force_login(analyst)

    assert client.get(reverse("accounts:mirror_queue")).status_code == 403
    assert client.get(reverse("accounts:mirror_review", args=[candidate.pk])).status_code == 403


def test_the_queue_opens_the_best_suggestion_or_says_it_is_empty(client, supervisor, pair):
    *_, candidate, _group = pair
    client.force_login(supervisor)

    assert client.get(reverse("accounts:mirror_queue")).url == reverse(
        "accounts:mirror_review", args=[candidate.pk]
    )
    MirrorCandidate.objects.update(status=MirrorStatus.REJECTED)
    empty = client.get(reverse("accounts:mirror_queue"))
    assert 'data-testid="mirror-queue-empty"' in empty.content.decode()


def test_confirming_links_the_mirror_copies_groups_and_offers_the_fast_track(
    client, supervisor, pair
):
    removed, mirror, candidate, group = pair
    client.force_login(supervisor)
    review = reverse("accounts:mirror_review", args=[candidate.pk])

    response = client.post(
        reverse("accounts:mirror_confirm", args=[candidate.pk]), {"next": review}
    )

    assert response.url == review
    mirror.refresh_from_db()
    assert mirror.mirror_of == removed
    assert list(mirror.groups.all()) == [group]
    html = client.get(review).content.decode()
    assert reverse("takedowns:mirror_draft", args=[candidate.pk]) in html
    assert 'data-shortcut="d"' in html


def test_a_rejected_pair_is_never_suggested_again(client, analyst, supervisor, pair):
    _removed, mirror, candidate, _group = pair
    client.force_login(supervisor)

    client.post(reverse("accounts:mirror_reject", args=[candidate.pk]))
    account_update(account=mirror, user=analyst, bio="Back again. WhatsApp 0333-1234567 !")

    candidate.refresh_from_db()
    assert candidate.status == MirrorStatus.REJECTED
    assert list(MirrorCandidate.objects.filter(account=mirror)) == [candidate]
    assert not mirror_review_queue().exists()


def test_suppressing_a_shared_signal_records_it(client, supervisor, pair):
    *_, candidate, _group = pair
    client.force_login(supervisor)
    review = reverse("accounts:mirror_review", args=[candidate.pk])
    assert "tel:+923331234567" in client.get(review).content.decode()

    response = client.post(
        reverse("accounts:mirror_suppress", args=[candidate.pk]),
        {"kind": "contact", "value": "tel:+923331234567"},
    )

    assert response.url == review
    signal = SuppressedSignal.objects.get()
    assert (signal.kind, signal.value, signal.by) == ("contact", "tel:+923331234567", supervisor)


def test_suppressing_refuses_an_unknown_kind(client, supervisor, pair):
    *_, candidate, _group = pair
    client.force_login(supervisor)

    client.post(
        reverse("accounts:mirror_suppress", args=[candidate.pk]), {"kind": "x", "value": "y"}
    )

    assert not SuppressedSignal.objects.exists()


def _mirror_pair(analyst):
    removed = services.account_create(user=analyst, value="https://t.me/sada_e_haq")
    services.account_set_status(account=removed, user=analyst, status=AccountStatus.REMOVED)
    mirror = services.account_create(user=analyst, value="https://t.me/sada_e_haq")
    return removed, mirror, MirrorCandidate.objects.get(account=mirror)


def test_supervisor_confirms_a_mirror_suggestion(client, analyst, supervisor, platforms):
    removed, mirror, candidate = _mirror_pair(analyst)
    client.force_login(supervisor)
    page = client.get(reverse("accounts:detail", args=[mirror.pk])).content.decode()
    assert reverse("accounts:mirror_confirm", args=[candidate.pk]) in page
    response = client.post(reverse("accounts:mirror_confirm", args=[candidate.pk]))
    assert response.status_code == 302
    mirror.refresh_from_db()
    candidate.refresh_from_db()
    assert mirror.mirror_of == removed and candidate.status == MirrorStatus.CONFIRMED


def test_analyst_sees_no_mirror_buttons_and_cannot_decide(client, analyst, platforms):
    _removed, mirror, candidate = _mirror_pair(analyst)
    client.force_login(analyst)
    page = client.get(reverse("accounts:detail", args=[mirror.pk])).content.decode()
    assert reverse("accounts:mirror_confirm", args=[candidate.pk]) not in page
    response = client.post(reverse("accounts:mirror_reject", args=[candidate.pk]))
    assert response.status_code == 403
    candidate.refresh_from_db()
    assert candidate.status == MirrorStatus.SUGGESTED


# ------------------------------------------------------------------------------------------
# Groups, access
# ------------------------------------------------------------------------------------------


def test_entry_and_account_page_show_a_strong_mirror(client, analyst, supervisor, platforms):
    _removed, mirror, candidate = _mirror_pair(analyst)
    assert candidate.strong
    client.force_login(analyst)

    check = client.get(reverse("accounts:entry_check"), {"value": "t.me/sada_e_haq_2"})
    saved = client.post(reverse("accounts:entry"), {"value": "t.me/sada_e_h4q"}, follow=True)

    assert 'data-testid="strong-mirror"' in check.content.decode()
    assert "Strong match: the supervisors have been alerted." in saved.content.decode()
    client.force_login(supervisor)
    page = client.get(reverse("accounts:detail", args=[mirror.pk])).content.decode()
    assert 'data-testid="strong-mirror"' in page
    assert reverse("accounts:mirror_review", args=[candidate.pk]) in page


def test_group_page_shows_its_mirror_metrics(client, analyst, platforms):
    group = GroupFactory(name="Tehrik-e-Taliban Pakistan")
    removed_with_mirror(platform=platforms["x"], groups=[group])
    client.force_login(analyst)

    html = client.get(reverse("accounts:group_detail", args=[group.pk])).content.decode()

    assert 'data-testid="mirror-metrics"' in html
    assert "1 mirror chain" in html


def test_the_review_page_and_the_metrics_carry_no_style_attribute(client, supervisor, pair):
    _removed, _mirror, candidate, group = pair
    client.force_login(supervisor)

    review = client.get(reverse("accounts:mirror_review", args=[candidate.pk])).content.decode()
    metrics = client.get(reverse("accounts:group_detail", args=[group.pk])).content.decode()
    section = metrics[metrics.index('data-testid="mirror-metrics"') :]
    section = section[: section.index("</section>")]

    # The pages run under a strict CSP: a bar's width comes from data-fill, set by the script.
    main = review[review.index("<main") : review.index("</main>")]
    assert 'class="bar-fill' in main and "data-fill=" in main
    assert "style=" not in main and "<style" not in main
    assert "style=" not in section
