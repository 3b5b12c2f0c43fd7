"""The look-ups of a bulk create's plan by key, in the database: the file's own keys (FileKeys,
the duplicates in the file) and the recorded accounts' (recorded_ids, on PostgreSQL).

The duplicate-in-file keys are kept in the database instead of in memory.

Every good row leaves one or two keys (its platform and live normalised handle, its platform and
account id) with its index, and every later row of the same file is looked up against them.
Held as Python objects they grew with the file (about 15 MB at 100,000 rows); here they go to a
temporary table of the connection (PostgreSQL's temp tables spill to disk past `temp_buffers`;
SQLite's go to its temp store), one look-up and one insert per batch, so the process holds one
batch's keys whatever the file's length.

On PostgreSQL the table is created inside the caller's transaction (the bulk create's, or the
preview's own), `ON COMMIT DROP`: dropped when planning ends, and at the latest when the
transaction ends, committed or rolled back. On SQLite (make run) a preview runs outside a
transaction (one would hold the database's only write lock for the whole preview) and the table,
the connection's own, is dropped when planning ends, well or not. Nothing of the tracker's is
written: a preview stays read-only.
"""

import uuid

from django.db import connection

from ..models import FlaggedAccount

# The SQL here is built with f-strings only for table names, the code's own (a uuid, or the
# model's table) quoted by quote_name; every value goes as a parameter (bandit's B608 is marked
# on those lines).

HANDLE, ACCOUNT_ID = 0, 1  # the two kinds of key


def _array(values) -> str:
    """A PostgreSQL array literal: one text parameter, read by the array's input function (a
    Python list is sent as ARRAY['...', ...], whose thousands of constants are slow to parse)."""
    quoted = (str(v).replace("\\", "\\\\").replace('"', '\\"') for v in values)
    return "{" + ",".join(f'"{v}"' for v in quoted) + "}"


class FileKeys:
    """The first row (its index) of each key met so far in one file."""

    def __init__(self):
        self.table = None

    def _create(self) -> None:
        postgresql = connection.vendor == "postgresql"
        if postgresql and not connection.in_atomic_block:
            # ON COMMIT DROP below: in autocommit the table would be gone after each statement.
            raise RuntimeError("FileKeys needs a transaction on PostgreSQL (transaction.atomic)")
        # Unique per planner and per process (a pooled connection may have served another
        # process's import): a second import in the same transaction gets its own table.
        self.table = connection.ops.quote_name(f"import_keys_{uuid.uuid4().hex}")
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.table} (value text NOT NULL, platform_id integer "
                "NOT NULL, kind smallint NOT NULL, first_index integer NOT NULL, "
                "PRIMARY KEY (value, platform_id, kind))"
                # PostgreSQL: gone at the transaction's end whatever happens; SQLite's temporary
                # tables are the connection's, dropped by close() (RowPlanner calls it always).
                + (" ON COMMIT DROP" if postgresql else "")
            )

    def first_indexes(self, keys: list[tuple]) -> dict[tuple, int]:
        """The first index of each of these (kind, platform id, value) keys already added."""
        if self.table is None or not keys:
            return {}
        wanted = set(keys)
        values = list({value for _, _, value in wanted})
        found = {}
        with connection.cursor() as cursor:
            for chunk in self._chunks(values):
                if connection.vendor == "postgresql":
                    # One index probe per value, whatever the planner thinks of a temporary
                    # table it has no statistics of (autovacuum never analyses one): a plain
                    # `= ANY` or join was a scan of the whole table, growing with the file.
                    cursor.execute(
                        "SELECT k.kind, k.platform_id, k.value, k.first_index FROM "  # nosec B608
                        "unnest(%s::text[]) AS wanted(value) CROSS JOIN LATERAL (SELECT * FROM "
                        f"{self.table} AS t WHERE t.value = wanted.value OFFSET 0) AS k",
                        [_array(chunk)],
                    )
                else:
                    marks = ", ".join(["%s"] * len(chunk))
                    cursor.execute(
                        f"SELECT kind, platform_id, value, first_index FROM {self.table} "  # nosec B608
                        f"WHERE value IN ({marks})",
                        chunk,
                    )
                for kind, platform_id, value, first in cursor.fetchall():
                    if (kind, platform_id, value) in wanted:
                        found[kind, platform_id, value] = first
        return found

    def add(self, firsts: dict[tuple, int]) -> None:
        """Record keys met for the first time, each with its row's index."""
        if not firsts:
            return
        if self.table is None:
            self._create()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                kinds, platforms, values = zip(*firsts, strict=True)
                cursor.execute(
                    f"INSERT INTO {self.table} (kind, platform_id, value, first_index) "  # nosec B608
                    "SELECT * FROM unnest(%s::smallint[], %s::integer[], %s::text[], "
                    "%s::integer[])",
                    [_array(kinds), _array(platforms), _array(values), _array(firsts.values())],
                )
            else:
                cursor.executemany(
                    f"INSERT INTO {self.table} (kind, platform_id, value, first_index) "  # nosec B608
                    "VALUES (%s, %s, %s, %s)",
                    [(*key, first) for key, first in firsts.items()],
                )

    def close(self) -> None:
        """Drop the table (when planning ends; on PostgreSQL the transaction's end drops it too)."""
        if self.table is not None:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {self.table}")
            self.table = None

    @staticmethod
    def _chunks(values: list):
        """The values in lists the database takes as one statement's parameters."""
        size = connection.features.max_query_params or len(values)
        for start in range(0, len(values), size):
            yield values[start : start + size]


def recorded_ids(*, handles: list[tuple], account_ids: list[tuple], removed: str) -> list[int]:
    """PostgreSQL: the ids of the accounts recorded with one of these (platform id, normalised
    handle) pairs and not `removed`, or one of these (platform id, account id) pairs. One
    index probe per pair (the unique live-handle and account-id indexes): the planner's plan
    for a thousand values, from the statistics of a table that a long import is filling,
    read every account of the platform instead (its time grew with the tracker)."""
    table = connection.ops.quote_name(FlaggedAccount._meta.db_table)
    probe = (
        "SELECT found.id FROM unnest(%s::integer[], %s::text[]) AS wanted(platform_id, value) "  # nosec B608
        f"CROSS JOIN LATERAL (SELECT id FROM {table} AS a WHERE a.platform_id = "
        "wanted.platform_id AND {condition} OFFSET 0) AS found"
    )
    by_handle = probe.format(condition="a.handle_normalized = wanted.value AND NOT a.status = %s")
    by_id = probe.format(
        condition="a.platform_account_id = wanted.value AND NOT a.platform_account_id = ''"
    )
    params = [_array(pk for pk, _ in handles), _array(h for _, h in handles), removed]
    sql = by_handle
    if account_ids:
        sql += " UNION " + by_id
        params += [_array(pk for pk, _ in account_ids), _array(v for _, v in account_ids)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [pk for (pk,) in cursor.fetchall()]
