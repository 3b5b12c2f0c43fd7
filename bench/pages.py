"""Server time of every staff UI page on the demo data, printed as a table (target < 300 ms).

    DATABASE_URL=... .venv/bin/python bench/pages.py [--runs 15]

Runs against the configured database; loads the demo data first (seed_demo) when it is not
there. Each page is requested in-process through Django's test client (full middleware, view,
template rendering; no network), after two warm-up requests. The account list is also timed
with a naive queryset (no select_related/prefetch_related) as the obvious alternative.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts import selectors as account_selectors  # noqa: E402
from accounts.models import FlaggedAccount, ProscribedGroup  # noqa: E402
from takedowns.models import TakedownRequest  # noqa: E402

TARGET_MS = 300


def pages() -> list[tuple[str, str, str]]:
    """(who, label, url) for every page, on the biggest records of the demo set."""
    account = FlaggedAccount.objects.order_by("-pk").first()
    removed = FlaggedAccount.objects.filter(status="removed").order_by("pk").first()
    takedown = TakedownRequest.objects.order_by("-pk").first()
    group = ProscribedGroup.objects.order_by("name").first()
    three = ",".join(str(pk) for pk in FlaggedAccount.objects.values_list("pk", flat=True)[:3])
    return [
        ("supervisor", "dashboard", "/dashboard/"),
        ("analyst", "quick entry", "/accounts/new/"),
        ("analyst", "entry check (htmx)", f"/accounts/new/check/?value=t.me/{removed.handle}"),
        ("analyst", "group picker (htmx)", "/groups/pick/?group_q=طیبہ"),
        ("analyst", "account list", "/accounts/"),
        ("analyst", "account list, page 10", "/accounts/?page=10"),
        ("analyst", "account list, filtered", "/accounts/?platform=x&status=active&q=a"),
        ("analyst", "account list, by handle", "/accounts/?sort=handle"),
        ("analyst", "account export (CSV)", "/accounts/export.csv"),
        ("analyst", "account detail", f"/accounts/{account.pk}/"),
        ("supervisor", "takedown list", "/takedowns/"),
        ("supervisor", "takedown list, overdue", "/takedowns/?overdue=true"),
        ("supervisor", "takedown detail", f"/takedowns/{takedown.pk}/"),
        ("analyst", "new requests (confirm)", "/takedowns/new/?ids=" + three.replace(",", "&ids=")),
        ("analyst", "groups", "/groups/"),
        ("analyst", "group detail", f"/groups/{group.pk}/"),
        ("analyst", "preferences", "/preferences/"),
        ("analyst", "notifications (htmx)", "/notifications/bell/"),
    ]


def get(client: Client, url: str):
    """GET url and read the whole body (a streamed CSV is produced while it is read)."""
    response = client.get(url)
    if response.streaming:
        response.body = b"".join(response.streaming_content)
    return response


def measure(client: Client, url: str, runs: int) -> tuple[float, float, int, int]:
    """(median ms, max ms, queries, status) of GET url."""
    for _ in range(2):
        get(client, url)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        get(client, url)
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        response = get(client, url)
    return statistics.median(times), max(times), len(queries), response.status_code


def naive_account_list():
    """The obvious alternative: the account list without its joins (N+1 per row)."""
    return FlaggedAccount.objects.all()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    User = get_user_model()
    if not User.objects.filter(username="analyst").exists() or not TakedownRequest.objects.exists():
        call_command("seed_demo")
    clients = {}
    for username in ("analyst", "supervisor"):
        clients[username] = Client()
        clients[username].force_login(User.objects.get(username=username))

    print(
        f"{FlaggedAccount.objects.count()} accounts, {TakedownRequest.objects.count()} requests, "
        f"{ProscribedGroup.objects.count()} groups; {connection.vendor}; {args.runs} runs each\n"
    )
    rows = []
    for who, label, url in pages():
        median, worst, queries, status = measure(clients[who], url, args.runs)
        rows.append((label, who, status, queries, median, worst))

    selected = account_selectors.account_list
    account_selectors.account_list = lambda *, filters=None: naive_account_list()
    try:
        median, worst, queries, status = measure(clients["analyst"], "/accounts/", args.runs)
    finally:
        account_selectors.account_list = selected
    rows.append(("account list, naive queryset", "analyst", status, queries, median, worst))

    print(f"| {'page':<30} | {'as':<10} | HTTP | queries | median ms | max ms | < {TARGET_MS} ms |")
    print(f"|{'-' * 32}|{'-' * 12}|------|---------|-----------|--------|----------|")
    for label, who, status, queries, median, worst in rows:
        ok = "yes" if median < TARGET_MS else "NO"
        print(
            f"| {label:<30} | {who:<10} | {status:>4} | {queries:>7} | {median:>9.1f} | "
            f"{worst:>6.1f} | {ok:<8} |"
        )


if __name__ == "__main__":
    main()
