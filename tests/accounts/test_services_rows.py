"""The one row validator (accounts/services/rows.py): a single create (service, API, entry page)
and a bulk create (service, API) refuse the same inputs with the same codes and fields."""

import pytest
from django.urls import reverse

from accounts import services
from accounts.models import FlaggedAccount
from core.errors import DomainError
from tests.factories import GroupFactory

pytestmark = pytest.mark.django_db

GOOD = {"handle": "https://t.me/sada_e_haq"}

# (what is changed in a good row, the field refused, its code): one case per rule.
RULES = [
    ({"handle": None}, "handle", "required"),
    ({"handle": "  "}, "handle", "required"),
    ({"handle": ["@a"]}, "handle", "invalid_type"),
    ({"handle": "https://t.me/" + "a" * 1990}, "handle", "max_length"),
    ({"handle": "https://t.me/abc\x00def"}, "handle", "invalid"),
    ({"handle": "https://example.com/abc"}, "handle", "unknown_platform"),
    ({"handle": "no spaces allowed", "platform": "x"}, "handle", "invalid_handle"),
    ({"platform": "p" * 33}, "platform", "max_length"),
    ({"handle": "@abc_def", "platform": "myspace"}, "platform", "unknown_platform"),
    ({"platform_account_id": "1" * 129}, "platform_account_id", "max_length"),
    ({"display_name": "n" * 256}, "display_name", "max_length"),
    ({"display_name": {"a": 1}}, "display_name", "invalid_type"),
    ({"bio": "b" * 10_001}, "bio", "max_length"),
    ({"bio": "nul\x00"}, "bio", "invalid"),
    ({"notes": "n" * 10_001}, "notes", "max_length"),
    ({"reason": "r" * 101}, "reason", "max_length"),
    ({"status": "vanished"}, "status", "invalid_choice"),
    ({"groups": [999_999]}, "groups", "unknown_group"),
    ({"groups": [True]}, "groups", "unknown_group"),
    ({"groups": "all"}, "groups", "invalid_type"),
    ({"tags": "not-a-list"}, "tags", "invalid_type"),
    ({"tags": [1, 2]}, "tags", "invalid_type"),
    ({"tags": ["t" * 65]}, "tags", "max_length"),
    ({"tags": [f"t{n}" for n in range(51)]}, "tags", "max_length"),
    ({"first_seen_at": "yesterday"}, "first_seen_at", "invalid_date"),
    ({"first_seen_at": 5}, "first_seen_at", "invalid_type"),
    # Python reads it, the database could not store it (once a 500 through the API).
    ({"first_seen_at": "5813-01-07T03:57:37.5-20:28"}, "first_seen_at", "out_of_range"),
    ({"colour": "red"}, "colour", "unknown_field"),
]
IDS = [f"{field}-{code}" for _change, field, code in RULES]


def refusals_of_single_create(user, row) -> list[tuple]:
    with pytest.raises(DomainError) as exc:
        services.account_create_from_row(user=user, row=row)
    return [(e.field, e.code) for e in services.rows.row_errors(exc.value)]


def refusals_of_bulk_create(user, row) -> list[tuple]:
    with pytest.raises(DomainError) as exc:
        services.accounts_bulk_create(user=user, rows=[row], cells=False)
    return [(r["field"], r["code"]) for r in exc.value.extra["rows"]]


@pytest.mark.parametrize(("change", "field", "code"), RULES, ids=IDS)
def test_single_and_bulk_create_refuse_alike(change, field, code, analyst, platforms):
    row = {**GOOD, **change}

    single = refusals_of_single_create(analyst, row)
    bulk = refusals_of_bulk_create(analyst, row)

    assert single == bulk == [(field, code)]
    assert FlaggedAccount.objects.count() == 0


@pytest.mark.parametrize(("change", "field", "code"), RULES, ids=IDS)
def test_the_api_single_and_bulk_create_name_the_same_field(
    change, field, code, analyst_api, platforms
):
    row = {**GOOD, **change}

    single = analyst_api.post("/api/v1/accounts/", row, format="json")
    bulk = analyst_api.post("/api/v1/accounts/bulk/", {"rows": [row]}, format="json")

    assert (single.status_code, bulk.status_code) == (400, 400)
    assert list(single.json()["error"]["fields"]) == [field]
    assert [(r["field"], r["code"]) for r in bulk.json()["error"]["rows"]] == [(field, code)]


def test_every_field_at_fault_is_named_at_once(analyst, platforms):
    row = {"handle": "", "groups": "all", "status": "x", "bio": "b" * 10_001}

    assert refusals_of_single_create(analyst, row) == refusals_of_bulk_create(analyst, row)
    assert sorted(refusals_of_single_create(analyst, row)) == [
        ("bio", "max_length"),
        ("groups", "invalid_type"),
        ("handle", "required"),
        ("status", "invalid_choice"),
    ]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"notes": "n" * 10_001}, "notes"),
        ({"display_name": "n" * 256}, "display_name"),
        ({"tags": "t" * 65}, "tags"),
        ({"value": "https://t.me/" + "a" * 1990}, "value"),
        ({"value": "https://example.com/abc"}, "value"),
    ],
)
def test_the_entry_page_refuses_on_the_same_field(data, field, client, analyst, platforms):
    client.force_login(analyst)

    response = client.post(reverse("accounts:entry"), {"value": "https://t.me/sada", **data})

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert FlaggedAccount.objects.count() == 0


def test_a_bulk_row_takes_a_reason_for_the_history_like_a_single_create(analyst, platforms):
    result = services.accounts_bulk_create(
        user=analyst, rows=[{**GOOD, "reason": "seen in a report"}], cells=False
    )

    assert result.created[0].history.get().history_change_reason == "seen in a report"


def test_cells_may_hold_lists_as_text_json_rows_may_not(analyst, platforms):
    let = GroupFactory(name="Lashkar-e-Tayyiba")
    row = {**GOOD, "groups": "Lashkar-e-Tayyiba", "tags": "urdu; recruitment"}

    account = services.accounts_bulk_create(user=analyst, rows=[row]).created[0]

    assert list(account.groups.all()) == [let]
    assert sorted(account.tags.values_list("name", flat=True)) == ["recruitment", "urdu"]
    assert refusals_of_bulk_create(analyst, {**row, "handle": "@other", "platform": "x"}) == [
        ("groups", "invalid_type"),
        ("tags", "invalid_type"),
    ]
