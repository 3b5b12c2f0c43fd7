from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from accounts.choices import AccountStatus
from core.errors import DomainError, NotAllowed, StaleVersion
from takedowns import services
from takedowns.choices import EventKind, ItemOutcome, Priority, RequestKind, RequestStatus
from takedowns.errors import IllegalTransition
from takedowns.models import PlatformDeadline, TakedownEvent, TakedownRequest
from tests.factories import AccountFactory, takedown_at

S = RequestStatus
pytestmark = pytest.mark.django_db


def call(action, takedown, user):
    """Invoke one action with the arguments it needs."""
    fn = getattr(services, f"takedown_{action}")
    if action == "resolve":
        ids = takedown.items.values_list("account_id", flat=True)
        return fn(takedown=takedown, user=user, outcomes=dict.fromkeys(ids, ItemOutcome.REMOVED))
    if action == "acknowledge":
        return fn(takedown=takedown, user=user, ticket="T-1")
    return fn(takedown=takedown, user=user)


LEGAL = [
    (action, status)
    for action, (sources, _target, _perm) in services.TRANSITIONS.items()
    for status in sources
    if action != "resume"  # resume needs a paused clock: tested on its own below
]
ILLEGAL = [
    (action, status)
    for action, (sources, _target, _perm) in services.TRANSITIONS.items()
    for status in S.values
    if status not in sources
]
EXPECTED = {
    "request_approval": S.PENDING_APPROVAL,
    "approve": S.APPROVED,
    "submit": S.SUBMITTED,
    "acknowledge": S.ACKNOWLEDGED,
    "resolve": S.ACTIONED,
    "withdraw": S.WITHDRAWN,
}


@pytest.mark.parametrize(("action", "status"), LEGAL)
def test_every_legal_transition_changes_status_and_writes_one_event(
    action, status, analyst, supervisor
):
    takedown = takedown_at(status, analyst)
    result = call(action, takedown, supervisor)
    assert result.status == EXPECTED.get(action, status)
    assert result.version == takedown.version + 1
    event = TakedownEvent.objects.get(request=takedown)
    assert (event.from_status, event.to_status, event.actor) == (status, result.status, supervisor)


@pytest.mark.parametrize(("action", "status"), ILLEGAL)
def test_every_illegal_transition_is_refused_and_changes_nothing(
    action, status, analyst, supervisor
):
    takedown = takedown_at(status, analyst)
    with pytest.raises(IllegalTransition):
        call(action, takedown, supervisor)
    takedown.refresh_from_db()
    assert takedown.status == status
    assert takedown.version == 1
    assert not TakedownEvent.objects.filter(request=takedown).exists()


def test_author_cannot_approve_own_request(supervisor, supervisor2):
    takedown = takedown_at(S.PENDING_APPROVAL, supervisor)
    with pytest.raises(NotAllowed) as exc:
        services.takedown_approve(takedown=takedown, user=supervisor)
    assert exc.value.code == "four_eyes"
    assert services.takedown_approve(takedown=takedown, user=supervisor2).status == S.APPROVED


def test_analyst_cannot_approve_or_submit(analyst, analyst2):
    pending = takedown_at(S.PENDING_APPROVAL, analyst2)
    with pytest.raises(NotAllowed):
        services.takedown_approve(takedown=pending, user=analyst)
    approved = takedown_at(S.APPROVED, analyst2)
    with pytest.raises(NotAllowed):
        services.takedown_submit(takedown=approved, user=analyst)


def test_analyst_can_withdraw_own_draft_but_not_someone_elses(analyst, analyst2):
    mine, theirs = takedown_at(S.DRAFT, analyst), takedown_at(S.DRAFT, analyst2)
    assert services.takedown_withdraw(takedown=mine, user=analyst).status == S.WITHDRAWN
    with pytest.raises(NotAllowed):
        services.takedown_withdraw(takedown=theirs, user=analyst)


def test_submit_sets_due_at_from_platform_deadline(analyst, supervisor):
    takedown = takedown_at(
        S.APPROVED, analyst, kind=RequestKind.REMOVAL, priority=Priority.EMERGENCY
    )
    PlatformDeadline.objects.create(
        platform=takedown.platform, kind=RequestKind.REMOVAL, priority=Priority.EMERGENCY, hours=6
    )
    before = timezone.now()
    result = services.takedown_submit(takedown=takedown, user=supervisor)
    assert before + timedelta(hours=6) <= result.due_at <= timezone.now() + timedelta(hours=6)
    # The reminder falls when a quarter of the time is left.
    assert result.due_at - result.reminder_at == timedelta(hours=1, minutes=30)
    assert result.next_check_at == result.reminder_at


def test_submit_falls_back_to_48_hours_and_12_for_emergencies(analyst, supervisor):
    normal = services.takedown_submit(takedown=takedown_at(S.APPROVED, analyst), user=supervisor)
    urgent = services.takedown_submit(
        takedown=takedown_at(S.APPROVED, analyst, priority=Priority.EMERGENCY), user=supervisor
    )
    assert round((normal.due_at - normal.submitted_at) / timedelta(hours=1)) == 48
    assert round((urgent.due_at - urgent.submitted_at) / timedelta(hours=1)) == 12


def test_submit_marks_active_accounts_reported(analyst, supervisor):
    takedown = takedown_at(S.APPROVED, analyst)
    services.takedown_submit(takedown=takedown, user=supervisor)
    assert takedown.items.get().account.status == AccountStatus.REPORTED


def test_pause_and_resume_move_the_deadline_by_the_paused_time(analyst, supervisor):
    takedown = takedown_at(S.SUBMITTED, analyst)
    due = takedown.due_at
    paused = services.takedown_pause(takedown=takedown, user=supervisor, reason="Platform asked")
    assert paused.paused_at is not None and paused.next_check_at is None
    TakedownRequest.objects.filter(pk=takedown.pk).update(
        paused_at=paused.paused_at - timedelta(hours=3)
    )
    resumed = services.takedown_resume(takedown=takedown, user=supervisor)
    assert resumed.paused_at is None
    shift = resumed.due_at - due
    assert timedelta(hours=3) <= shift < timedelta(hours=3, minutes=1)
    kinds = list(TakedownEvent.objects.filter(request=takedown).values_list("kind", flat=True))
    assert kinds == [EventKind.CLOCK_PAUSED, EventKind.CLOCK_RESUMED]


def test_pause_twice_and_resume_unpaused_are_refused(analyst, supervisor):
    takedown = takedown_at(S.ACKNOWLEDGED, analyst)
    with pytest.raises(IllegalTransition):
        services.takedown_resume(takedown=takedown, user=supervisor)
    services.takedown_pause(takedown=takedown, user=supervisor)
    with pytest.raises(IllegalTransition):
        services.takedown_pause(takedown=takedown, user=supervisor)


@pytest.mark.parametrize(
    ("outcomes", "expected"),
    [
        ([ItemOutcome.REMOVED, ItemOutcome.ALREADY_GONE], S.ACTIONED),
        ([ItemOutcome.REMOVED, ItemOutcome.NOT_ACTIONED], S.PARTIALLY_ACTIONED),
        ([ItemOutcome.NOT_ACTIONED, ItemOutcome.NOT_ACTIONED], S.REJECTED),
        ([ItemOutcome.RESTRICTED, ItemOutcome.DISCLOSED], S.ACTIONED),
    ],
)
def test_item_outcomes_roll_up_into_request_status(outcomes, expected, analyst, supervisor):
    a, b = AccountFactory(), AccountFactory()
    takedown = takedown_at(S.ACKNOWLEDGED, analyst, accounts=[a, b])
    result = services.takedown_resolve(
        takedown=takedown, user=supervisor, outcomes={a.pk: outcomes[0], b.pk: outcomes[1]}
    )
    assert result.status == expected
    assert result.resolved_at is not None and result.next_check_at is None


def test_resolve_marks_removed_accounts_removed(analyst, supervisor):
    account = AccountFactory()
    takedown = takedown_at(S.SUBMITTED, analyst, accounts=[account])
    services.takedown_resolve(
        takedown=takedown, user=supervisor, outcomes={account.pk: ItemOutcome.REMOVED}
    )
    account.refresh_from_db()
    assert account.status == AccountStatus.REMOVED and account.removed_at is not None


@pytest.mark.parametrize(
    "outcomes_for",
    [
        lambda a, b, c: {a.pk: ItemOutcome.REMOVED},  # b still pending
        lambda a, b, c: {a.pk: ItemOutcome.REMOVED, b.pk: ItemOutcome.PENDING},
        lambda a, b, c: {a.pk: ItemOutcome.REMOVED, b.pk: "vanished"},
        lambda a, b, c: {
            a.pk: ItemOutcome.REMOVED,
            b.pk: ItemOutcome.REMOVED,
            c.pk: ItemOutcome.REMOVED,
        },
    ],
)
def test_resolve_with_incomplete_or_bad_outcomes_changes_nothing(outcomes_for, analyst, supervisor):
    a, b, stranger = AccountFactory(), AccountFactory(), AccountFactory()
    takedown = takedown_at(S.SUBMITTED, analyst, accounts=[a, b])
    with pytest.raises(DomainError):
        services.takedown_resolve(
            takedown=takedown, user=supervisor, outcomes=outcomes_for(a, b, stranger)
        )
    takedown.refresh_from_db()
    a.refresh_from_db()
    assert takedown.status == S.SUBMITTED
    assert a.status == AccountStatus.ACTIVE
    assert set(takedown.items.values_list("outcome", flat=True)) == {ItemOutcome.PENDING}


def test_stale_version_is_refused(analyst, supervisor):
    takedown = takedown_at(S.DRAFT, analyst)
    services.takedown_request_approval(takedown=takedown, user=analyst, expected_version=1)
    with pytest.raises(StaleVersion):
        services.takedown_withdraw(takedown=takedown, user=analyst, expected_version=1)


def test_create_refuses_accounts_of_another_platform(analyst, platforms):
    on_x = AccountFactory(platform=platforms["x"])
    on_fb = AccountFactory(platform=platforms["facebook"])
    with pytest.raises(DomainError) as exc:
        services.takedown_create(user=analyst, platform=platforms["x"], accounts=[on_x, on_fb])
    assert exc.value.code == "wrong_platform"
    assert not TakedownRequest.objects.exists()


def test_create_writes_draft_with_items_and_created_event(analyst, platforms):
    accounts = [AccountFactory(platform=platforms["x"]) for _ in range(3)]
    takedown = services.takedown_create(user=analyst, platform=platforms["x"], accounts=accounts)
    assert takedown.status == S.DRAFT
    assert takedown.items.count() == 3
    assert takedown.events.get().kind == EventKind.CREATED


def test_available_actions_follow_role_and_status(analyst, supervisor):
    takedown = takedown_at(S.PENDING_APPROVAL, analyst)
    assert services.available_actions(takedown=takedown, user=analyst) == ["withdraw"]
    assert services.available_actions(takedown=takedown, user=supervisor) == ["approve", "withdraw"]


# -- disclosures --------------------------------------------------------------------------


@pytest.fixture
def asked(analyst):
    """A disclosure request the platform has been sent, for one account."""
    return takedown_at(S.SUBMITTED, analyst, kind=RequestKind.DISCLOSURE)


def test_disclosure_is_recorded_and_the_timeline_says_so_without_the_data(asked, supervisor):
    from takedowns.models import Disclosure

    account = asked.items.get().account
    disclosure = services.disclosure_record(
        takedown=asked, account=account, data={"phone": "+923001234567"}, user=supervisor
    )

    assert Disclosure.objects.get() == disclosure
    assert (disclosure.recorded_by, disclosure.data) == (supervisor, {"phone": "+923001234567"})
    event = TakedownEvent.objects.get(request=asked, kind=EventKind.DISCLOSURE_RECORDED)
    assert event.actor == supervisor
    assert event.data == {"disclosure": disclosure.pk, "account": account.pk}
    assert "+923001234567" not in event.message


@pytest.mark.parametrize(
    ("change", "error", "field"),
    [
        ({"kind": RequestKind.REMOVAL}, IllegalTransition, None),
        ({"status": S.DRAFT}, IllegalTransition, None),
        ({"status": S.WITHDRAWN}, IllegalTransition, None),
        ({"other_account": True}, DomainError, "account"),
        ({"data": {}}, DomainError, "data"),
        ({"data": ["a list"]}, DomainError, "data"),
        ({"data": {"blob": "x" * 70_000}}, DomainError, "data"),
        ({"data": {"phone": "+92\x00300"}}, DomainError, "data"),
        ({"data": {"nested": [{"k\x00": 1}]}}, DomainError, "data"),
        ({"received_in": timedelta(hours=1)}, DomainError, "received_at"),
        ({"received_in": -timedelta(days=2)}, DomainError, "received_at"),  # before it was sent
        ({"received_at": "0001-01-01T00:00:00+05:00"}, DomainError, "received_at"),
        ({"received_at": "9999-12-31T23:00:00-05:00"}, DomainError, "received_at"),
    ],
)
def test_disclosure_refused_changes_nothing(asked, supervisor, change, error, field):
    from takedowns.models import Disclosure

    TakedownRequest.objects.filter(pk=asked.pk).update(
        **{k: v for k, v in change.items() if k in ("kind", "status")}
    )
    asked.refresh_from_db()
    account = AccountFactory() if change.get("other_account") else asked.items.get().account
    received_at = timezone.now() + change["received_in"] if "received_in" in change else None
    if "received_at" in change:
        received_at = datetime.fromisoformat(change["received_at"])

    with pytest.raises(error) as refused:
        services.disclosure_record(
            takedown=asked,
            account=account,
            data=change.get("data", {"phone": "+92"}),
            user=supervisor,
            received_at=received_at,
        )

    assert getattr(refused.value, "field", None) == field
    assert Disclosure.objects.count() == 0
    assert not TakedownEvent.objects.filter(kind=EventKind.DISCLOSURE_RECORDED).exists()


def test_analysts_cannot_record_disclosures(asked, analyst):
    with pytest.raises(NotAllowed):
        services.disclosure_record(
            takedown=asked, account=asked.items.get().account, data={"a": 1}, user=analyst
        )
