"""Bulk writes of the demo's largest tables (service records, recipients, households) with their
creation history rows, faster than bulk_create for hundreds of thousands of rows."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import connection
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from swstation.demo.stations import BATCH


def insert_with_history(
    model: Any,
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    history_dates: Sequence[datetime],
) -> Sequence[int]:
    """Insert ``rows`` (values of ``columns``, attribute names) and one "+" history row each,
    dated ``history_dates``, and return the rows' ids in order: on PostgreSQL with COPY into
    ids reserved from the table's sequence (several times faster than bulk_create for hundreds
    of thousands of rows), elsewhere with bulk_create_with_history. Every other field must be
    one of id, created_at and updated_at."""
    fields = {f.attname for f in model._meta.concrete_fields}
    if fields != {"id", "created_at", "updated_at", *columns}:
        raise ValueError(f"{model.__name__}: columns {sorted(fields - set(columns))} missing")
    if not rows:
        return []
    if connection.vendor == "sqlite":
        return _insert_sqlite(model, columns, rows, history_dates)
    if connection.vendor != "postgresql":
        objects = []
        for values, moment in zip(rows, history_dates, strict=True):
            obj = model(**dict(zip(columns, values, strict=True)))
            obj._history_date = moment
            objects.append(obj)
        return [o.pk for o in bulk_create_with_history(objects, model, batch_size=2 * BATCH)]
    now = timezone.now()
    table = model._meta.db_table
    history_table = model.history.model._meta.db_table
    quote = connection.ops.quote_name
    names = ["id", "created_at", "updated_at", *columns]
    db_columns = [model._meta.get_field(name).column for name in names]
    history_columns = [
        *db_columns,
        "history_date",
        "history_change_reason",
        "history_type",
        "history_user_id",
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
            "nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
            [table, table, len(rows)],
        )
        first = cursor.fetchone()[0] - len(rows) + 1
        raw = cursor.cursor
        statement = "COPY {} ({}) FROM STDIN"
        with raw.copy(
            statement.format(quote(table), ", ".join(quote(c) for c in db_columns))
        ) as copy:
            for pk, values in enumerate(rows, start=first):
                copy.write_row((pk, now, now, *values))
        with raw.copy(
            statement.format(quote(history_table), ", ".join(quote(c) for c in history_columns))
        ) as copy:
            for pk, (values, moment) in enumerate(
                zip(rows, history_dates, strict=True), start=first
            ):
                copy.write_row((pk, now, now, *values, moment, None, "+", None))
    return range(first, first + len(rows))


def _insert_sqlite(
    model: Any,
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    history_dates: Sequence[datetime],
) -> Sequence[int]:
    """SQLite: plain executemany with explicit ids (the step runs in one transaction, so no
    one else takes them); dates and datetimes adapted as Django stores them."""
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    table = model._meta.db_table
    history_table = model.history.model._meta.db_table
    quote = ops.quote_name
    names = ["id", "created_at", "updated_at", *columns]
    db_columns = [model._meta.get_field(name).column for name in names]
    history_columns = [*db_columns, "history_date", "history_change_reason", "history_type"]
    kinds = [model._meta.get_field(name).get_internal_type() for name in columns]
    dates = [i for i, kind in enumerate(kinds) if kind == "DateField"]
    adapted: dict[datetime, Any] = {}
    prepared = []
    for values, moment in zip(rows, history_dates, strict=True):
        row = list(values)
        for index in dates:
            row[index] = ops.adapt_datefield_value(row[index])
        when = adapted.get(moment)
        if when is None:
            when = adapted[moment] = ops.adapt_datetimefield_value(moment)
        prepared.append((row, when))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {quote(table)}")
        first = cursor.fetchone()[0] + 1
        marks = ", ".join(["%s"] * len(db_columns))
        cursor.executemany(
            f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in db_columns)}) "
            f"VALUES ({marks})",
            [(pk, now, now, *row) for pk, (row, _when) in enumerate(prepared, start=first)],
        )
        cursor.executemany(
            f"INSERT INTO {quote(history_table)} "
            f"({', '.join(quote(c) for c in history_columns)}) "
            f"VALUES ({marks}, %s, %s, %s)",
            [
                (pk, now, now, *row, when, None, "+")
                for pk, (row, when) in enumerate(prepared, start=first)
            ],
        )
    return range(first, first + len(prepared))


def analyze(models: Sequence[Any]) -> None:
    """Refresh PostgreSQL's planner statistics of tables just filled: in the build's own
    transaction autovacuum cannot see the rows yet, and pages queried before it runs (or in
    the tests, which roll the build back) would be planned as if the tables were empty."""
    if connection.vendor != "postgresql":
        return
    tables = [connection.ops.quote_name(model._meta.db_table) for model in models]
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(tables)}")
