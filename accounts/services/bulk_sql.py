"""Writing many rows of one model at once: PostgreSQL's COPY, fed from column arrays.

A bulk create knows each table's rows as columns (one list per column that varies, one value
for a column that is the same on every row), so no model instance is built to write them: the
varying columns are the validator's output (text, numbers, aware date-times, None) and are
written as they are; every other column takes the value a new instance would get (its default
or `pre_save`, e.g. auto_now) through the field's own `get_db_prep_save`, computed once. The ids
are drawn from the table's sequence first (one query), so the caller knows them without relying
on any order. COPY is the fastest way into PostgreSQL (bench/import_accounts.py measures it);
psycopg2's copy_expert streams the rows. Written by hand because no maintained library does
this for Django models. Other databases get bulk_create.
"""

import io
import json
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from django.db import connection

AUTO = ("AutoField", "BigAutoField", "SmallAutoField")
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_SPECIAL = frozenset("\\\t\n\r")


def _text(value) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    kind = type(value)
    if kind is str:
        return value.translate(_ESCAPES) if not _SPECIAL.isdisjoint(value) else value
    if kind is bool:
        return "t" if value else "f"
    if kind is int or kind in (Decimal, UUID, float):
        return str(value)
    if kind is datetime or kind is date:
        return value.isoformat()
    if hasattr(value, "dumps"):  # the database adapter of a JSONField's value
        return _text(value.dumps(value.adapted))
    if isinstance(value, list | dict):
        return _text(json.dumps(value))
    if isinstance(value, str):  # a choice's enum member
        return _text(str.__str__(value))
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"no COPY text for {kind.__name__}")


def next_ids(model, count: int) -> list[int]:
    """`count` ids from the sequence of the model's primary key."""
    meta = model._meta
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            # SQLite (make run's database) has no sequence: the ids follow the largest ever
            # given (AUTOINCREMENT's sqlite_sequence, so a deleted account's id is not given
            # again) and are this transaction's: SQLite has one writer at a time, and the
            # settings' IMMEDIATE transactions take the write lock at BEGIN, so a second writer
            # waits for this one's commit and never draws the same ids.
            quote = connection.ops.quote_name
            cursor.execute(
                f"SELECT COALESCE(MAX(n), 0) FROM (SELECT MAX({quote(meta.pk.column)}) AS n "  # nosec B608
                f"FROM {quote(meta.db_table)} UNION ALL SELECT seq FROM sqlite_sequence "
                "WHERE name = %s)",
                [meta.db_table],
            )
            (largest,) = cursor.fetchone()
            return list(range(largest + 1, largest + 1 + count))
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, count],
        )
        return [value for (value,) in cursor.fetchall()]


def copy_rows(model, columns: dict[str, list], constants: dict | None = None) -> dict:
    """Write len(any column) rows: `columns` maps a field's attname to its values, `constants`
    to one value for every row; any other field gets what a new instance would store (an auto
    field left out is the database's). Returns the value of every column not in `columns`
    (as the field's get_prep_value gives it: reusable as a constant, or on an instance)."""
    count = len(next(iter(columns.values())))
    given = dict(constants or {})
    template, fixed, names = None, {}, []
    for field in model._meta.concrete_fields:
        name = field.attname
        if name in columns:
            names.append(field)
            continue
        if name not in given:
            if field.get_internal_type() in AUTO:
                continue
            template = template or model()
            given[name] = field.pre_save(template, add=True)
        fixed[name] = field.get_prep_value(given[name])
        names.append(field)
    if connection.vendor != "postgresql":
        objs = [
            model(**fixed, **{n: values[i] for n, values in columns.items()}) for i in range(count)
        ]
        model._default_manager.bulk_create(objs)
        return fixed
    texts = []
    for field in names:
        if field.attname in columns:
            texts.append([_text(v) for v in columns[field.attname]])
        else:
            texts.append([_text(field.get_db_prep_save(fixed[field.attname], connection))] * count)
    data = "".join("\t".join(row) + "\n" for row in zip(*texts, strict=True))
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {quote(model._meta.db_table)} "
            f"({', '.join(quote(f.column) for f in names)}) FROM STDIN",
            io.StringIO(data),
        )
    return fixed


def instances(model, columns: dict[str, list], fixed: dict, indexes) -> list:
    """Saved instances of the rows at `indexes`, from what copy_rows wrote."""
    out = []
    for i in indexes:
        obj = model(**fixed, **{name: values[i] for name, values in columns.items()})
        obj._state.adding, obj._state.db = False, "default"
        out.append(obj)
    return out
