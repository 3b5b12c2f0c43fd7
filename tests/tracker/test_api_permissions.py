"""Every endpoint for every kind of caller: who gets in, who is refused, and that a refusal
changes nothing."""

import json
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import (
    Evidence,
    FlaggedAccount,
    GroupAlias,
    MirrorCandidate,
    ProscribedGroup,
)
from takedowns.choices import RequestStatus
from takedowns.letters.defaults import DEFAULT_TEMPLATE
from takedowns.letters.models import LetterTemplate
from takedowns.models import (
    Disclosure,
    DisclosureAccess,
    Notification,
    TakedownEvent,
    TakedownRequest,
    WebhookSubscription,
)
from tests.api_fixtures import CALLERS
from tracker.reports.models import ComplianceReport
from tracker.reports.services import previous_month

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


ANALYSTS = ("analyst", "analyst_write_token")
NOT_ADMIN = ("analyst", "supervisor", "read_token", "write_token", "analyst_write_token")


def expect(ok: int, *, denied=(), read_only=True) -> dict:
    """Status per caller: `ok` unless denied by role (403), read-scope (403) or anonymous (401)."""
    codes = dict.fromkeys(CALLERS, ok)
    codes["anonymous"] = 401
    for caller in denied:
        codes[caller] = 403
    if not read_only:
        codes["read_token"] = 403
    return codes


def at(status, **fields):
    """A setup moving the world's request to `status` (with the fields that status implies)."""

    def setup(world):
        if status in (RequestStatus.SUBMITTED, RequestStatus.ACKNOWLEDGED):
            now = timezone.now()
            fields.update(submitted_at=now, due_at=now + timedelta(hours=48))
        TakedownRequest.objects.filter(pk=world.takedown.pk).update(status=status, **fields)

    return setup


def with_letter_template(world):
    """The default letter template (the migration's copy, put back if a flush removed it)."""
    LetterTemplate.objects.get_or_create(platform=None, kind="", defaults=DEFAULT_TEMPLATE)


def with_report(world):
    """A stored report over last month, with stand-in files."""
    start, end = previous_month(timezone.localdate())
    report = ComplianceReport(period_start=start, period_end=end, figures={"period": {}})
    report.pdf.save("r.pdf", ContentFile(b"%PDF-1.4"), save=False)
    report.csv.save("r.csv", ContentFile(b"section,item"), save=False)
    report.save()
    world.report = report


SUPERVISING = expect(200, denied=ANALYSTS, read_only=False)


def own_notification(world, user):
    return world.notifications[user.pk].pk if user else 1


# (name, method, path(world, user), body, expected statuses, setup(world) or None)
ENDPOINTS = [
    ("root", "get", lambda w, u: "/api/v1/", None, expect(200), None),
    ("me", "get", lambda w, u: "/api/v1/me/", None, expect(200), None),
    ("stats", "get", lambda w, u: "/api/v1/stats/", None, expect(200), None),
    ("schema", "get", lambda w, u: "/api/schema/", None, expect(200), None),
    ("platform-list", "get", lambda w, u: "/api/v1/platforms/", None, expect(200), None),
    ("platform-detail", "get", lambda w, u: "/api/v1/platforms/x/", None, expect(200), None),
    ("group-list", "get", lambda w, u: "/api/v1/groups/", None, expect(200), None),
    (
        "group-suggest",
        "get",
        lambda w, u: "/api/v1/groups/suggest/",
        None,
        expect(200),
        None,
    ),
    (
        "group-detail",
        "get",
        lambda w, u: f"/api/v1/groups/{w.group.pk}/",
        None,
        expect(200),
        None,
    ),
    (
        "group-create",
        "post",
        lambda w, u: "/api/v1/groups/",
        {"name": "Jamaat-ul-Ahrar", "aliases": ["JuA"]},
        expect(201, denied=NOT_ADMIN),
        None,
    ),
    (
        "group-aliases",
        "post",
        lambda w, u: f"/api/v1/groups/{w.group.pk}/aliases/",
        {"aliases": ["Lashkar-i-Taiba"]},
        expect(200, denied=NOT_ADMIN),
        None,
    ),
    ("designation-list", "get", lambda w, u: "/api/v1/designations/", None, expect(200), None),
    (
        "designation-detail",
        "get",
        lambda w, u: f"/api/v1/designations/{w.designation.pk}/",
        None,
        expect(200),
        None,
    ),
    ("account-list", "get", lambda w, u: "/api/v1/accounts/", None, expect(200), None),
    (
        "account-detail",
        "get",
        lambda w, u: f"/api/v1/accounts/{w.account.pk}/",
        None,
        expect(200),
        None,
    ),
    (
        "account-create",
        "post",
        lambda w, u: "/api/v1/accounts/",
        {"handle": "https://t.me/new_channel"},
        expect(201, read_only=False),
        None,
    ),
    (
        "account-update",
        "patch",
        lambda w, u: f"/api/v1/accounts/{w.account.pk}/",
        {"display_name": "Sada"},
        expect(200, read_only=False),
        None,
    ),
    (
        "account-bulk",
        "post",
        lambda w, u: "/api/v1/accounts/bulk/",
        {"rows": [{"handle": "https://t.me/bulk_one"}]},
        expect(201, read_only=False),
        None,
    ),
    (
        "account-evidence",
        "get",
        lambda w, u: f"/api/v1/accounts/{w.account.pk}/evidence/",
        None,
        expect(200),
        None,
    ),
    (
        "account-evidence-capture",
        "post",
        lambda w, u: f"/api/v1/accounts/{w.account.pk}/evidence/",
        {"url": "https://x.com/sada_e_haq/status/1"},
        expect(201, read_only=False),
        None,
    ),
    (
        "account-history",
        "get",
        lambda w, u: f"/api/v1/accounts/{w.account.pk}/history/",
        None,
        expect(200),
        None,
    ),
    (
        "account-mirror-candidates",
        "get",
        lambda w, u: f"/api/v1/accounts/{w.account.pk}/mirror-candidates/",
        None,
        expect(200),
        None,
    ),
    ("mirror-list", "get", lambda w, u: "/api/v1/mirror-candidates/", None, expect(200), None),
    (
        "mirror-detail",
        "get",
        lambda w, u: f"/api/v1/mirror-candidates/{w.mirror.pk}/",
        None,
        expect(200),
        None,
    ),
    (
        "mirror-confirm",
        "post",
        lambda w, u: f"/api/v1/mirror-candidates/{w.mirror.pk}/confirm/",
        None,
        expect(200, denied=ANALYSTS, read_only=False),
        None,
    ),
    (
        "mirror-reject",
        "post",
        lambda w, u: f"/api/v1/mirror-candidates/{w.mirror.pk}/reject/",
        None,
        expect(200, denied=ANALYSTS, read_only=False),
        None,
    ),
    # Writes nothing for anyone (the snapshot is compared for the refusals), but it is a
    # scoring door of the create: the same roles, and no read-scope token.
    (
        "mirror-check",
        "post",
        lambda w, u: "/api/v1/mirror-check/",
        {"handle": "https://t.me/new_channel", "display_name": "Sada"},
        expect(200, read_only=False),
        None,
    ),
    ("takedown-list", "get", lambda w, u: "/api/v1/takedowns/", None, expect(200), None),
    (
        "takedown-export",
        "get",
        lambda w, u: "/api/v1/takedowns/export/?format=csv",
        None,
        expect(200),
        None,
    ),
    (
        "takedown-detail",
        "get",
        lambda w, u: f"/api/v1/takedowns/{w.takedown.pk}/",
        None,
        expect(200),
        None,
    ),
    (
        "takedown-events",
        "get",
        lambda w, u: f"/api/v1/takedowns/{w.takedown.pk}/events/",
        None,
        expect(200),
        None,
    ),
    (
        "takedown-create",
        "post",
        lambda w, u: "/api/v1/takedowns/",
        lambda w: {"accounts": [w.account.pk]},
        expect(201, read_only=False),
        None,
    ),
    (
        "takedown-request-approval",
        "post",
        lambda w, u: f"/api/v1/takedowns/{w.takedown.pk}/request-approval/",
        None,
        expect(200, read_only=False),
        None,
    ),
    (
        "takedown-approve",
        "post",
        lambda w, u: f"/api/v1/takedowns/{w.takedown.pk}/approve/",
        None,
        SUPERVISING,
        at(RequestStatus.PENDING_APPROVAL),
    ),
    (
        "takedown-submit",
        "post",
        lambda w, u: f"/api/v1/takedowns/{w.takedown.pk}/submit/",
        None,
        SUPERVISING,
        at(RequestStatus.APPROVED),
    ),
    (
        "takedown-acknowledge",
        "post",
        lambda w, u: f"/api/v1/takedowns/{w.takedown.pk}/acknowledge/",
        {"ticket": "T-1"},
        SUPERVISING,
        at(RequestStatus.SUBMITTED),
    ),
    (
        "takedown-pause",
        "post",
        lambda w, u: f"/api/v1/takedowns/{w.takedown.pk}/pause/",
        {"reason": "clarification"},
        SUPERVISING,
        at(RequestStatus.SUBMITTED),
    ),
    (
        "takedown-resume",
        "post",
        lambda w, u: f"/api/v1/takedowns/{w.takedown.pk}/resume/",
        None,
        SUPERVISING,
        at(RequestStatus.ACKNOWLEDGED, paused_at=timezone.now()),
    ),
    (
        "takedown-resolve",
        "post",
        lambda w, u: f"/api/v1/takedowns/{w.takedown.pk}/resolve/",
        lambda w: {"outcomes": [{"account": w.account.pk, "outcome": "removed"}]},
        SUPERVISING,
        at(RequestStatus.ACKNOWLEDGED),
    ),
    (
        "takedown-withdraw",
        "post",
        lambda w, u: f"/api/v1/takedowns/{w.takedown.pk}/withdraw/",
        {"reason": "gone"},
        expect(200, read_only=False),
        None,
    ),
    (
        "takedown-package",
        "get",
        lambda w, u: f"/api/v1/takedowns/{w.takedown.pk}/package/",
        None,
        expect(200, denied=ANALYSTS),
        with_letter_template,
    ),
    (
        "disclosure-list",
        "get",
        lambda w, u: "/api/v1/disclosures/",
        None,
        expect(200, denied=ANALYSTS),
        None,
    ),
    (
        "disclosure-list",
        "post",
        lambda w, u: "/api/v1/disclosures/",
        lambda w: {"request": w.takedown.pk, "account": w.account.pk, "data": {"phone": "+92"}},
        expect(201, denied=ANALYSTS, read_only=False),
        at(RequestStatus.SUBMITTED, kind="disclosure"),
    ),
    (
        "disclosure-detail",
        "get",
        lambda w, u: f"/api/v1/disclosures/{w.disclosure.pk}/",
        None,
        expect(200, denied=ANALYSTS),
        None,
    ),
    (
        "webhook-list",
        "get",
        lambda w, u: "/api/v1/webhooks/",
        None,
        expect(200, denied=ANALYSTS),
        None,
    ),
    (
        "webhook-detail",
        "get",
        lambda w, u: f"/api/v1/webhooks/{w.webhook.pk}/",
        None,
        expect(200, denied=ANALYSTS),
        None,
    ),
    (
        "webhook-deliveries",
        "get",
        lambda w, u: f"/api/v1/webhooks/{w.webhook.pk}/deliveries/",
        None,
        expect(200, denied=ANALYSTS),
        None,
    ),
    (
        "webhook-create",
        "post",
        lambda w, u: "/api/v1/webhooks/",
        {"name": "SOC", "url": "https://soc.example.org/in", "events": ["takedown.overdue"]},
        expect(201, denied=NOT_ADMIN),
        None,
    ),
    (
        "webhook-update",
        "patch",
        lambda w, u: f"/api/v1/webhooks/{w.webhook.pk}/",
        {"is_active": False},
        expect(200, denied=NOT_ADMIN),
        None,
    ),
    (
        "webhook-rotate-secret",
        "post",
        lambda w, u: f"/api/v1/webhooks/{w.webhook.pk}/rotate-secret/",
        None,
        expect(200, denied=NOT_ADMIN),
        None,
    ),
    (
        "webhook-delete",
        "delete",
        lambda w, u: f"/api/v1/webhooks/{w.webhook.pk}/",
        None,
        expect(204, denied=NOT_ADMIN),
        None,
    ),
    (
        "report-list",
        "get",
        lambda w, u: "/api/v1/reports/",
        None,
        expect(200, denied=ANALYSTS),
        with_report,
    ),
    (
        "report-list",
        "post",
        lambda w, u: "/api/v1/reports/",
        {"start": "2026-11-01", "end": "2026-12-01", "platform": "x"},
        expect(201, denied=ANALYSTS, read_only=False),
        None,
    ),
    (
        "report-detail",
        "get",
        lambda w, u: f"/api/v1/reports/{w.report.pk}/",
        None,
        expect(200, denied=ANALYSTS),
        with_report,
    ),
    (
        "report-file",
        "get",
        lambda w, u: f"/api/v1/reports/{w.report.pk}/file/?kind=csv",
        None,
        expect(200, denied=ANALYSTS),
        with_report,
    ),
    ("notification-list", "get", lambda w, u: "/api/v1/notifications/", None, expect(200), None),
    (
        "notification-read",
        "post",
        lambda w, u: f"/api/v1/notifications/{own_notification(w, u)}/read/",
        None,
        expect(200, read_only=False),
        None,
    ),
    (
        "notification-read-all",
        "post",
        lambda w, u: "/api/v1/notifications/read-all/",
        None,
        expect(200, read_only=False),
        None,
    ),
    # stix
    (
        "stix-import",
        "post",
        lambda w, u: "/api/v1/stix/imports/",
        {
            "type": "bundle",
            "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d",
            "objects": [
                {
                    "type": "user-account",
                    "spec_version": "2.1",
                    "id": "user-account--0d5b424b-93b8-5cd8-ac36-306e1789d63c",
                    "account_type": "twitter",
                    "account_login": "stix_matrix_new",
                }
            ],
        },
        expect(201, read_only=False),
        None,
    ),
]


def with_feed_key(world):
    """The X feed signed with a key (a feed without one answers 409)."""
    from django.contrib.auth import get_user_model

    from sharing.feeds.keys import feed_key_rotate
    from sharing.feeds.log import feed_for

    administrator = get_user_model().objects.get(username="administrator")
    feed_key_rotate(feed=feed_for(world.account.platform), user=administrator)


ENDPOINTS += [
    (
        name,
        "get",
        lambda w, u, tail=tail: f"/api/v1/feeds/x/{tail}",
        None,
        expect(200, denied=NOT_ADMIN),
        with_feed_key,
    )
    for name, tail in (
        ("feed-page", ""),
        ("feed-json", "signals.json"),
        ("feed-csv", "signals.csv"),
    )
]


def snapshot(world) -> dict:
    """What any write would change, to prove a refused call changed nothing."""
    takedown = TakedownRequest.objects.get(pk=world.takedown.pk)
    return {
        "groups": ProscribedGroup.objects.count(),
        "aliases": GroupAlias.objects.count(),
        "accounts": list(FlaggedAccount.objects.values_list("pk", "display_name", "status")),
        "evidence": Evidence.objects.count(),
        "mirrors": list(MirrorCandidate.objects.values_list("pk", "status")),
        "takedowns": TakedownRequest.objects.count(),
        "takedown": (takedown.status, takedown.version),
        "events": TakedownEvent.objects.count(),
        "webhooks": list(WebhookSubscription.objects.values_list("pk", "secret", "is_active")),
        "unread": Notification.objects.filter(read_at__isnull=True).count(),
        "disclosure_reads": DisclosureAccess.objects.count(),
        "disclosures": Disclosure.objects.count(),
        "reports": ComplianceReport.objects.count(),
    }


CASES = [
    pytest.param(endpoint, caller, id=f"{endpoint[0]}-{caller}")
    for endpoint in ENDPOINTS
    for caller in CALLERS
]


@pytest.mark.parametrize(("endpoint", "caller"), CASES)
def test_endpoint_answers_each_caller_as_its_role_and_scope_allow(
    endpoint, caller, api_client_for, world
):
    _name, method, path, body, expected, setup = endpoint
    client, user = api_client_for(caller)
    if setup:
        setup(world)
    before = snapshot(world)
    data = body(world) if callable(body) else body

    response = getattr(client, method)(path(world, user), data, format="json")

    assert response.status_code == expected[caller], response.content
    if response.status_code in (401, 403):
        code = json.loads(response.content)["error"]["code"]
        if response.status_code == 401:
            assert code == "not_authenticated"
        elif caller == "read_token" and method != "get":
            assert code == "read_only_token"
        else:
            assert code == "permission_denied"
        assert snapshot(world) == before


def _routes():
    """(route name, HTTP method) of every v1 API operation."""
    from tracker.api.urls import v1

    routes = set()
    for pattern in v1:
        actions = getattr(pattern.callback, "actions", None)
        if actions:
            routes.update((pattern.name, method) for method in actions if method != "head")
        elif pattern.name:
            # A plain APIView: every method it declares permissions for.
            declared = getattr(getattr(pattern.callback, "cls", None), "required_permissions", {})
            routes.update((pattern.name, method) for method in declared)
    return routes


def test_every_routed_action_declares_its_permissions():
    from tracker.api.urls import v1

    missing = [
        f"{p.callback.cls.__name__}.{action}"
        for p in v1
        if getattr(p.callback, "actions", None)
        for action in p.callback.actions.values()
        if action not in p.callback.cls.required_permissions
    ]
    assert missing == []


def test_the_matrix_calls_every_api_operation(world, analyst):
    from django.urls import resolve

    called = set()
    for _name, method, path, _body, _expected, setup in ENDPOINTS:
        if setup:
            setup(world)
        match = resolve(path(world, analyst).split("?")[0])
        called.add((match.url_name, method))
    assert _routes() - called == set()
