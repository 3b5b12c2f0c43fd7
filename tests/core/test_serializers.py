"""core.serializers.StorableDateTimeField: every date-time the API reads (and the pages' form)
refuses what the database cannot hold with a 400 naming the field."""

import importlib
import inspect

import pytest
from django.urls import reverse
from rest_framework import serializers

from core.forms import StorableDateTimeField as FormField
from core.serializers import StorableDateTimeField
from takedowns import forms as takedown_forms
from takedowns.models import TakedownRequest
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db

FUZZED = "5813-01-07T03:57:37.5-20:28"
SERIALIZER_MODULES = [
    "accounts.api.serializers",
    "takedowns.api.serializers",
    "tracker.api.serializers",
]


def writable_datetime_fields():
    for module_name in SERIALIZER_MODULES:
        module = importlib.import_module(module_name)
        for name, cls in vars(module).items():
            if not (
                inspect.isclass(cls)
                and issubclass(cls, serializers.Serializer)
                and cls.__module__ == module_name
            ):
                continue
            for field_name, field in cls().fields.items():  # declared and generated fields
                if isinstance(field, serializers.DateTimeField) and not field.read_only:
                    yield f"{name}.{field_name}", field


def test_every_datetime_the_api_reads_is_the_storable_field():
    fields = dict(writable_datetime_fields())

    assert "AccountCreateSerializer.first_seen_at" in fields
    assert {
        name for name, field in fields.items() if not isinstance(field, StorableDateTimeField)
    } == set()


def test_every_datetime_field_of_the_page_forms_is_the_storable_field():
    from django import forms

    from accounts import forms as account_forms

    found = [
        f"{form.__name__}.{name}"
        for module in (account_forms, takedown_forms)
        for form in vars(module).values()
        if inspect.isclass(form) and issubclass(form, forms.BaseForm)
        for name, field in form.base_fields.items()
        if isinstance(field, forms.DateTimeField) and not isinstance(field, FormField)
    ]

    assert found == []


def test_logging_an_account_with_an_unstorable_first_seen_is_400(analyst_api, platforms):
    response = analyst_api.post(
        "/api/v1/accounts/",
        {"handle": "@sada_e_haq", "platform": "x", "first_seen_at": FUZZED},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["first_seen_at"]


def test_an_unstorable_last_checked_is_400(supervisor_api, platforms):
    account = AccountFactory(platform=platforms["x"])

    response = supervisor_api.patch(
        f"/api/v1/accounts/{account.pk}/", {"last_checked_at": FUZZED}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["last_checked_at"]


def test_an_unstorable_disclosure_time_is_400_and_nothing_recorded(world, supervisor_api):
    TakedownRequest.objects.filter(pk=world.takedown.pk).update(
        kind="disclosure", status="submitted"
    )
    before = world.takedown.disclosures.count()

    response = supervisor_api.post(
        "/api/v1/disclosures/",
        {
            "request": world.takedown.pk,
            "account": world.account.pk,
            "data": {"email": "a@b.pk"},
            "received_at": FUZZED,
        },
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["received_at"]
    assert world.takedown.disclosures.count() == before


def test_the_disclosure_page_refuses_it_as_a_form_error(world, client, supervisor):
    TakedownRequest.objects.filter(pk=world.takedown.pk).update(
        kind="disclosure", status="submitted"
    )
    before = world.takedown.disclosures.count()
    client.force_login(supervisor)

    response = client.post(
        reverse("takedowns:disclosure_add", args=[world.takedown.pk]),
        {
            "disclosure-account": world.account.pk,
            "disclosure-data": "Phone: +92 321 7654321",
            "disclosure-received_at": "0001-01-01T00:00",
        },
    )

    assert response.status_code == 400
    assert response.context["disclosure_form"].errors["received_at"]
    assert world.takedown.disclosures.count() == before
