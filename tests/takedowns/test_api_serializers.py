"""The hand-written takedown representation equals what DRF's declared fields produce."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from takedowns import selectors
from takedowns.api.serializers import TakedownDetailSerializer, TakedownSerializer
from takedowns.choices import RequestStatus
from takedowns.models import TakedownRequest
from tests.factories import TakedownFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("serializer_class", [TakedownSerializer, TakedownDetailSerializer])
def test_fast_takedown_representation_matches_the_declared_fields(
    serializer_class, analyst, supervisor, platforms
):
    draft = TakedownFactory(platform=platforms["x"], created_by=analyst)
    submitted = TakedownFactory(
        platform=platforms["telegram"], created_by=analyst, status=RequestStatus.SUBMITTED
    )
    now = timezone.now()
    TakedownRequest.objects.filter(pk=submitted.pk).update(
        approved_by=supervisor,
        approved_at=now,
        submitted_by=supervisor,
        submitted_at=now,
        due_at=now - timedelta(hours=1),
        platform_ticket="T-1",
    )
    request = APIRequestFactory().get("/")
    request.user = supervisor
    rows = list(
        selectors.takedown_api_detail_list().filter(pk__in=[draft.pk, submitted.pk]).order_by("pk")
    )
    context = {"request": request}

    fast = [serializer_class(row, context=context).data for row in rows]
    generic = [
        serializers.ModelSerializer.to_representation(serializer_class(context=context), row)
        for row in rows
    ]

    assert fast == generic
    assert fast[1]["is_overdue"] is True
    assert fast[1]["available_actions"] == ["acknowledge", "pause", "resolve", "withdraw"]
