"""Fixtures of the API tests: clients for every kind of caller, and a small world to call about.

Loaded by tests/conftest.py as a pytest plugin, so accounts/, takedowns/ and tracker/ tests
share them.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.choices import Authority
from accounts.models import Designation, GroupAlias
from takedowns.models import (
    Disclosure,
    Notification,
    TakedownRequest,
    WebhookDelivery,
    WebhookSubscription,
)
from tests.factories import (
    AccountFactory,
    GroupFactory,
    MirrorCandidateFactory,
    TakedownFactory,
)
from tracker.api.tokens import api_token_issue
from tracker.models import ApiToken

# Who calls: a person logged in to the browser, a system with a token, or nobody.
CALLERS = (
    "anonymous",
    "analyst",
    "supervisor",
    "administrator",
    "read_token",
    "write_token",
    "analyst_write_token",
)


def token_client(user, scope=ApiToken.Scope.WRITE) -> APIClient:
    """A client sending `Authorization: Token <key>` for a fresh token of `user`."""
    _token, key = api_token_issue(user=user, name=f"{user.username} {scope}", scope=scope)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def session_client(user) -> APIClient:
    """A client logged in like the browser (session cookie, CSRF enforced as in production)."""
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/accounts/login/")  # a page with a form sets the CSRF cookie
    client.credentials(HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)
    return client


@pytest.fixture
def api_client_for(analyst, supervisor, administrator):
    """api_client_for(caller) -> (client, user) for every name in CALLERS."""

    def make(caller: str):
        if caller == "anonymous":
            return APIClient(), None
        if caller in ("analyst", "supervisor", "administrator"):
            user = {"analyst": analyst, "supervisor": supervisor, "administrator": administrator}[
                caller
            ]
            return session_client(user), user
        if caller == "read_token":
            return token_client(supervisor, ApiToken.Scope.READ), supervisor
        if caller == "write_token":
            return token_client(supervisor, ApiToken.Scope.WRITE), supervisor
        if caller == "analyst_write_token":
            return token_client(analyst, ApiToken.Scope.WRITE), analyst
        raise ValueError(caller)

    return make


@pytest.fixture
def supervisor_api(supervisor):
    return token_client(supervisor)


@pytest.fixture
def analyst_api(analyst):
    return token_client(analyst)


@dataclass
class World:
    """One of everything the API serves, with known ids."""

    group: object
    designation: object
    account: object
    removed: object
    mirror: object
    takedown: TakedownRequest
    disclosure: Disclosure
    webhook: WebhookSubscription
    notifications: dict


@pytest.fixture
def world(platforms, analyst, supervisor, administrator):
    group = GroupFactory(name="Lashkar-e-Tayyiba", country="Pakistan")
    GroupAlias.objects.create(group=group, name="LeT", name_key="let")
    designation = Designation.objects.create(
        group=group, authority=Authority.UN, reference="QDe.118", source_record_id="110133"
    )
    x = platforms["x"]
    account = AccountFactory(platform=x, handle="sada_e_haq", flagged_by=analyst)
    account.groups.add(group)
    mirror = MirrorCandidateFactory(
        account=account, removed_account__platform=x, removed_account__handle="sada_old"
    )
    takedown = TakedownFactory(platform=x, created_by=analyst, accounts=[account])
    disclosure = Disclosure.objects.create(
        request=takedown, account=account, data={"phone": "+923000000000"}, recorded_by=supervisor
    )
    webhook = WebhookSubscription.objects.create(
        name="CERT",
        url="https://cases.example.org/hook",
        secret="s3cret",
        events=["takedown.overdue"],
        created_by=administrator,
    )
    WebhookDelivery.objects.create(
        subscription=webhook, event="takedown.overdue", payload={"request": takedown.pk}
    )
    notifications = {
        user.pk: Notification.objects.create(
            user=user,
            kind="overdue",
            title=f"For {user.username}",
            request=takedown,
            dedupe_key=f"n-{user.pk}",
            created_at=timezone.now() - timedelta(minutes=1),
        )
        for user in (analyst, supervisor, administrator)
    }
    return World(
        group=group,
        designation=designation,
        account=account,
        removed=mirror.removed_account,
        mirror=mirror,
        takedown=takedown,
        disclosure=disclosure,
        webhook=webhook,
        notifications=notifications,
    )
