import pytest

from accounts import services
from accounts.history import history_entries
from tests.factories import GroupFactory

pytestmark = pytest.mark.django_db


def test_history_lists_changes_with_labels_choices_and_groups(analyst, supervisor, platforms):
    a, b = GroupFactory(name="Al-Qaida"), GroupFactory(name="Haqqani Network")
    account = services.account_create(user=analyst, value="https://t.me/sada", groups=[a])
    services.account_update(
        account=account, user=supervisor, display_name="Sada", groups=[a, b], reason="review"
    )
    services.account_set_status(account=account, user=supervisor, status="suspended")
    entries = history_entries(instance=account)
    assert [(e.kind, e.user.username) for e in entries] == [
        ("changed", "supervisor"),
        ("changed", "supervisor"),
        ("changed", "supervisor"),
        ("changed", "analyst"),
        ("created", "analyst"),
    ]
    assert [(c.label, c.old, c.new) for c in entries[0].changes] == [
        ("status", "Active", "Suspended")
    ]
    assert [(c.label, c.old, c.new) for c in entries[1].changes] == [
        ("linked groups", "Al-Qaida", "Al-Qaida, Haqqani Network")
    ]
    assert [(c.field, c.new) for c in entries[2].changes] == [("display_name", "Sada")]
    assert entries[2].reason == "review"


def test_history_takes_the_same_queries_however_long(
    analyst, platforms, django_assert_max_num_queries
):
    account = services.account_create(user=analyst, value="https://t.me/sada")
    for n in range(15):
        services.account_update(account=account, user=analyst, notes=f"note {n}")
    with django_assert_max_num_queries(5):
        entries = history_entries(instance=account)
    assert len(entries) == 16  # created, then 15 changes
    assert (entries[0].changes[0].old, entries[0].changes[0].new) == ("note 13", "note 14")


def test_pages_and_api_give_the_same_history(analyst, supervisor, supervisor_api, client):
    """The account page and GET /accounts/{id}/history/ read the one formatter: the same
    entries, kinds, users, reasons and changed fields, the page in words, the API in values."""
    from django.urls import reverse

    from tests.factories import PlatformFactory

    PlatformFactory(slug="telegram", name="Telegram")
    a, b = GroupFactory(name="Al-Qaida"), GroupFactory(name="Haqqani Network")
    account = services.account_create(user=analyst, value="https://t.me/sada", groups=[a])
    services.account_update(
        account=account, user=supervisor, display_name="Sada", groups=[a, b], reason="review"
    )
    services.account_update(account=account, user=supervisor, notes="")  # nothing changes
    services.account_set_status(account=account, user=supervisor, status="removed")
    client.force_login(supervisor)

    page = client.get(reverse("accounts:detail", args=[account.pk])).context["history"]
    api = supervisor_api.get(f"/api/v1/accounts/{account.pk}/history/").json()

    def outline(entries):
        return [(e["id"], e["type"], e["user"], e["reason"], e["fields"]) for e in entries]

    assert outline(
        {
            "id": e.id,
            "type": e.kind,
            "user": e.user.username,
            "reason": e.reason,
            "fields": [c.field for c in e.changes],
        }
        for e in page
    ) == outline({**e, "fields": [c["field"] for c in e["changes"]]} for e in api)
    status_page = next(c for c in page[0].changes if c.field == "status")
    status_api = next(c for c in api[0]["changes"] if c["field"] == "status")
    assert (status_page.old, status_page.new) == ("Active", "Removed")
    assert (status_api["old"], status_api["new"]) == ("active", "removed")
    groups_api = next(c for c in api[-2]["changes"] if c["field"] == "groups")
    assert groups_api == {"field": "groups", "old": [], "new": [a.pk]}
    assert [e["type"] for e in api][-1] == "created"
