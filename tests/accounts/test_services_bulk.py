"""accounts_bulk_create: all or nothing by default, partial on request, every row reported."""

import pytest
from django.utils import timezone

from accounts import services
from accounts.models import FlaggedAccount
from core.errors import DomainError, NotAllowed
from tests.factories import AccountFactory, GroupFactory

pytestmark = pytest.mark.django_db

GOOD = [
    {"handle": "https://t.me/sada_e_haq"},
    {"handle": "@voice_khorasan", "platform": "x", "tags": "recruitment; urdu"},
]


def test_valid_rows_are_all_recorded_with_groups_by_id_name_or_alias(analyst, platforms):
    let = GroupFactory(name="Lashkar-e-Tayyiba")
    let.aliases.create(name="LeT", name_key="let")
    ttp = GroupFactory(name="Tehrik-e Taliban Pakistan")

    result = services.accounts_bulk_create(
        user=analyst,
        rows=[
            {**GOOD[0], "groups": [let.pk]},
            {**GOOD[1], "groups": "let; tehrik-e taliban pakistan"},
        ],
    )

    assert result.errors == []
    first, second = result.created
    assert list(first.groups.all()) == [let]
    assert set(second.groups.all()) == {let, ttp}
    assert sorted(second.tags.values_list("name", flat=True)) == ["recruitment", "urdu"]
    assert first.flagged_by == analyst


def test_one_bad_row_records_nothing_and_reports_every_bad_row(analyst, platforms):
    existing = AccountFactory(platform=platforms["telegram"], handle="taken_channel")
    rows = [
        GOOD[0],
        {"handle": "https://t.me/taken_channel"},
        {"handle": "no spaces allowed", "platform": "x"},
        {"handle": "@fine_one", "platform": "x", "groups": ["Nobody"]},
        {"handle": "@fine_two", "platform": "x", "status": "vanished"},
        {"handle": "@fine_three", "platform": "x", "colour": "red"},
        "not an object",
        {"handle": "https://t.me/sada_e_haq"},
    ]

    with pytest.raises(DomainError) as exc:
        services.accounts_bulk_create(user=analyst, rows=rows)

    assert exc.value.code == "invalid_rows"
    found = [(r["index"], r["field"], r["code"]) for r in exc.value.extra["rows"]]
    assert found == [
        (1, "handle", "duplicate_account"),
        (2, "handle", "invalid_handle"),
        (3, "groups", "unknown_group"),
        (4, "status", "invalid_choice"),
        (5, "colour", "unknown_field"),
        (6, None, "invalid_type"),
        (7, "handle", "duplicate_in_file"),  # the same account as row 0 of this very batch
    ]
    assert exc.value.extra["rows"][0]["existing_id"] == existing.pk
    assert list(FlaggedAccount.objects.values_list("handle", flat=True)) == ["taken_channel"]


def test_partial_records_the_valid_rows_and_reports_the_rest(analyst, platforms):
    result = services.accounts_bulk_create(
        user=analyst,
        rows=[GOOD[0], {"handle": "", "platform": "x"}, GOOD[1]],
        partial=True,
    )

    assert [a.handle for a in result.created] == ["sada_e_haq", "voice_khorasan"]
    assert [(e.index, e.field, e.code) for e in result.errors] == [(1, "handle", "required")]
    assert FlaggedAccount.objects.count() == 2


def test_partial_with_no_valid_row_still_fails(analyst, platforms):
    with pytest.raises(DomainError):
        services.accounts_bulk_create(user=analyst, rows=[{"handle": 5.5}], partial=True)
    assert FlaggedAccount.objects.count() == 0


def test_dry_run_checks_everything_and_writes_nothing(analyst, platforms):
    result = services.accounts_bulk_create(user=analyst, rows=GOOD, dry_run=True)

    assert len(result.created) == 2
    assert FlaggedAccount.objects.count() == 0


@pytest.mark.parametrize(
    ("row", "field", "code"),
    [
        (
            {"handle": "@a_b_c", "platform": "x", "first_seen_at": "15/01/2026"},
            "first_seen_at",
            "invalid_date",
        ),
        (
            {"handle": "@a_b_c", "platform": "x", "display_name": "n" * 256},
            "display_name",
            "max_length",
        ),
        ({"handle": "@a_b_c", "platform": "x", "bio": "nul\x00"}, "bio", "invalid"),
        ({"handle": "@a_b_c", "platform": "x", "tags": [1, 2]}, "tags", "invalid_type"),
        ({"handle": ["@a_b_c"], "platform": "x"}, "handle", "invalid_type"),
        ({"handle": "@a_b_c", "platform": "myspace"}, "platform", "unknown_platform"),
    ],
)
def test_each_row_field_is_checked(row, field, code, analyst, platforms):
    with pytest.raises(DomainError) as exc:
        services.accounts_bulk_create(user=analyst, rows=[row])

    assert [(r["field"], r["code"]) for r in exc.value.extra["rows"]] == [(field, code)]


def test_spreadsheet_numbers_and_dates_are_understood(analyst, platforms):
    result = services.accounts_bulk_create(
        user=analyst,
        rows=[{"handle": 923001234567, "platform": "whatsapp", "first_seen_at": "2026-01-15"}],
    )

    account = result.created[0]
    assert account.handle == "+923001234567"
    assert timezone.localdate(account.first_seen_at).isoformat() == "2026-01-15"


def test_a_user_without_the_role_cannot_bulk_create(platforms):
    from tests.factories import UserFactory

    with pytest.raises(NotAllowed):
        services.accounts_bulk_create(user=UserFactory(), rows=GOOD)
    assert FlaggedAccount.objects.count() == 0


# Streaming: rows are planned and written a batch at a time (BATCH made small here).


@pytest.fixture
def small_batches(monkeypatch):
    from accounts.services import bulk

    monkeypatch.setattr(bulk, "BATCH", 2)
    return 2


def _rows(count, start=0):
    return [{"handle": f"@stream_{i}", "platform": "x"} for i in range(start, start + count)]


def test_each_batch_is_written_before_the_next_is_read(analyst, platforms, small_batches):
    seen = []

    def progress(done, total):
        seen.append(
            (done, total, FlaggedAccount.objects.filter(handle__startswith="stream_").count())
        )

    def rows():  # a generator: the bulk create cannot look ahead or count it
        yield from _rows(5)

    result = services.accounts_bulk_create(user=analyst, rows=rows(), progress=progress, keep=False)

    assert result.count == 5
    assert seen == [(2, None, 2), (4, None, 4), (5, None, 5)]


def test_a_bad_row_after_written_batches_rolls_every_batch_back(analyst, platforms, small_batches):
    rows = [*_rows(4), {"handle": "no spaces allowed", "platform": "x"}, *_rows(2, start=4)]
    before = FlaggedAccount.objects.count()
    history = FlaggedAccount.history.count()

    with pytest.raises(DomainError) as exc:
        services.accounts_bulk_create(user=analyst, rows=iter(rows))

    assert [(r["index"], r["code"]) for r in exc.value.extra["rows"]] == [(4, "invalid_handle")]
    assert FlaggedAccount.objects.count() == before
    assert FlaggedAccount.history.count() == history


def test_every_error_is_reported_even_in_batches_after_the_first_bad_one(
    analyst, platforms, small_batches
):
    rows = [{"handle": "no spaces", "platform": "x"}, *_rows(3), {"handle": "", "platform": "x"}]

    with pytest.raises(DomainError) as exc:
        services.accounts_bulk_create(user=analyst, rows=rows)

    assert [(r["index"], r["code"]) for r in exc.value.extra["rows"]] == [
        (0, "invalid_handle"),
        (4, "required"),
    ]
    assert not FlaggedAccount.objects.filter(handle__startswith="stream_").exists()


def test_a_duplicate_of_a_row_in_an_earlier_batch_is_found(analyst, platforms, small_batches):
    rows = [
        *_rows(3),
        {"handle": "https://x.com/stream_0"},
        {"handle": "@stream_1", "platform": "x"},
    ]

    result = services.accounts_bulk_create(user=analyst, rows=rows, partial=True)

    assert result.count == 3
    found = [(e.index, e.code, e.extra) for e in result.errors]
    assert found == [
        (3, "duplicate_in_file", {"first_index": 0}),
        (4, "duplicate_in_file", {"first_index": 1}),
    ]
    assert FlaggedAccount.objects.filter(handle__startswith="stream_").count() == 3


def test_partial_writes_the_good_rows_of_every_batch(analyst, platforms, small_batches):
    rows = [*_rows(2), {"handle": "bad one", "platform": "x"}, *_rows(2, start=2)]

    result = services.accounts_bulk_create(user=analyst, rows=rows, partial=True)

    assert [e.index for e in result.errors] == [2]
    assert sorted(a.handle for a in result.created) == [f"stream_{i}" for i in range(4)]
    assert FlaggedAccount.objects.filter(handle__startswith="stream_").count() == 4


def test_a_deleted_accounts_id_is_not_given_to_a_new_one(analyst, platforms):
    """The ids a bulk create draws (PostgreSQL's sequence; on SQLite, make run's database,
    after the largest ever given) never reuse the id of the last account, deleted."""
    services.accounts_bulk_create(
        user=analyst,
        rows=[{"handle": "@first1", "platform": "x"}, {"handle": "@last2", "platform": "x"}],
    )
    last = FlaggedAccount.objects.order_by("-pk").first()
    deleted = last.pk
    last.delete()

    result = services.accounts_bulk_create(
        user=analyst, rows=[{"handle": "@next3", "platform": "x"}]
    )

    assert result.created[0].pk > deleted
    assert FlaggedAccount.objects.get(pk=result.created[0].pk).handle == "next3"
