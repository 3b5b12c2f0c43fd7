"""List endpoints run a fixed number of SQL queries whatever the page size."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.choices import Authority
from accounts.models import Designation, GroupAlias
from takedowns.models import (
    Disclosure,
    Notification,
    PlatformDeadline,
    WebhookDelivery,
    WebhookSubscription,
)
from tests.factories import (
    AccountFactory,
    GroupFactory,
    MirrorCandidateFactory,
    RemovedAccountFactory,
    TakedownFactory,
)

pytestmark = pytest.mark.django_db
ROWS = 12


@pytest.fixture
def many(platforms, analyst, supervisor, administrator):
    """ROWS of everything, each row with relations to load (groups, tags, items, actors)."""
    x = platforms["x"]
    for kind in ("removal", "geo_block"):
        PlatformDeadline.objects.create(platform=x, kind=kind, priority="normal", hours=24)
    groups = GroupFactory.create_batch(3)
    for n, group in enumerate(groups):
        GroupAlias.objects.create(group=group, name=f"alias {n}", name_key=f"alias {n}")
        Designation.objects.create(group=group, authority=Authority.UN, source_record_id=str(n))
    accounts = AccountFactory.create_batch(ROWS, platform=x, flagged_by=analyst)
    removed = RemovedAccountFactory.create_batch(ROWS, platform=x)
    webhook, _second = (
        WebhookSubscription.objects.create(
            name=name, url="https://h.example.org/", secret="s", events=[], created_by=administrator
        )
        for name in ("w1", "w2")
    )
    for n, account in enumerate(accounts):
        account.groups.set(groups[: 1 + n % 3])
        account.tags.create(name=f"tag{n}")
        takedown = TakedownFactory(platform=x, created_by=analyst, accounts=[account, removed[n]])
        MirrorCandidateFactory(account=account, removed_account=removed[n], score=0.5)
        Disclosure.objects.create(
            request=takedown, account=account, data={}, recorded_by=supervisor
        )
        Notification.objects.create(
            user=supervisor,
            kind="k",
            title="t",
            dedupe_key=str(n),
            created_at=timezone.now() - timedelta(seconds=n),
        )
        WebhookDelivery.objects.create(subscription=webhook, event="e", payload={})
    return {"webhook": webhook}


LISTS = [
    "/api/v1/accounts/",
    "/api/v1/accounts/?platform=x&status=active&q=handle",
    "/api/v1/takedowns/",
    "/api/v1/takedowns/?overdue=false&platform=x&status=draft",
    "/api/v1/groups/",
    "/api/v1/designations/",
    "/api/v1/platforms/",
    "/api/v1/mirror-candidates/",
    "/api/v1/disclosures/",
    "/api/v1/notifications/",
    "/api/v1/webhooks/",
]


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries)


@pytest.mark.parametrize("url", LISTS)
def test_list_query_count_does_not_grow_with_the_page_size(
    url, many, supervisor_api, django_assert_max_num_queries
):
    sep = "&" if "?" in url else "?"
    count_queries(supervisor_api, url)  # warm: the token's last_used_at is written once

    small = count_queries(supervisor_api, f"{url}{sep}page_size=1")
    with django_assert_max_num_queries(8):
        response = supervisor_api.get(f"{url}{sep}page_size=100")
    large = count_queries(supervisor_api, f"{url}{sep}page_size=100")

    assert len(response.json()["results"]) > 1
    assert small == large


def test_deliveries_query_count_does_not_grow_with_the_page_size(many, supervisor_api):
    url = f"/api/v1/webhooks/{many['webhook'].pk}/deliveries/"
    count_queries(supervisor_api, url)

    assert count_queries(supervisor_api, url + "?page_size=1") == count_queries(
        supervisor_api, url + "?page_size=100"
    )


@pytest.mark.parametrize(
    "url",
    ["/api/v1/accounts/{account}/", "/api/v1/takedowns/{takedown}/"],
)
def test_detail_query_count_is_bounded(url, many, supervisor_api, django_assert_max_num_queries):
    from accounts.models import FlaggedAccount
    from takedowns.models import TakedownRequest

    ids = {
        "account": FlaggedAccount.objects.filter(status="active").first().pk,
        "takedown": TakedownRequest.objects.first().pk,
    }
    supervisor_api.get("/api/v1/me/")
    with django_assert_max_num_queries(8):
        response = supervisor_api.get(url.format(**ids))
    assert response.status_code == 200
