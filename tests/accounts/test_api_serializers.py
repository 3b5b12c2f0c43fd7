"""The hand-written account representation equals what DRF's declared fields produce."""

import pytest
from rest_framework import serializers

from accounts.api.serializers import AccountSerializer
from accounts.api.views import AccountViewSet
from accounts.choices import AccountStatus
from tests.factories import AccountFactory, GroupFactory

pytestmark = pytest.mark.django_db


def test_fast_account_representation_matches_the_declared_fields(analyst, platforms):
    groups = [GroupFactory(name="Zeta group"), GroupFactory(name="Alpha group")]
    full = AccountFactory(
        platform=platforms["telegram"],
        flagged_by=analyst,
        status=AccountStatus.REMOVED,
        display_name="Sada",
    )
    full.groups.set(groups)
    full.tags.create(name="urdu")
    full.tags.create(name="recruitment")
    bare = AccountFactory(platform=platforms["x"], mirror_of=full)
    rows = list(AccountViewSet().get_queryset().filter(pk__in=[full.pk, bare.pk]).order_by("pk"))

    fast = AccountSerializer(rows, many=True).data
    generic = [serializers.ModelSerializer.to_representation(AccountSerializer(), r) for r in rows]

    assert fast == generic
    assert fast[0]["groups"] == [
        {"id": groups[1].pk, "name": "Alpha group"},
        {"id": groups[0].pk, "name": "Zeta group"},
    ]
    assert fast[0]["tags"] == ["recruitment", "urdu"]
    assert (fast[1]["flagged_by"], fast[1]["mirror_of"]) == (None, full.pk)
