"""API speed at national scale, side by side with hand-written SQL for the same page.

    python bench/seed_scale.py     # once: 1,000,000 accounts, 100,000 requests (a few minutes)
    python bench/api.py [--runs 60]

For the account and takedown lists, with and without filters, on the first page and on a
page 500,000 rows deep (or as deep as the filtered list goes), and for the dashboard stats
(as served, from the one-minute cache, and computed afresh on every call):
the median and 95th-percentile latency of the whole Django request (token authentication,
permissions, filters, keyset pagination, serialisation, JSON; in-process, so no network), the
SQL queries it ran, and the latency of one hand-written SQL statement returning the same page
(same columns, groups and counts included), with the ratio of the two.
Targets: lists p95 < 50 ms and within 3x of the SQL; stats p95 < 200 ms.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import database_url, setup_django

PAGE = 50
DEEP = 500_000

ACCOUNT_SQL = """
SELECT a.id, p.slug, a.handle, a.handle_normalized, a.platform_account_id, a.profile_url,
       a.display_name, a.bio, a.status, a.first_seen_at, a.last_checked_at, a.removed_at,
       u.username, a.mirror_of_id, a.notes, a.created_at, a.updated_at,
       (SELECT coalesce(json_agg(json_build_object('id', g.id, 'name', g.name)), '[]')
          FROM accounts_flaggedaccount_groups ag
          JOIN accounts_proscribedgroup g ON g.id = ag.proscribedgroup_id
         WHERE ag.flaggedaccount_id = a.id) AS groups,
       (SELECT coalesce(array_agg(t.name), '{}')
          FROM accounts_flaggedaccount_tags at JOIN accounts_tag t ON t.id = at.tag_id
         WHERE at.flaggedaccount_id = a.id) AS tags
  FROM accounts_flaggedaccount a
  JOIN accounts_platform p ON p.id = a.platform_id
  LEFT JOIN tracker_user u ON u.id = a.flagged_by_id
 WHERE {where} AND (a.first_seen_at, a.id) < (%s, %s)
 ORDER BY a.first_seen_at DESC, a.id DESC
 LIMIT {page}
"""

TAKEDOWN_SQL = """
SELECT t.*, p.slug, cu.username, au.username, su.username,
       (SELECT count(*) FROM takedowns_takedownitem i WHERE i.request_id = t.id) AS item_count,
       (SELECT count(*) FROM takedowns_takedownitem i
         WHERE i.request_id = t.id AND i.outcome = 'pending') AS pending_count
  FROM takedowns_takedownrequest t
  JOIN accounts_platform p ON p.id = t.platform_id
  JOIN tracker_user cu ON cu.id = t.created_by_id
  LEFT JOIN tracker_user au ON au.id = t.approved_by_id
  LEFT JOIN tracker_user su ON su.id = t.submitted_by_id
 WHERE {where} AND (t.created_at, t.id) < (%s, %s)
 ORDER BY t.created_at DESC, t.id DESC
 LIMIT {page}
"""

# The dashboard's figures in plain SQL, written as the app's queries are: request counts per
# platform and status, item outcomes per platform, the median time to removal, 12 weeks of
# flagged/removed accounts, mirror figures.
WEEKS = """CASE WHEN {c} < now() - interval '11 weeks' THEN 0
                 WHEN {c} < now() - interval '10 weeks' THEN 1
                 WHEN {c} < now() - interval '9 weeks' THEN 2
                 WHEN {c} < now() - interval '8 weeks' THEN 3
                 WHEN {c} < now() - interval '7 weeks' THEN 4
                 WHEN {c} < now() - interval '6 weeks' THEN 5
                 WHEN {c} < now() - interval '5 weeks' THEN 6
                 WHEN {c} < now() - interval '4 weeks' THEN 7
                 WHEN {c} < now() - interval '3 weeks' THEN 8
                 WHEN {c} < now() - interval '2 weeks' THEN 9
                 WHEN {c} < now() - interval '1 week' THEN 10 ELSE 11 END"""
STATS_SQL = [
    """SELECT platform_id, status, count(*),
              count(*) FILTER (WHERE due_at IS NOT NULL),
              count(*) FILTER (WHERE resolved_at <= due_at),
              count(*) FILTER (WHERE paused_at IS NULL AND due_at <= now())
         FROM takedowns_takedownrequest GROUP BY platform_id, status""",
    "SELECT platform_id, outcome, count(*) FROM takedowns_takedownitem GROUP BY 1, 2",
    """SELECT platform_id,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY resolved_at - submitted_at)
         FROM takedowns_takedownrequest
        WHERE status IN ('actioned', 'partially_actioned')
          AND submitted_at IS NOT NULL AND resolved_at IS NOT NULL
        GROUP BY platform_id""",
    f"""SELECT {WEEKS.format(c="first_seen_at")}, count(*) FROM accounts_flaggedaccount
        WHERE first_seen_at >= now() - interval '12 weeks' AND first_seen_at < now()
        GROUP BY 1""",
    f"""SELECT {WEEKS.format(c="removed_at")}, count(*) FROM accounts_flaggedaccount
        WHERE removed_at >= now() - interval '12 weeks' AND removed_at < now() GROUP BY 1""",
    """SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY a.first_seen_at - m.removed_at)
         FROM accounts_flaggedaccount a JOIN accounts_flaggedaccount m ON m.id = a.mirror_of_id
        WHERE a.mirror_of_id IS NOT NULL AND m.removed_at IS NOT NULL
          AND a.first_seen_at >= m.removed_at""",
    "SELECT count(*) FROM accounts_flaggedaccount WHERE mirror_of_id IS NOT NULL",
    "SELECT count(*) FROM accounts_mirrorcandidate WHERE status = 'suggested'",
    "SELECT id, slug, name FROM accounts_platform ORDER BY name",
]


def timings(call, runs: int) -> tuple[float, float]:
    """Median and 95th percentile of `runs` calls, in milliseconds, after a warm-up."""
    for _ in range(5):
        call()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), statistics.quantiles(samples, n=20)[18]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()
    setup_django()

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.http import QueryDict
    from django.test.utils import CaptureQueriesContext, override_settings
    from rest_framework.test import APIClient

    from accounts.filtersets import FlaggedAccountFilterSet
    from accounts.models import FlaggedAccount
    from takedowns.filtersets import TakedownRequestFilterSet
    from takedowns.models import TakedownRequest
    from tracker.api.pagination import KeysetPagination
    from tracker.api.tokens import api_token_issue

    user = get_user_model().objects.filter(username="bench_supervisor0").first()
    if user is None or FlaggedAccount.objects.count() < 1000:
        sys.exit(f"Seed the bench database first: python bench/seed_scale.py ({database_url()})")
    _token, key = api_token_issue(user=user, name="bench", scope="read")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    overdue = (
        "t.status IN ('draft','pending_approval','approved','submitted','acknowledged') "
        "AND t.paused_at IS NULL AND t.due_at <= now()"
    )
    accounts = (FlaggedAccountFilterSet, FlaggedAccount, "first_seen_at", ACCOUNT_SQL)
    takedowns = (TakedownRequestFilterSet, TakedownRequest, "created_at", TAKEDOWN_SQL)
    # (resource, query string, what the filterset filters on, the same in SQL)
    lists = [
        ("accounts", "", accounts, "true"),
        ("accounts", "status=active", accounts, "a.status = 'active'"),
        (
            "accounts",
            "platform=telegram&status=removed",
            accounts,
            "p.slug = 'telegram' AND a.status = 'removed'",
        ),
        ("takedowns", "", takedowns, "true"),
        (
            "takedowns",
            "status=actioned&status=rejected",
            takedowns,
            "t.status IN ('actioned', 'rejected')",
        ),
        ("takedowns", "overdue=true", takedowns, overdue),
    ]
    rows = []
    for resource, query, (filterset, model, field, sql), where in lists:
        matching = filterset(QueryDict(query), queryset=model.objects.all()).qs
        matching = matching.order_by(f"-{field}", "-pk")
        total = matching.count()
        for depth in (0, min(DEEP, max(total - PAGE, 0))):
            url = f"/api/v1/{resource}/?page_size={PAGE}" + (f"&{query}" if query else "")
            if depth:
                before = matching[depth - 1]
                url += "&cursor=" + KeysetPagination.cursor_after(
                    before, ordering=f"-{field}", field=field
                )
                position = [getattr(before, field), before.pk]
            else:
                position = ["infinity", 2**62]

            def api(url=url):
                response = client.get(url)
                assert response.status_code == 200, response.content[:300]
                return response

            assert len(api().json()["results"]) == min(PAGE, total - depth)
            with CaptureQueriesContext(connection) as queries:
                api()
            count = len(queries)  # read now: the next request resets the query log
            statement = sql.replace("{where}", where).replace("{page}", str(PAGE))

            def raw(statement=statement, position=position):
                with connection.cursor() as cursor:
                    cursor.execute(statement, position)
                    return cursor.fetchall()

            api_median, api_p95 = timings(api, args.runs)
            sql_median, _sql_p95 = timings(raw, args.runs)
            rows.append(
                (f"GET /{resource}/", query or "-", f"{depth:,}", api_median, api_p95,
                 count, sql_median, api_median / sql_median)
            )  # fmt: skip
            print(f"  measured {rows[-1][0]} {rows[-1][1]} depth {rows[-1][2]}", file=sys.stderr)

    def stats():
        assert client.get("/api/v1/stats/").status_code == 200

    def stats_sql():
        with connection.cursor() as cursor:
            for statement in STATS_SQL:
                cursor.execute(statement)
                cursor.fetchall()

    def stats_computed():
        with override_settings(TRACKER_STATS_CACHE_SECONDS=0):  # computed on every call
            stats()

    def me():
        assert client.get("/api/v1/me/").status_code == 200

    # The fixed cost of any authenticated call (middleware, token, DRF, JSON): a reference
    # for the lists' ratios, which it dominates when the query itself takes 1-2 ms.
    with CaptureQueriesContext(connection) as queries:
        me()
    count = len(queries)  # read now: the next request resets the query log
    fixed_median, fixed_p95 = timings(me, args.runs)
    fixed = ("GET /me/", "fixed cost of a call", "-", fixed_median, fixed_p95, count)

    runs = max(10, args.runs // 3)
    sql_median, _ = timings(stats_sql, runs)
    stats()  # fills the cache, so "cached" measures what callers get within the minute
    for label, call in (("cached", stats), ("computed", stats_computed)):
        with CaptureQueriesContext(connection) as queries:
            call()
        count = len(queries)
        api_median, api_p95 = timings(call, runs)
        # A cached answer is not comparable with computing the figures in SQL.
        ratio = api_median / sql_median if label == "computed" else None
        rows.append(("GET /stats/", label, "-", api_median, api_p95, count, sql_median, ratio))

    print(
        f"\n{FlaggedAccount.objects.count():,} accounts, {TakedownRequest.objects.count():,} "
        f"requests; page size {PAGE}; {args.runs} runs each; times in ms\n"
    )
    header = ("endpoint", "filter", "depth", "median", "p95", "queries", "SQL median", "ratio",
              "beyond fixed")  # fmt: skip
    widths = (16, 33, 9, 8, 8, 8, 11, 6, 12)
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for endpoint, query, depth, median, p95, count, sql_median, ratio in rows:
        # The ratio once the fixed cost of any call is set aside: what the endpoint itself adds.
        beyond = None
        if ratio is not None and endpoint != "GET /stats/":
            beyond = (median - fixed_median) / sql_median
        cells = (endpoint, query, depth, f"{median:.1f}", f"{p95:.1f}", str(count),
                 f"{sql_median:.1f}", "-" if ratio is None else f"{ratio:.1f}x",
                 "-" if beyond is None else f"{beyond:.1f}x")  # fmt: skip
        print("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)))
    cells = (*fixed[:3], f"{fixed[3]:.1f}", f"{fixed[4]:.1f}", str(fixed[5]), "-", "-", "-")
    print("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)))
    lists = [row for row in rows if row[0] != "GET /stats/"]
    print(
        f"\nlists: worst p95 {max(r[4] for r in lists):.1f} ms (target < 50), worst ratio "
        f"{max(r[7] for r in lists):.1f}x (target <= 3); stats: p95 {rows[-2][4]:.1f} ms as "
        f"served, {rows[-1][4]:.1f} ms computed afresh (target < 200)"
    )


if __name__ == "__main__":
    main()
