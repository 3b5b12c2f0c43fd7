"""Report figures over the November fixture, each worked out by hand from conftest.py."""

import pytest

from takedowns.choices import RequestStatus as S
from takedowns.querysets import OVERDUE, PAUSED
from tests.factories import TakedownFactory
from tracker.reports.figures import compliance_figures

from .conftest import NOVEMBER, NOW, at

pytestmark = pytest.mark.django_db


def _x(november):
    start, end = NOVEMBER
    return compliance_figures(start=start, end=end, platform=november.x, now=NOW)


def test_requests_by_kind_and_outcome_count_those_sent_in_the_period(november):
    by_kind = {k["kind"]: k for k in _x(november)["requests"]["by_kind"]}

    # Removal: R1 actioned, R2 partly, R3 rejected, R6 withdrawn; 30 Oct and 1 Dec left out.
    assert by_kind["removal"] == {
        "kind": "removal",
        "label": "Removal",
        "actioned": 1,
        "partially_actioned": 1,
        "rejected": 1,
        "withdrawn": 1,
        "open": 0,
        "total": 4,
    }
    assert by_kind["geo_block"]["open"] == 1
    assert by_kind["preservation"]["open"] == 1
    assert _x(november)["requests"]["total"] == 6


def test_share_within_deadline_counts_decided_requests_only(november):
    deadline = _x(november)["deadline"]
    # Decided: R1, R2, R3 closed and R4 past due; R5 still has time, R6 was withdrawn.
    # Within: R1 alone (10 h of 48); R2 took 60 h of 48.
    assert deadline == {"decided": 4, "within": 1, "share": 0.25}


def test_a_paused_clock_past_its_first_due_time_is_not_counted_as_a_missed_deadline(
    november, supervisor
):
    # The takedowns' deadline rule: a paused clock has not run out, whatever due_at says.
    paused = TakedownFactory(
        platform=november.x,
        created_by=supervisor,
        status=S.ACKNOWLEDGED,
        submitted_at=at(12),
        due_at=at(14),
        paused_at=at(13),
    )
    running = TakedownFactory(
        platform=november.x,
        created_by=supervisor,
        status=S.ACKNOWLEDGED,
        submitted_at=at(12),
        due_at=at(14),
    )
    assert paused.deadline(NOW).state == PAUSED and running.deadline(NOW).state == OVERDUE

    deadline = _x(november)["deadline"]
    # The four decided requests of the fixture and the running one; not the paused one.
    assert deadline == {"decided": 5, "within": 1, "share": 0.2}


def test_median_and_p90_time_to_action(november):
    took = _x(november)["time_to_action"]
    # R1 10 h and R2 60 h: median 35, p90 = 10 + 0.9 * 50 = 55.
    assert took["count"] == 2
    assert took["median_hours"] == 35.0
    assert took["p90_hours"] == 55.0
    assert took["histogram"] == [1, 0, 0, 1, 0]


def test_removal_rate_of_reported_accounts(november):
    accounts = _x(november)["accounts"]
    # 8 items; answered: 2 + 2 + 1 = 5; removed 3.
    assert (accounts["reported"], accounts["answered"], accounts["removed"]) == (8, 5, 3)
    assert accounts["removal_rate"] == 0.6


def test_rejections_with_reasons(november):
    rejections = _x(november)["rejections"]
    assert [(r["platform"], r["kind"], r["reasons"]) for r in rejections] == [
        ("x", "removal", ["Parody account"])
    ]


def test_restored_accounts_counted_once_in_their_month(november):
    restored = _x(november)["restored"]
    assert [r["handle"] for r in restored] == [november.accounts["a1"].handle]


def test_mirrors_and_time_to_reappearance(november):
    mirrors = _x(november)["mirrors"]
    # mirror_one 6 h after a2's removal, mirror_two 24 h after a3's: median 15, p90 22.2.
    assert mirrors["detected"] == 2
    assert [m["hours_to_reappearance"] for m in mirrors["accounts"]] == [6.0, 24.0]
    assert mirrors["median_hours_to_reappearance"] == 15.0
    assert mirrors["p90_hours_to_reappearance"] == 22.2


def test_all_platforms_adds_telegram(november):
    start, end = NOVEMBER
    figures = compliance_figures(start=start, end=end, now=NOW)

    assert figures["requests"]["total"] == 7
    assert figures["deadline"] == {"decided": 5, "within": 2, "share": 0.4}
    # 10, 30, 60 h: median 30; p90 at rank 1.8 = 30 + 0.8 * 30 = 54.
    assert figures["time_to_action"]["median_hours"] == 30.0
    assert figures["time_to_action"]["p90_hours"] == 54.0
    assert figures["accounts"]["removal_rate"] == round(4 / 6, 3)
    # 6, 12 and 24 h.
    assert figures["mirrors"]["median_hours_to_reappearance"] == 12.0
