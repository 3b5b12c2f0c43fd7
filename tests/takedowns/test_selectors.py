"""The selectors say what their readers load: the pages' list has its joins, the API's list its
plain columns, and no viewset strips a selector's joins."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from takedowns import selectors
from takedowns.api import views as api_views
from takedowns.choices import RequestStatus
from takedowns.models import TakedownRequest
from tests.factories import TakedownFactory

pytestmark = pytest.mark.django_db


def test_page_list_loads_platform_and_people(platforms, django_assert_num_queries):
    TakedownFactory.create_batch(3, platform=platforms["x"])
    rows = list(selectors.takedown_list())

    with django_assert_num_queries(0):
        seen = [(t.platform.name, t.created_by.username, t.item_count) for t in rows]

    assert len(seen) == 3


def test_api_list_reads_the_platform_and_people_as_columns(platforms, django_assert_num_queries):
    made = TakedownFactory(platform=platforms["x"])
    [row] = list(selectors.takedown_api_list())

    with django_assert_num_queries(0):
        assert (row.platform_slug, row.created_by_name) == ("x", made.created_by.username)


def test_no_viewset_strips_a_selectors_joins():
    modules = list(Path(api_views.__file__).parent.glob("*.py"))
    assert len(modules) > 1
    assert [m.name for m in modules if "select_related(None)" in m.read_text()] == []


def test_deadlines_next_lists_running_deadlines_with_the_platform_soonest_first(platforms):
    now = timezone.now()

    def request(status, due_in_hours, **extra):
        made = TakedownFactory(platform=platforms["x"], status=status)
        due = None if due_in_hours is None else now + timedelta(hours=due_in_hours)
        TakedownRequest.objects.filter(pk=made.pk).update(due_at=due, **extra)
        return made.pk

    later = request(RequestStatus.ACKNOWLEDGED, 20)
    sooner = request(RequestStatus.SUBMITTED, 2)
    paused = request(RequestStatus.SUBMITTED, -5, paused_at=now)  # the clock stands still
    request(RequestStatus.SUBMITTED, -1)  # overdue: the dashboard lists it apart
    request(RequestStatus.APPROVED, None)  # not sent yet
    request(RequestStatus.ACTIONED, 5)  # closed

    listed = [t.pk for t in selectors.deadlines_next(selectors.takedown_list())]

    assert listed == [paused, sooner, later]
