"""Query pieces of accounts/querysets.py."""

import pytest

from accounts.models import ProscribedGroup
from tests.factories import GroupFactory

pytestmark = pytest.mark.django_db


def test_group_search_matches_name_or_alias_once_each_by_name():
    let = GroupFactory(name="Lashkar-e-Tayyiba")
    let.aliases.create(name="LeT", name_key="let")
    let.aliases.create(name="Lashkar-i-Taiba", name_key="lashkar-i-taiba")
    GroupFactory(name="Lashkar-e-Jhangvi")
    GroupFactory(name="Jaish-e-Mohammed")

    found = ProscribedGroup.objects.search("lashkar")

    assert [g.name for g in found] == ["Lashkar-e-Jhangvi", "Lashkar-e-Tayyiba"]
    assert list(ProscribedGroup.objects.search("LeT")) == [let]


def test_group_search_of_blank_text_leaves_the_queryset_alone():
    GroupFactory(name="Jaish-e-Mohammed")

    assert ProscribedGroup.objects.search("  ").count() == 1
