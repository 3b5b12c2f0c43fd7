import pytest
from django.core.management import call_command

from accounts.choices import AccountStatus
from accounts.models import Designation, FlaggedAccount, Platform, ProscribedGroup
from takedowns.choices import RequestStatus
from takedowns.models import TakedownRequest

pytestmark = pytest.mark.django_db


def counts():
    return {
        "platforms": Platform.objects.count(),
        "groups": ProscribedGroup.objects.count(),
        "designations": Designation.objects.count(),
        "accounts": FlaggedAccount.objects.count(),
        "requests": TakedownRequest.objects.count(),
    }


def test_seed_demo_twice_creates_everything_once():
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first
    assert first["platforms"] == 7 and first["groups"] >= 12
    assert 450 <= first["accounts"] <= 500 and first["requests"] == 60


def test_seed_demo_covers_every_status_and_has_overdue_requests():
    call_command("seed_demo")
    statuses = set(TakedownRequest.objects.values_list("status", flat=True))
    assert statuses == set(RequestStatus.values)
    assert any(t.is_overdue for t in TakedownRequest.objects.all())
    assert set(FlaggedAccount.objects.values_list("status", flat=True)) == set(AccountStatus.values)


def test_seed_demo_history_is_attributed_to_the_command():
    call_command("seed_demo")
    group = ProscribedGroup.objects.get(name="Tehrik-e Taliban Pakistan")
    record = group.history.get()
    assert (record.history_type, record.history_change_reason) == ("+", "seed_demo")
    assert set(group.designations.values_list("authority", flat=True)) >= {
        "un",
        "us_fto",
        "pk_nacta",
    }
