"""POST /api/v1/takedowns/{id}/<action>/: every legal and illegal use, through the status
machine of takedowns.services, and that every refusal leaves the request as it was."""

from datetime import timedelta

import pytest
from django.utils import timezone

from takedowns import services
from takedowns.choices import EventKind, ItemOutcome, RequestStatus
from takedowns.models import TakedownEvent, TakedownItem, TakedownRequest
from tests.factories import AccountFactory, TakedownFactory, takedown_at

S = RequestStatus
pytestmark = pytest.mark.django_db

EXPECTED_STATUS = {
    "request_approval": S.PENDING_APPROVAL,
    "approve": S.APPROVED,
    "submit": S.SUBMITTED,
    "acknowledge": S.ACKNOWLEDGED,
    "resolve": S.ACTIONED,
    "withdraw": S.WITHDRAWN,
}


def body(action, takedown):
    if action == "resolve":
        return {
            "outcomes": [
                {"account": item.account_id, "outcome": ItemOutcome.REMOVED}
                for item in takedown.items.all()
            ]
        }
    if action == "acknowledge":
        return {"ticket": "T-1"}
    return {}


def post(client, takedown, action, data=None, **headers):
    return client.post(
        f"/api/v1/takedowns/{takedown.pk}/{action.replace('_', '-')}/",
        data if data is not None else body(action, takedown),
        format="json",
        **headers,
    )


def state(takedown):
    fresh = TakedownRequest.objects.get(pk=takedown.pk)
    items = list(TakedownItem.objects.filter(request=takedown).values_list("outcome", flat=True))
    return (fresh.status, fresh.version, fresh.paused_at, items, fresh.events.count())


LEGAL = [
    (action, status)
    for action, (sources, _target, _perm) in services.TRANSITIONS.items()
    for status in sources
    if action != "resume"
]
ILLEGAL = [
    (action, status)
    for action, (sources, _target, _perm) in services.TRANSITIONS.items()
    for status in S.values
    if status not in sources
]


@pytest.mark.parametrize(("action", "status"), LEGAL)
def test_legal_action_moves_the_request_and_answers_with_its_new_etag(
    action, status, analyst, supervisor_api, supervisor
):
    takedown = takedown_at(status, analyst)

    response = post(supervisor_api, takedown, action)

    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["status"] == EXPECTED_STATUS.get(action, status)
    assert data["version"] == takedown.version + 1
    assert response["ETag"] == f'"{takedown.version + 1}"'
    event = TakedownEvent.objects.get(request=takedown)
    assert (event.actor, event.data["action"]) == (supervisor, action)


def test_resume_restarts_a_paused_clock_and_moves_the_deadline(analyst, supervisor_api):
    takedown = takedown_at(S.SUBMITTED, analyst)
    paused_at = timezone.now() - timedelta(hours=5)
    TakedownRequest.objects.filter(pk=takedown.pk).update(paused_at=paused_at)

    response = post(supervisor_api, takedown, "resume")

    assert response.status_code == 200
    takedown_after = TakedownRequest.objects.get(pk=takedown.pk)
    assert takedown_after.paused_at is None
    shift = takedown_after.due_at - takedown.due_at
    assert timedelta(hours=5) <= shift < timedelta(hours=5, minutes=1)
    assert TakedownEvent.objects.get(request=takedown).kind == EventKind.CLOCK_RESUMED


@pytest.mark.parametrize(("action", "status"), ILLEGAL)
def test_illegal_action_is_409_and_changes_nothing(action, status, analyst, supervisor_api):
    takedown = takedown_at(status, analyst)
    before = state(takedown)

    response = post(supervisor_api, takedown, action)

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "illegal_transition"
    assert state(takedown) == before


@pytest.mark.parametrize("action", ["pause", "resume"])
def test_pausing_twice_or_resuming_a_running_clock_is_409(action, analyst, supervisor_api):
    takedown = takedown_at(S.SUBMITTED, analyst)
    if action == "pause":
        TakedownRequest.objects.filter(pk=takedown.pk).update(paused_at=timezone.now())
    before = state(takedown)

    response = post(supervisor_api, takedown, action)

    assert response.status_code == 409
    assert state(takedown) == before


@pytest.mark.parametrize(
    ("action", "status"),
    [
        ("approve", S.PENDING_APPROVAL),
        ("submit", S.APPROVED),
        ("acknowledge", S.SUBMITTED),
        ("pause", S.SUBMITTED),
        ("resolve", S.ACKNOWLEDGED),
    ],
)
def test_analyst_token_cannot_take_supervisor_actions(action, status, analyst2, analyst_api):
    takedown = takedown_at(status, analyst2)
    before = state(takedown)

    response = post(analyst_api, takedown, action)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert state(takedown) == before


def test_supervisor_cannot_approve_their_own_request(supervisor, supervisor_api):
    takedown = takedown_at(S.PENDING_APPROVAL, supervisor)
    before = state(takedown)

    response = post(supervisor_api, takedown, "approve")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "four_eyes"
    assert state(takedown) == before


def test_analyst_cannot_withdraw_another_analysts_request(analyst2, analyst_api):
    takedown = takedown_at(S.DRAFT, analyst2)
    before = state(takedown)

    response = post(analyst_api, takedown, "withdraw")

    assert response.status_code == 403
    assert state(takedown) == before


def test_read_scope_token_cannot_act(analyst, api_client_for):
    client, _user = api_client_for("read_token")
    takedown = takedown_at(S.PENDING_APPROVAL, analyst)
    before = state(takedown)

    response = post(client, takedown, "approve")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "read_only_token"
    assert state(takedown) == before


def test_unauthenticated_action_is_401(analyst, client):
    takedown = takedown_at(S.DRAFT, analyst)
    before = state(takedown)

    response = client.post(f"/api/v1/takedowns/{takedown.pk}/request-approval/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert state(takedown) == before


def test_action_on_a_missing_request_is_404(supervisor_api):
    response = supervisor_api.post("/api/v1/takedowns/999999/approve/", {}, format="json")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    ("make_body", "field"),
    [
        (lambda t, stray: {"outcomes": [{"account": stray.pk, "outcome": "removed"}]}, "outcomes"),
        (
            lambda t, stray: {
                "outcomes": [{"account": t.items.first().account_id, "outcome": "pending"}]
            },
            "outcomes.0.outcome",
        ),
        (lambda t, stray: {"outcomes": []}, "outcomes"),
        (lambda t, stray: {"outcomes": "removed"}, "outcomes"),
        (lambda t, stray: {"note": "x" * 501, "outcomes": []}, "note"),
    ],
    ids=["account-not-in-request", "pending-is-not-final", "empty", "not-a-list", "note-too-long"],
)
def test_resolve_with_bad_outcomes_is_400_and_changes_nothing(
    make_body, field, analyst, supervisor_api
):
    takedown = takedown_at(S.ACKNOWLEDGED, analyst)
    stray = AccountFactory(platform=takedown.platform)
    before = state(takedown)

    response = post(supervisor_api, takedown, "resolve", make_body(takedown, stray))

    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert state(takedown) == before


def test_resolve_must_cover_every_account(analyst, supervisor_api):
    first, second = AccountFactory(), AccountFactory()
    takedown = TakedownFactory(
        created_by=analyst, status=S.ACKNOWLEDGED, platform=first.platform, accounts=[first, second]
    )
    before = state(takedown)

    response = post(
        supervisor_api,
        takedown,
        "resolve",
        {"outcomes": [{"account": first.pk, "outcome": "removed"}]},
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "outcomes_incomplete"
    assert state(takedown) == before


def test_resolve_with_mixed_outcomes_is_partially_actioned(analyst, supervisor_api):
    first, second = AccountFactory(), AccountFactory()
    takedown = TakedownFactory(
        created_by=analyst, status=S.ACKNOWLEDGED, platform=first.platform, accounts=[first, second]
    )

    response = post(
        supervisor_api,
        takedown,
        "resolve",
        {
            "outcomes": [
                {"account": first.pk, "outcome": "removed"},
                {"account": second.pk, "outcome": "not_actioned"},
            ]
        },
    )

    assert response.status_code == 200
    assert response.json()["status"] == S.PARTIALLY_ACTIONED
    outcomes = {i["account"]["id"]: i["outcome"] for i in response.json()["items"]}
    assert outcomes == {first.pk: "removed", second.pk: "not_actioned"}


def test_acknowledge_with_an_overlong_ticket_is_400(analyst, supervisor_api):
    takedown = takedown_at(S.SUBMITTED, analyst)
    before = state(takedown)

    response = post(supervisor_api, takedown, "acknowledge", {"ticket": "T" * 129})

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["ticket"]
    assert state(takedown) == before


def test_malformed_json_body_is_400_and_changes_nothing(analyst, supervisor_api):
    takedown = takedown_at(S.SUBMITTED, analyst)
    before = state(takedown)

    response = supervisor_api.post(
        f"/api/v1/takedowns/{takedown.pk}/acknowledge/",
        '{"ticket": ',
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"
    assert state(takedown) == before


def test_unsupported_media_type_is_415(analyst, supervisor_api):
    takedown = takedown_at(S.SUBMITTED, analyst)

    response = supervisor_api.post(
        f"/api/v1/takedowns/{takedown.pk}/acknowledge/", "ticket=T", content_type="text/plain"
    )

    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"


# -- concurrency: ETag / If-Match -----------------------------------------------------------


def test_detail_carries_the_version_as_etag(analyst, supervisor_api):
    takedown = takedown_at(S.DRAFT, analyst)

    response = supervisor_api.get(f"/api/v1/takedowns/{takedown.pk}/")

    assert response["ETag"] == f'"{takedown.version}"'


def test_if_match_with_the_current_version_succeeds(analyst, supervisor_api):
    takedown = takedown_at(S.PENDING_APPROVAL, analyst)
    etag = supervisor_api.get(f"/api/v1/takedowns/{takedown.pk}/")["ETag"]

    response = post(supervisor_api, takedown, "approve", HTTP_IF_MATCH=etag)

    assert response.status_code == 200
    assert response.json()["status"] == S.APPROVED


def test_second_writer_with_a_stale_etag_gets_412_and_changes_nothing(
    analyst, supervisor_api, supervisor2
):
    from tests.api_fixtures import token_client

    other = token_client(supervisor2)
    takedown = takedown_at(S.SUBMITTED, analyst)
    etag = supervisor_api.get(f"/api/v1/takedowns/{takedown.pk}/")["ETag"]
    assert (
        post(other, takedown, "acknowledge", {"ticket": "A"}, HTTP_IF_MATCH=etag).status_code == 200
    )
    before = state(takedown)

    response = post(supervisor_api, takedown, "pause", {"reason": "B"}, HTTP_IF_MATCH=etag)

    assert response.status_code == 412
    error = response.json()["error"]
    assert (error["code"], error["current_version"]) == ("stale_version", takedown.version + 1)
    assert state(takedown) == before
    assert TakedownRequest.objects.get(pk=takedown.pk).platform_ticket == "A"


@pytest.mark.parametrize("header", ['"abc"', "", 'W/"x"', '"99999999999999"'])
def test_if_match_naming_no_valid_version_is_412(header, analyst, supervisor_api):
    takedown = takedown_at(S.PENDING_APPROVAL, analyst)
    before = state(takedown)

    response = post(supervisor_api, takedown, "approve", HTTP_IF_MATCH=header)

    assert response.status_code == 412
    assert state(takedown) == before


def test_if_match_star_matches_any_version(analyst, supervisor_api):
    takedown = takedown_at(S.PENDING_APPROVAL, analyst)

    response = post(supervisor_api, takedown, "approve", HTTP_IF_MATCH="*")

    assert response.status_code == 200


def test_events_list_the_timeline_oldest_first(analyst, supervisor, supervisor_api):
    takedown = takedown_at(S.DRAFT, analyst)
    services.takedown_request_approval(takedown=takedown, user=analyst)
    services.takedown_approve(takedown=takedown, user=supervisor, note="ok")

    response = supervisor_api.get(f"/api/v1/takedowns/{takedown.pk}/events/")

    assert response.status_code == 200
    assert [
        (e["actor"], e["from_status"], e["to_status"], e["message"]) for e in response.json()
    ] == [
        ("analyst", S.DRAFT, S.PENDING_APPROVAL, ""),
        ("supervisor", S.PENDING_APPROVAL, S.APPROVED, "ok"),
    ]
