import json

import pytest
from pymisp import MISPEvent

from accounts.models import FlaggedAccount, ProscribedGroup
from sharing.misp import misp_event
from takedowns.models import TakedownRequest

pytestmark = pytest.mark.django_db


def _objects(event: MISPEvent) -> dict:
    return {o.name + ":" + o.attributes[0].value: o for o in event.objects}


def test_accounts_become_the_platform_objects_misp_knows(world):
    event = misp_event(info="accounts", accounts=FlaggedAccount.objects.all())
    objects = _objects(event)
    assert set(objects) == {
        "twitter-account:lej_media",
        "twitter-account:lej_media2",
        "telegram-account:ttp_news",
    }
    original = objects["twitter-account:lej_media"]
    assert {a.object_relation: a.value for a in original.attributes} == {
        "name": "lej_media",
        "id": "1234567",
        "displayed-name": "LeJ Media",
        "link": "https://x.com/lej_media",
    }
    assert "avatar PDQ" in original.comment


def test_a_mirror_is_the_successor_of_its_original(world):
    event = misp_event(info="accounts", accounts=FlaggedAccount.objects.filter(handle="lej_media2"))
    objects = _objects(event)
    mirror = objects["twitter-account:lej_media2"]
    (reference,) = mirror.references
    assert reference.relationship_type == "successor-of"
    # The original is not in the selection: a minimal object stands for it.
    assert reference.referenced_uuid == objects["twitter-account:lej_media"].uuid


def test_groups_and_designations_are_tags(world):
    event = misp_event(info="groups", groups=ProscribedGroup.objects.filter(name__startswith="L"))
    tags = {t.name for t in event.tags}
    assert 'tracker:group="Lashkar-e-Jhangvi"' in tags
    assert 'tracker:designation="UN Security Council Consolidated List: QDe.096"' in tags
    assert event.objects == []


def test_request_event_round_trips_through_pymisp(world):
    event = misp_event(info="request", requests=TakedownRequest.objects.all())
    again = MISPEvent()
    again.load(json.loads(event.to_json()))
    assert sorted(o.attributes[0].value for o in again.objects) == ["lej_media", "lej_media2"]
    tags = {t.name for t in again.objects[0].attributes[0].tags}
    assert 'tracker:group="Lashkar-e-Jhangvi"' in tags
