"""The admin screens of the mirror engine's tables: shown to those with the view permission,
never a way around the services (no add, change or delete)."""

import pytest
from django.urls import reverse

from accounts import services
from accounts.choices import AccountStatus
from accounts.models import MirrorModel, SuppressedSignal, WatchSignal

pytestmark = pytest.mark.django_db


@pytest.fixture
def engine_rows(analyst, supervisor, platforms):
    services.account_create(
        user=analyst, value="umar_khorasani", platform="telegram", status=AccountStatus.REMOVED
    )
    services.signal_suppress(
        kind="contact", value="url:bit.ly", user=supervisor, reason="shortener"
    )
    return MirrorModel.objects.create(version=7, weights={"handle": 6.5}, intercept=-5.0)


@pytest.mark.parametrize("model", [WatchSignal, MirrorModel, SuppressedSignal])
def test_engine_tables_are_listed_and_opened_but_not_changed(admin_client, engine_rows, model):
    name = model._meta.model_name
    listing = admin_client.get(reverse(f"admin:accounts_{name}_changelist"))
    assert listing.status_code == 200
    row = model.objects.first()
    page = admin_client.get(reverse(f"admin:accounts_{name}_change", args=[row.pk]))
    assert page.status_code == 200
    assert 'type="submit" value="Save"' not in page.content.decode()
    assert admin_client.get(reverse(f"admin:accounts_{name}_add")).status_code == 403
    delete = reverse(f"admin:accounts_{name}_delete", args=[row.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=row.pk).exists()


def test_the_watch_list_admin_shows_the_folded_keys(admin_client, engine_rows):
    page = admin_client.get(reverse("admin:accounts_watchsignal_changelist") + "?kind=handle")
    assert "urnarkhorasanl" in page.content.decode()


def test_staff_without_the_view_permission_is_refused(client, analyst, engine_rows):
    analyst.is_staff = True
    analyst.save()
    client.force_login(analyst)
    response = client.get(reverse("admin:accounts_suppressedsignal_changelist"))
    assert response.status_code == 403
