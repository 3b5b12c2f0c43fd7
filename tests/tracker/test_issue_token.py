"""manage.py issue_token prints a new key once and stores only its hash."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from tracker.models import ApiToken

pytestmark = pytest.mark.django_db


def issue(*args):
    out, err = StringIO(), StringIO()
    call_command("issue_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_prints_a_working_key_once_and_stores_its_hash(supervisor):
    key, note = issue("supervisor", "--scope", "write", "--name", "CERT case system")

    token = ApiToken.objects.get()
    assert (token.user, token.name, token.scope) == (supervisor, "CERT case system", "write")
    assert token.key_hash == ApiToken.hash_key(key)
    assert key not in note and "shown only now" in note
    me = APIClient().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")
    assert me.json()["token"]["scope"] == "write"


def test_defaults_to_a_read_token_named_after_the_user(analyst):
    issue("analyst")

    token = ApiToken.objects.get()
    assert (token.scope, token.name, token.expires_at) == ("read", "analyst read token", None)


def test_expiry_in_days(analyst):
    from django.utils import timezone

    issue("analyst", "--expires-days", "30")

    days = (ApiToken.objects.get().expires_at - timezone.now()).days
    assert days in (29, 30)


def test_each_run_prints_a_different_key(analyst):
    assert issue("analyst")[0] != issue("analyst")[0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("ghost",), "No user “ghost”"),
        (("analyst", "--expires-days", "0"), "--expires-days must be 1 or more"),
    ],
)
def test_refuses_bad_arguments(args, message, analyst):
    with pytest.raises(CommandError, match=message):
        issue(*args)
    assert ApiToken.objects.count() == 0


def test_refuses_an_unknown_scope(analyst):
    with pytest.raises(CommandError):
        issue("analyst", "--scope", "admin")
