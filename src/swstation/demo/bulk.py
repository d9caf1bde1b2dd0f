"""Bulk writes of the demo's largest tables (service records, recipients, households, cases and
their history) with their history rows, faster than bulk_create for tens of thousands of rows:
no model instances, no signals, COPY on PostgreSQL."""

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from django.db import connection, models
from django.utils import timezone

from swstation.demo.entry_dates import AT_INSERT, entered_at

HISTORY_COLUMNS = ("history_date", "history_change_reason", "history_type", "history_user_id")


def insert_rows(
    model: Any, columns: Sequence[str], rows: Sequence[tuple[Any, ...]], *, own_ids: bool = True
) -> Sequence[int]:
    """Insert ``rows`` (values of ``columns``, attribute names) as they are: no model instance,
    no signal, no history. ``created_at`` and ``updated_at``, when the model has them and
    ``columns`` does not name them, are now. With ``own_ids`` the rows' ids are reserved (from
    the table's sequence on PostgreSQL; after the largest id elsewhere, the build running in one
    transaction) and returned in order; without, the database numbers them (a history table's
    ``history_id``) and nothing is returned."""
    if not rows:
        return []
    now = timezone.now()
    names = list(columns)
    stamps = [
        name
        for name in ("created_at", "updated_at")
        if name not in names and any(f.attname == name for f in model._meta.concrete_fields)
    ]
    names = [*stamps, *names]
    first = 0
    if own_ids:
        first = _reserve_ids(model, len(rows))
        names = ["id", *names]
    table = connection.ops.quote_name(model._meta.db_table)
    db_columns = ", ".join(
        connection.ops.quote_name(model._meta.get_field(name).column) for name in names
    )
    prefix = [now] * len(stamps)
    # Rows of a table dated when entered (demo/entry_dates.py): created_at from their own day,
    # never later than now, as the entry-dates step would date them.
    entered_from = AT_INSERT.get(model._meta.db_table)
    dated = (
        names.index(model._meta.get_field(entered_from).attname)
        if own_ids and entered_from and "created_at" in stamps
        else None
    )

    def complete(pk: int, values: tuple[Any, ...]) -> tuple[Any, ...]:
        if dated is not None and values[dated - len(stamps) - 1] is not None:
            created = min(now, entered_at(pk, values[dated - len(stamps) - 1]))
            stamped = [created if name == "created_at" else now for name in stamps]
            return (pk, *stamped, *values)
        return (pk, *prefix, *values) if own_ids else (*prefix, *values)

    if connection.vendor == "postgresql":
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({db_columns}) FROM STDIN") as copy,
        ):
            for pk, values in enumerate(rows, start=first):
                copy.write_row(complete(pk, values))
    else:
        converters = [
            (index, convert)
            for index, name in enumerate(names)
            if (convert := _converter(model._meta.get_field(name))) is not None
        ]
        prepared = []
        for pk, values in enumerate(rows, start=first):
            row = list(complete(pk, values))
            for index, convert in converters:
                row[index] = convert(row[index])
            prepared.append(row)
        marks = ", ".join(["%s"] * len(names))
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({db_columns}) VALUES ({marks})", prepared)
    return range(first, first + len(rows)) if own_ids else []


def insert_with_history(
    model: Any,
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    history_dates: Sequence[datetime],
) -> Sequence[int]:
    """Insert ``rows`` (values of ``columns``, attribute names) and one "+" history row each,
    dated ``history_dates``, and return the rows' ids in order (:func:`insert_rows`). Every
    other field must be one of id, created_at and updated_at."""
    fields = {f.attname for f in model._meta.concrete_fields}
    if fields != {"id", "created_at", "updated_at", *columns}:
        raise ValueError(f"{model.__name__}: columns {sorted(fields - set(columns))} missing")
    if not rows:
        return []
    ids = insert_rows(model, columns, rows)
    now = timezone.now()
    insert_rows(
        model.history.model,
        ["id", "created_at", "updated_at", *columns, *HISTORY_COLUMNS],
        [
            (pk, now, now, *values, moment, None, "+", None)
            for pk, values, moment in zip(ids, rows, history_dates, strict=True)
        ],
        own_ids=False,
    )
    return ids


def insert_objects(model: Any, objects: Sequence[Any]) -> Sequence[Any]:
    """What ``bulk_create_with_history`` does for unsaved ``objects`` of ``model``, faster: their
    field values written as rows with one "+" history row each (:func:`insert_with_history`),
    dated ``obj._history_date`` or now; the objects get their ids and are returned."""
    columns = [
        f.attname
        for f in model._meta.concrete_fields
        if f.attname not in ("id", "created_at", "updated_at")
    ]
    now = timezone.now()
    ids = insert_with_history(
        model,
        columns,
        [tuple(getattr(obj, name) for name in columns) for obj in objects],
        [getattr(obj, "_history_date", None) or now for obj in objects],
    )
    for obj, pk in zip(objects, ids, strict=True):
        obj.pk = pk
        obj.created_at = obj.updated_at = now
        obj._state.adding = False
        obj._state.db = connection.alias
    return objects


def _reserve_ids(model: Any, count: int) -> int:
    """The first of ``count`` new ids of ``model``'s table."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                "nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
                [table, table, count],
            )
            last: int = cursor.fetchone()[0]
            return last - count + 1
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
        largest: int = cursor.fetchone()[0]
        return largest + 1


def _converter(field: Any) -> Callable[[Any], Any] | None:
    """How a value of ``field`` is handed to a database other than PostgreSQL: dates and
    moments as Django stores them (each value adapted once), other values as the field prepares
    them (JSON, decimals); None for the values the driver takes as they are."""
    ops = connection.ops
    if isinstance(field, models.DateField):  # DateTimeField too
        adapt = (
            ops.adapt_datetimefield_value
            if isinstance(field, models.DateTimeField)
            else ops.adapt_datefield_value
        )
        adapted: dict[Any, Any] = {}

        def day_or_moment(value: Any) -> Any:
            if value is None:
                return None
            found = adapted.get(value)
            if found is None:
                found = adapted[value] = adapt(value)
            return found

        return day_or_moment
    if isinstance(field, models.JSONField | models.DecimalField):
        return lambda value: field.get_db_prep_save(value, connection)
    return None


def analyze(tables_of: Sequence[Any]) -> None:
    """Refresh PostgreSQL's planner statistics of tables just filled: in the build's own
    transaction autovacuum cannot see the rows yet, and pages queried before it runs (or in
    the tests, which roll the build back) would be planned as if the tables were empty."""
    if connection.vendor != "postgresql":
        return
    tables = [connection.ops.quote_name(model._meta.db_table) for model in tables_of]
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(tables)}")
