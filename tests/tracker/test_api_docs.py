"""The Python client example in docs/api.md runs, as written, against a live server."""

import re
from pathlib import Path

import pytest

from accounts.models import Evidence, FlaggedAccount
from takedowns.models import TakedownRequest
from tests.factories import PlatformFactory, UserFactory
from tracker.api.tokens import api_token_issue
from tracker.roles import ANALYST

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def client_example() -> str:
    text = DOC.read_text(encoding="utf-8")
    marker = text.index("<!-- client-example")
    return re.search(r"```python\n(.*?)```", text[marker:], re.DOTALL).group(1)


@pytest.mark.django_db(transaction=True)
def test_the_documented_client_logs_an_account_opens_a_request_and_follows_it(
    live_server, monkeypatch, capsys
):
    PlatformFactory(slug="telegram", name="Telegram")
    user = UserFactory(username="cert-bot", role=ANALYST)
    _token, key = api_token_issue(user=user, name="docs", scope="write")
    monkeypatch.setenv("TRACKER_URL", live_server.url)
    monkeypatch.setenv("TRACKER_TOKEN", key)
    code = compile(client_example(), str(DOC), "exec")

    exec(code, {"__name__": "client"})
    exec(code, {"__name__": "client"})  # again: the account is now a duplicate, reused

    account = FlaggedAccount.objects.get()
    assert (account.handle, account.flagged_by) == ("example_channel", user)
    assert Evidence.objects.filter(account=account).count() == 2
    statuses = list(TakedownRequest.objects.values_list("status", flat=True))
    assert statuses == ["pending_approval", "pending_approval"]
    out = capsys.readouterr().out
    assert f"account {account.pk}" in out
    assert "draft -> pending_approval" in out
    assert "status pending_approval due None overdue False" in out
