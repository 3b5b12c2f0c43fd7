"""Takedown requests through the API: drafting, filtering, and the disclosures, webhooks and
notifications endpoints."""

from datetime import timedelta

import pytest
from django.utils import timezone

from takedowns.choices import RequestStatus
from takedowns.models import (
    Disclosure,
    DisclosureAccess,
    Notification,
    TakedownEvent,
    TakedownRequest,
    WebhookSubscription,
)
from tests.factories import AccountFactory, TakedownFactory

S = RequestStatus
pytestmark = pytest.mark.django_db


def test_draft_a_request_from_account_ids(analyst_api, analyst, platforms):
    first, second = AccountFactory.create_batch(2, platform=platforms["telegram"])

    response = analyst_api.post(
        "/api/v1/takedowns/",
        {
            "accounts": [first.pk, second.pk, first.pk],
            "priority": "emergency",
            "legal_basis": "PECA 2016 s.37",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["status"], data["platform"], data["priority"], data["version"]) == (
        "draft",
        "telegram",
        "emergency",
        1,
    )
    assert sorted(i["account"]["id"] for i in data["items"]) == sorted([first.pk, second.pk])
    assert data["available_actions"] == ["request-approval", "withdraw"]
    assert response["ETag"] == '"1"'
    takedown = TakedownRequest.objects.get(pk=data["id"])
    assert takedown.created_by == analyst
    assert TakedownEvent.objects.filter(request=takedown, kind="created").count() == 1


@pytest.mark.parametrize(
    ("make_payload", "field", "code"),
    [
        (lambda a, b: {"accounts": [a.pk, b.pk]}, "accounts", "wrong_platform"),
        (lambda a, b: {"accounts": [a.pk, 999999]}, "accounts", "invalid"),
        (lambda a, b: {"accounts": []}, "accounts", "invalid"),
        (lambda a, b: {"accounts": [a.pk], "platform": "myspace"}, "platform", "invalid"),
        (lambda a, b: {"accounts": [a.pk], "platform": "telegram"}, "accounts", "wrong_platform"),
        (lambda a, b: {"accounts": [a.pk], "kind": "takedown"}, "kind", "invalid"),
        (lambda a, b: {"accounts": [0]}, "accounts.0", "invalid"),
    ],
)
def test_a_request_covers_existing_accounts_on_one_platform(
    make_payload, field, code, analyst_api, platforms
):
    on_x = AccountFactory(platform=platforms["x"])
    on_telegram = AccountFactory(platform=platforms["telegram"])

    response = analyst_api.post(
        "/api/v1/takedowns/", make_payload(on_x, on_telegram), format="json"
    )

    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], field in error["fields"]) == (code, True)
    assert TakedownRequest.objects.count() == 0


@pytest.fixture
def requests(platforms, analyst, analyst2):
    now = timezone.now()
    tg = AccountFactory(platform=platforms["telegram"], handle="sada_channel", display_name="Sada")
    overdue = TakedownFactory(
        platform=platforms["x"], created_by=analyst, status=S.SUBMITTED, platform_ticket="X-77"
    )
    TakedownRequest.objects.filter(pk=overdue.pk).update(due_at=now - timedelta(hours=1))
    soon = TakedownFactory(platform=platforms["x"], created_by=analyst2, status=S.ACKNOWLEDGED)
    TakedownRequest.objects.filter(pk=soon.pk).update(due_at=now + timedelta(hours=3))
    draft = TakedownFactory(platform=platforms["telegram"], created_by=analyst, accounts=[tg])
    return {"overdue": overdue, "soon": soon, "draft": draft}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["draft", "soon", "overdue"]),
        ("overdue=true", ["overdue"]),
        ("overdue=false", ["draft", "soon"]),
        ("status=draft&status=acknowledged", ["draft", "soon"]),
        ("platform=telegram", ["draft"]),
        ("created_by=analyst2", ["soon"]),
        ("q=X-77", ["overdue"]),
        ("q=sada", ["draft"]),
        ("ordering=due_at", ["overdue", "soon", "draft"]),
    ],
)
def test_takedown_list_filters(query, expected, requests, supervisor_api):
    response = supervisor_api.get(f"/api/v1/takedowns/?{query}")

    assert response.status_code == 200, response.json()
    by_id = {t.pk: name for name, t in requests.items()}
    assert [by_id[row["id"]] for row in response.json()["results"]] == expected


def test_takedown_list_filters_due_before_and_by_reference(requests, supervisor_api):
    due_before = (timezone.now() + timedelta(hours=1)).isoformat()
    by_due = supervisor_api.get("/api/v1/takedowns/", {"due_before": due_before})
    by_ref = supervisor_api.get("/api/v1/takedowns/", {"q": requests["soon"].reference})

    assert [row["id"] for row in by_due.json()["results"]] == [requests["overdue"].pk]
    assert [row["id"] for row in by_ref.json()["results"]] == [requests["soon"].pk]
    assert by_due.json()["results"][0]["is_overdue"] is True


def test_list_rows_carry_counts_and_the_callers_actions(requests, supervisor_api):
    rows = {r["id"]: r for r in supervisor_api.get("/api/v1/takedowns/").json()["results"]}

    overdue = rows[requests["overdue"].pk]
    assert (overdue["item_count"], overdue["pending_count"]) == (1, 1)
    assert overdue["available_actions"] == ["acknowledge", "pause", "resolve", "withdraw"]


# -- disclosures -----------------------------------------------------------------------------


def test_reading_disclosures_is_logged_per_disclosure(world, supervisor, supervisor_api):
    listed = supervisor_api.get("/api/v1/disclosures/")
    detail = supervisor_api.get(f"/api/v1/disclosures/{world.disclosure.pk}/")

    assert listed.json()["results"][0]["data"] == {"phone": "+923000000000"}
    assert detail.status_code == 200
    assert "no-store" in listed["Cache-Control"] and "no-store" in detail["Cache-Control"]
    reads = DisclosureAccess.objects.filter(disclosure=world.disclosure)
    assert [(r.user, r.channel) for r in reads] == [(supervisor, "api"), (supervisor, "api")]


def test_analysts_cannot_read_disclosures_and_nothing_is_logged(world, analyst_api):
    response = analyst_api.get(f"/api/v1/disclosures/{world.disclosure.pk}/")

    assert response.status_code == 403
    assert DisclosureAccess.objects.count() == 0


def test_disclosures_filter_by_request(world, supervisor_api, platforms, analyst, supervisor):
    other = TakedownFactory(platform=platforms["x"], created_by=analyst)
    world.disclosure.__class__.objects.create(
        request=other, account=world.account, data={}, recorded_by=supervisor
    )

    response = supervisor_api.get("/api/v1/disclosures/", {"request": world.takedown.pk})

    assert [d["id"] for d in response.json()["results"]] == [world.disclosure.pk]


def test_supervisor_records_a_disclosure_and_its_answer_is_a_logged_read(
    world, supervisor, supervisor_api
):
    TakedownRequest.objects.filter(pk=world.takedown.pk).update(
        kind="disclosure", status="submitted"
    )

    response = supervisor_api.post(
        "/api/v1/disclosures/",
        {"request": world.takedown.pk, "account": world.account.pk, "data": {"email": "a@b.pk"}},
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["data"], body["recorded_by"]) == ({"email": "a@b.pk"}, "supervisor")
    read = DisclosureAccess.objects.get(disclosure_id=body["id"])
    assert (read.user, read.channel) == (supervisor, "api")
    assert world.takedown.events.filter(kind="disclosure_recorded").count() == 1


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"request": 999_999}, 400, "invalid"),
        ({"account": 999_999}, 400, "invalid"),
        ({"data": "not an object"}, 400, "invalid"),
        ({"data": {"phone": "+92\u0000300"}}, 400, "invalid"),
        ({"kind": "removal"}, 409, "not_a_disclosure_request"),
    ],
)
def test_a_refused_disclosure_writes_nothing(world, supervisor_api, body, status, code):
    kind = body.pop("kind", "disclosure")
    TakedownRequest.objects.filter(pk=world.takedown.pk).update(kind=kind, status="submitted")
    before = (Disclosure.objects.count(), DisclosureAccess.objects.count())
    data = {"request": world.takedown.pk, "account": world.account.pk, "data": {"a": 1}, **body}

    response = supervisor_api.post("/api/v1/disclosures/", data, format="json")

    assert response.status_code == status, response.content
    assert response.json()["error"]["code"] == code
    assert (Disclosure.objects.count(), DisclosureAccess.objects.count()) == before


# -- webhooks --------------------------------------------------------------------------------


@pytest.fixture
def admin_api(administrator):
    from tests.api_fixtures import token_client

    return token_client(administrator)


def test_webhook_secret_is_generated_and_shown_only_on_create(admin_api, administrator):
    created = admin_api.post(
        "/api/v1/webhooks/",
        {
            "name": "CERT",
            "url": "https://cases.example.org/hook",
            "events": ["takedown.overdue", "takedown.status_changed"],
        },
        format="json",
    )

    assert created.status_code == 201, created.json()
    secret = created.json()["secret"]
    subscription = WebhookSubscription.objects.get(pk=created.json()["id"])
    assert subscription.secret == secret and len(secret) >= 40
    assert subscription.created_by == administrator
    shown = admin_api.get(f"/api/v1/webhooks/{subscription.pk}/").json()
    assert "secret" not in shown
    assert shown["events"] == ["takedown.overdue", "takedown.status_changed"]


def test_rotating_the_secret_replaces_it(admin_api, world):
    response = admin_api.post(f"/api/v1/webhooks/{world.webhook.pk}/rotate-secret/")

    world.webhook.refresh_from_db()
    assert response.json()["secret"] == world.webhook.secret != "s3cret"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "n", "url": "ftp://files.example.org/", "events": ["takedown.overdue"]}, "url"),
        ({"name": "n", "url": "https://e.example.org/", "events": ["everything"]}, "events.0"),
        ({"name": "n", "url": "https://e.example.org/", "events": []}, "events"),
        ({"name": "", "url": "https://e.example.org/", "events": ["takedown.overdue"]}, "name"),
    ],
)
def test_bad_webhooks_are_refused(payload, field, admin_api):
    response = admin_api.post("/api/v1/webhooks/", payload, format="json")

    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert WebhookSubscription.objects.count() == 0


def test_update_and_delete_a_webhook(admin_api, world):
    changed = admin_api.patch(
        f"/api/v1/webhooks/{world.webhook.pk}/", {"is_active": False}, format="json"
    )
    deleted = admin_api.delete(f"/api/v1/webhooks/{world.webhook.pk}/")

    assert (changed.status_code, changed.json()["is_active"]) == (200, False)
    assert deleted.status_code == 204
    assert not WebhookSubscription.objects.exists()


def test_deliveries_are_listed_and_filtered(world, supervisor_api):
    url = f"/api/v1/webhooks/{world.webhook.pk}/deliveries/"

    everything = supervisor_api.get(url).json()["results"]
    succeeded = supervisor_api.get(url, {"status": "succeeded"}).json()["results"]
    missing = supervisor_api.get("/api/v1/webhooks/999999/deliveries/")

    assert [(d["event"], d["status"]) for d in everything] == [("takedown.overdue", "pending")]
    assert succeeded == []
    assert missing.status_code == 404


# -- notifications ---------------------------------------------------------------------------


def test_users_see_and_mark_only_their_own_notifications(world, analyst, analyst_api):
    mine = world.notifications[analyst.pk]
    theirs = next(n for pk, n in world.notifications.items() if pk != analyst.pk)

    listed = analyst_api.get("/api/v1/notifications/").json()["results"]
    foreign = analyst_api.post(f"/api/v1/notifications/{theirs.pk}/read/")
    read = analyst_api.post(f"/api/v1/notifications/{mine.pk}/read/")

    assert [n["id"] for n in listed] == [mine.pk]
    assert foreign.status_code == 404
    assert read.json()["is_read"] is True
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_read_all_marks_every_unread_notification_of_the_caller(world, analyst, analyst_api):
    Notification.objects.create(user=analyst, kind="k", title="second", dedupe_key="second")

    marked = analyst_api.post("/api/v1/notifications/read-all/").json()
    unread = analyst_api.get("/api/v1/notifications/", {"unread": "true"}).json()["results"]

    assert marked == {"marked": 2}
    assert unread == []
    assert Notification.objects.filter(read_at__isnull=True).count() == 2  # the others'
