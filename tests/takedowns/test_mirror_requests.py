"""The fast track of a confirmed mirror: a removal request citing the original's removal, sent
for approval and first in the approval queue; the one-click view behind the review page."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.choices import AccountStatus
from accounts.models import MirrorCandidate
from accounts.services import account_create, account_set_status, mirror_decide
from core.errors import Conflict
from takedowns.choices import ItemOutcome, RequestKind, RequestStatus
from takedowns.models import TakedownItem, TakedownRequest
from takedowns.selectors import approval_queue, takedown_list
from takedowns.services import takedown_draft_for_mirror
from tests.factories import GroupFactory, TakedownFactory, takedown_at

pytestmark = pytest.mark.django_db

REMOVED_ON = timezone.make_aware(datetime(2026, 3, 14, 10, 30))


@pytest.fixture
def original_removal(analyst, supervisor, platforms):
    """@sada_e_haq on Telegram, removed on 2026-03-14 after request TR-… (ticket TG-4471)."""
    group = GroupFactory(name="Tehrik-e-Taliban Pakistan")
    original = account_create(
        user=analyst, value="https://t.me/sada_e_haq", display_name="Sada-e-Haq", groups=[group]
    )
    request = TakedownFactory(
        platform=original.platform,
        accounts=[original],
        created_by=analyst,
        status=RequestStatus.ACTIONED,
        platform_ticket="TG-4471",
        legal_basis="Terrorism Act 2000, s. 58",
        resolved_at=REMOVED_ON,
    )
    TakedownItem.objects.filter(request=request).update(
        outcome=ItemOutcome.REMOVED, outcome_at=REMOVED_ON
    )
    account_set_status(account=original, user=analyst, status=AccountStatus.REMOVED)
    return original, request, group


@pytest.fixture
def confirmed(original_removal, analyst, supervisor):
    original, request, _group = original_removal
    mirror = account_create(user=analyst, value="https://t.me/sada_e_h4q_2")
    candidate = MirrorCandidate.objects.get(account=mirror, removed_account=original)
    mirror_decide(candidate=candidate, user=supervisor, confirm=True)
    return candidate, mirror, original, request


def test_the_fast_track_request_cites_the_original_removal(confirmed, supervisor):
    candidate, mirror, _original, removal = confirmed

    takedown = takedown_draft_for_mirror(candidate=candidate, user=supervisor)

    assert takedown.status == RequestStatus.PENDING_APPROVAL
    assert (takedown.kind, takedown.platform_id) == (RequestKind.REMOVAL, mirror.platform_id)
    assert list(takedown.accounts.all()) == [mirror]
    citation = takedown.legal_basis
    assert f"after our request {removal.reference}" in citation
    assert "platform ticket TG-4471" in citation
    assert "removed on 2026-03-14" in citation
    assert "sada_e_h4q_2 re-creates sada_e_haq (Telegram)" in citation
    # The original request's legal basis is carried over after the citation.
    assert citation.endswith("Terrorism Act 2000, s. 58")


def test_a_second_click_finds_the_same_request(confirmed, supervisor):
    candidate, *_ = confirmed

    first = takedown_draft_for_mirror(candidate=candidate, user=supervisor)
    again = takedown_draft_for_mirror(candidate=candidate, user=supervisor)

    assert again.pk == first.pk
    assert TakedownRequest.objects.filter(items__account=candidate.account).count() == 1


def test_an_unconfirmed_suggestion_gets_no_request(original_removal, analyst, supervisor):
    mirror = account_create(user=analyst, value="https://t.me/sada_e_h4q_2")
    candidate = MirrorCandidate.objects.get(account=mirror)

    with pytest.raises(Conflict):
        takedown_draft_for_mirror(candidate=candidate, user=supervisor)

    assert not TakedownRequest.objects.filter(items__account=mirror).exists()


def test_a_removal_without_our_request_is_cited_by_its_date(analyst, supervisor, platforms):
    original = account_create(user=analyst, value="https://t.me/qari_channel")
    account_set_status(account=original, user=analyst, status=AccountStatus.REMOVED)
    mirror = account_create(user=analyst, value="https://t.me/qari_channel_2")
    candidate = MirrorCandidate.objects.get(account=mirror)
    mirror_decide(candidate=candidate, user=supervisor, confirm=True)

    takedown = takedown_draft_for_mirror(candidate=candidate, user=supervisor)

    today = timezone.localdate().isoformat()
    assert f"removed on {today}; no request of ours is recorded" in takedown.legal_basis


def test_the_approval_queue_puts_the_fast_track_request_first(confirmed, analyst, supervisor):
    candidate, *_ = confirmed
    older = takedown_at(RequestStatus.PENDING_APPROVAL, analyst)
    TakedownRequest.objects.filter(pk=older.pk).update(
        created_at=timezone.now() - timedelta(days=3)
    )
    takedown_at(RequestStatus.DRAFT, analyst)

    fast = takedown_draft_for_mirror(candidate=candidate, user=supervisor)

    queue = list(approval_queue(takedown_list()))
    assert [t.pk for t in queue] == [fast.pk, older.pk]
    assert [t.fast_track for t in queue] == [True, False]


def test_the_approval_tab_and_the_dashboard_list_the_fast_track_request_first(
    client, confirmed, analyst, supervisor
):
    candidate, *_ = confirmed
    older = takedown_at(RequestStatus.PENDING_APPROVAL, analyst)
    TakedownRequest.objects.filter(pk=older.pk).update(
        created_at=timezone.now() - timedelta(days=3)
    )
    fast = takedown_draft_for_mirror(candidate=candidate, user=supervisor)
    client.force_login(supervisor)

    tab = client.get(reverse("takedowns:list"), {"status": RequestStatus.PENDING_APPROVAL})
    dashboard = client.get(reverse("dashboard"))

    for page in (tab, dashboard):
        html = page.content.decode()
        assert html.index(fast.reference) < html.index(older.reference)


def test_the_draft_button_drafts_once_and_opens_the_request(client, confirmed, supervisor):
    candidate, mirror, *_ = confirmed
    client.force_login(supervisor)
    url = reverse("takedowns:mirror_draft", args=[candidate.pk])

    first = client.post(url)
    second = client.post(url)

    takedown = TakedownRequest.objects.get(items__account=mirror)
    assert first.url == second.url == reverse("takedowns:detail", args=[takedown.pk])


def test_the_draft_button_refuses_an_unconfirmed_pair(client, original_removal, analyst):
    mirror = account_create(user=analyst, value="https://t.me/sada_e_h4q_2")
    candidate = MirrorCandidate.objects.get(account=mirror)
    client.force_login(analyst)

    response = client.post(reverse("takedowns:mirror_draft", args=[candidate.pk]))

    assert response.url == reverse("accounts:mirror_review", args=[candidate.pk])
    assert not TakedownRequest.objects.filter(items__account=mirror).exists()
