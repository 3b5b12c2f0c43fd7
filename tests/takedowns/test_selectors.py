"""The selectors say what their readers load: the pages' list has its joins, the API's list its
plain columns, and no viewset strips a selector's joins."""

from pathlib import Path

import pytest

from takedowns import selectors
from takedowns.api import views as api_views
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
