"""Drafting from a mixed selection of accounts, and the reason an action is refused."""

import pytest

from core.errors import DomainError, NotAllowed
from takedowns import services
from takedowns.choices import RequestStatus
from takedowns.errors import IllegalTransition
from takedowns.models import TakedownEvent, TakedownRequest
from tests.factories import AccountFactory, TakedownFactory

S = RequestStatus
pytestmark = pytest.mark.django_db


def test_accounts_on_three_platforms_make_three_requests(analyst, platforms):
    accounts = [
        AccountFactory(platform=platforms[slug], handle=f"{slug}_{n}")
        for slug in ("x", "telegram", "youtube")
        for n in range(2)
    ]
    created = services.takedowns_create_per_platform(
        user=analyst, accounts=accounts, request_approval=True, legal_basis="PECA"
    )
    assert [t.platform.slug for t in created] == ["telegram", "x", "youtube"]  # by name
    assert [t.items.count() for t in created] == [2, 2, 2]
    assert {t.status for t in created} == {S.PENDING_APPROVAL}
    assert TakedownEvent.objects.filter(to_status=S.PENDING_APPROVAL).count() == 3


def test_no_accounts_makes_no_request(analyst, platforms):
    with pytest.raises(DomainError) as exc:
        services.takedowns_create_per_platform(user=analyst, accounts=[])
    assert exc.value.field == "accounts"


def test_a_refused_platform_undoes_the_others(analyst, platforms):
    accounts = [
        AccountFactory(platform=platforms["x"]),
        AccountFactory(platform=platforms["tiktok"]),
    ]
    with pytest.raises(DomainError):
        services.takedowns_create_per_platform(user=analyst, accounts=accounts, kind="bogus")
    assert TakedownRequest.objects.count() == 0


def test_action_refusal_names_the_reason(analyst, supervisor, platforms):
    own = TakedownFactory(platform=platforms["x"], created_by=supervisor, status=S.PENDING_APPROVAL)
    by_role = services.action_refusal(takedown=own, user=analyst, action="approve")
    four_eyes = services.action_refusal(takedown=own, user=supervisor, action="approve")
    by_state = services.action_refusal(takedown=own, user=supervisor, action="submit")
    assert isinstance(by_role, NotAllowed) and isinstance(four_eyes, NotAllowed)
    assert four_eyes.code == "four_eyes"
    assert isinstance(by_state, IllegalTransition)
    assert services.action_refusal(takedown=own, user=supervisor, action="withdraw") is None
