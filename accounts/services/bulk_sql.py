"""Inserting many rows of one model in one statement: `INSERT ... SELECT * FROM unnest(...)`
with one array per column, returning the new ids.

Django's bulk_create builds one placeholder per value (25 columns x 1,000 rows = 25,000) and
prepares each value in Python; PostgreSQL's unnest takes one array per column, so the statement
stays small and the rows are built by the server. Written by hand because no maintained library
does this for Django models; values still go through each field's own get_db_prep_save, so
what is stored is what bulk_create would store. PostgreSQL only: other databases use
bulk_create.
"""

from django.db import connection

AUTO = ("AutoField", "BigAutoField", "SmallAutoField")


def _fields(model):
    """Every stored column but a database-generated primary key."""
    pk = model._meta.pk
    return [
        f for f in model._meta.concrete_fields if not (f is pk and f.get_internal_type() in AUTO)
    ]


def insert_many(model, objs: list, *, returning: bool = True) -> list:
    """Insert the unsaved instances `objs` and set their primary keys; returns them."""
    if not objs:
        return objs
    if connection.vendor != "postgresql":
        return model._default_manager.bulk_create(objs)
    pk = model._meta.pk
    columns, arrays, casts = [], [], []
    for field in _fields(model):
        values = [field.get_db_prep_save(field.pre_save(obj, add=True), connection) for obj in objs]
        columns.append(connection.ops.quote_name(field.column))
        arrays.append(values)
        casts.append(f"%s::{_array_type(field)}")
    sql = (
        f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({', '.join(columns)}) "
        f"SELECT * FROM unnest({', '.join(casts)})"
    )
    with connection.cursor() as cursor:
        if returning:
            cursor.execute(sql + f" RETURNING {connection.ops.quote_name(pk.column)}", arrays)
            for obj, (value,) in zip(objs, cursor.fetchall(), strict=True):
                setattr(obj, pk.attname, value)
                obj._state.adding, obj._state.db = False, "default"
        else:
            cursor.execute(sql, arrays)
    return objs


def _array_type(field) -> str:
    kind = field.rel_db_type(connection) if field.is_relation else field.db_type(connection)
    kind = kind.replace(" AUTO_INCREMENT", "").split(" CHECK")[0]
    return kind + "[]"
