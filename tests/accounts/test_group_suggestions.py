"""Group suggestions from an account's display name, bio or handle (selectors.group_suggestions)."""

import pytest

from accounts import services
from accounts.selectors import group_suggestions

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(administrator):
    make = services.group_create
    return {
        "jem": make(user=administrator, name="Jaish-e-Mohammed",
                    aliases=["JeM", "Army of Mohammed", "جیش محمد"]),
        "let": make(user=administrator, name="Lashkar-e-Tayyiba",
                    aliases=["LeT", "Jamaat-ud-Dawa", "لشکر طیبہ"]),
        "ttp": make(user=administrator, name="Tehrik-e-Taliban Pakistan",
                    aliases=["TTP", "Tehreek-e-Taliban", "تحریک طالبان پاکستان"]),
    }  # fmt: skip


def names(groups) -> list[tuple[str, str]]:
    return [(group.name, group.matched_name) for group in groups]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"display_name": "Official media of Tehreek-e-Taliban Pakistan"},
            [("Tehrik-e-Taliban Pakistan", "Tehrik-e-Taliban Pakistan")],
        ),
        (
            {"bio": "تحریک طالبان پاکستان کا آفیشل اکاؤنٹ"},
            [("Tehrik-e-Taliban Pakistan", "Tehrik-e-Taliban Pakistan")],
        ),
        ({"display_name": "لشکر طیبہ کی خبریں"}, [("Lashkar-e-Tayyiba", "Lashkar-e-Tayyiba")]),
        ({"bio": "جیش محمد"}, [("Jaish-e-Mohammed", "Jaish-e-Mohammed")]),
        ({"handle": "LeT_official"}, [("Lashkar-e-Tayyiba", "Lashkar-e-Tayyiba")]),
        ({"handle": "TehreekTaliban"}, [("Tehrik-e-Taliban Pakistan", "Tehreek-e-Taliban")]),
        ({"bio": "Daily Jamaat ud Dawa news"}, [("Lashkar-e-Tayyiba", "Jamaat-ud-Dawa")]),
        ({"text": "Army of Mohammed channel"}, [("Jaish-e-Mohammed", "Army of Mohammed")]),
        ({"display_name": "let us pray", "bio": "jem and ttp in lower case"}, []),
        ({"display_name": "Pakistan zindabad"}, []),
    ],
)
def test_suggests_the_groups_named_in_latin_or_urdu(register, fields, expected):
    assert names(group_suggestions(**fields)) == expected


def test_several_fields_give_several_groups_in_register_order(register):
    found = group_suggestions(
        display_name="TTP media", bio="with JeM and Lashkar-e-Taiba", handle="x"
    )
    assert [group.pk for group in found] == [register[k].pk for k in ("jem", "let", "ttp")]


def test_nothing_to_read_needs_no_query(register, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert group_suggestions(display_name=" ", bio="") == []


def test_the_index_is_reused_until_a_group_or_alias_changes(
    register, administrator, django_assert_num_queries
):
    group_suggestions(bio="TTP")  # builds the index
    with django_assert_num_queries(3):  # two change stamps and the groups found
        assert names(group_suggestions(bio="TTP")) == [("Tehrik-e-Taliban Pakistan",) * 2]
    assert group_suggestions(bio="Sada-e-Haq updates") == []

    services.group_add_aliases(group=register["ttp"], user=administrator, names=["Sada-e-Haq"])

    assert names(group_suggestions(bio="Sada-e-Haq updates")) == [
        ("Tehrik-e-Taliban Pakistan", "Sada-e-Haq")
    ]


def test_a_deleted_group_is_no_longer_suggested(register):
    assert names(group_suggestions(bio="JeM")) == [("Jaish-e-Mohammed",) * 2]

    register["jem"].delete()

    assert group_suggestions(bio="JeM") == []


def test_limit_keeps_the_first_groups(register):
    found = group_suggestions(bio="JeM LeT TTP", limit=2)
    assert [group.name for group in found] == ["Jaish-e-Mohammed", "Lashkar-e-Tayyiba"]
