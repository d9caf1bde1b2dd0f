"""Pages of a list that cost the same at any size and any depth (issue 10, "Lists fast at any
size"): keyset ("cursor") pages and counts capped at :data:`COUNT_CAP`. The list pages
(``core.views.generic.ObjectListView``) and the API (``core.api.pagination``) share them, so
every list, present and to come, gets them without declaring anything.

- **Keyset pages.** A page is not "skip 12,475 rows, take 25" (the database reads and drops
  the 12,475) but "the 25 rows after this row in the list's order": with an index matching the
  order (the service records' ``(-served_on, -id)``), page 500 costs what page 1 costs. The
  order is the queryset's (its ``order_by`` or the model's ``Meta.ordering``, a relation
  expanded to its model's ordering as Django does), completed by the primary key so that it is
  total. ``NULL`` sorts last going up and first going down, on every database.
- **Cursors** say where a page starts: the values of the order's fields in the row before it
  (or after it, going back). They are encrypted (``core.crypto``): a row's values may be
  personal (a date of birth a masked role sorts by) and must not be readable from a link. A
  cursor made for another order, or altered, is refused (:class:`InvalidCursor`).
- **Capped counts.** Counting 3 million rows to print "3,016,879 records" costs more than the
  page itself; :func:`capped_count` counts at most ``COUNT_CAP + 1`` rows, and a list shows
  "10,000+" above that.
"""

import datetime
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any, Literal

from cryptography.fernet import InvalidToken
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import ExpressionWrapper, F, Func, Q, QuerySet, Value
from django.db.models.expressions import OrderBy
from django.db.models.query import ModelIterable

from swstation.core import crypto

COUNT_CAP = 10_000

Direction = Literal["next", "previous"]


class InvalidCursor(ValueError):
    """A cursor that does not belong to this list's order, or has been altered."""


@dataclass(frozen=True)
class CappedCount:
    """How many records a list has: ``value`` exactly when ``exact``, else at least ``value``."""

    value: int
    exact: bool

    def __str__(self) -> str:
        return f"{self.value:,}" if self.exact else f"{self.value:,}+"


def capped_count(queryset: QuerySet[Any], cap: int | None = None) -> CappedCount:
    """The number of records, counted up to ``cap`` (:data:`COUNT_CAP`): one query reading
    at most ``cap + 1`` rows, whatever the size of the table."""
    cap = COUNT_CAP if cap is None else cap
    limited = queryset.order_by().values("pk")[: cap + 1]
    found = limited.count()
    return CappedCount(min(found, cap), found <= cap)


@dataclass(frozen=True)
class Key:
    """One field of a list's order: its lookup path, descending or not, and whether it may be
    ``NULL`` (a nullable field, or reached through a nullable relation)."""

    path: str
    descending: bool
    nullable: bool

    def reversed(self) -> "Key":
        return Key(self.path, not self.descending, self.nullable)

    def order_by(self) -> Any:
        if not self.nullable:
            return f"-{self.path}" if self.descending else self.path
        # NULL last going up and first going down: PostgreSQL's own default (its indexes
        # serve it), said explicitly so that SQLite sorts the same way.
        field = F(self.path)
        return field.desc(nulls_first=True) if self.descending else field.asc(nulls_last=True)

    def after(self, value: Any) -> Q:
        """The rows strictly after ``value`` in this key's direction."""
        if self.descending:
            if value is None:
                return Q(**{f"{self.path}__isnull": False})
            return Q(**{f"{self.path}__lt": value})
        if value is None:
            return Q(pk__in=[])  # NULL is last: nothing after it
        after = Q(**{f"{self.path}__gt": value})
        return after | Q(**{f"{self.path}__isnull": True}) if self.nullable else after

    def equal(self, value: Any) -> Q:
        return Q(**{f"{self.path}__isnull": True}) if value is None else Q(**{self.path: value})

    def from_here(self, value: Any) -> Q | None:
        """A bound on this (leading) key that an index can start from: redundant with
        :meth:`after`'s disjunction, which a database cannot use as an index condition."""
        if self.nullable or value is None:
            return None
        return Q(**{f"{self.path}__{'lte' if self.descending else 'gte'}": value})


def _relation_ordering(model: type[models.Model]) -> list[Any]:
    return list(model._meta.ordering or [])


def _expand(
    model: type[models.Model], item: str, descending: bool, nullable: bool, depth: int = 0
) -> list[Key] | None:
    """``item`` of an ordering as keys on plain fields: a relation becomes its model's
    ordering (Django's own rule), or its primary key when that model has none; a relation's
    column (``batch_id``) stays the column, as Django orders by it."""
    name = item.lstrip("-+")
    descending = descending != item.startswith("-")
    if name == "?" or depth > 4:
        return None
    parts = name.split("__")
    current: Any = model
    path: list[str] = []
    field: Any = None
    for index, part in enumerate(parts):
        if current is None:
            return None
        try:
            field = current._meta.pk if part == "pk" else current._meta.get_field(part)
        except FieldDoesNotExist:
            if index == len(parts) - 1 and current is model and len(parts) == 1:
                # An annotation of the queryset: read from the row, never NULL-safe.
                return [Key(name, descending, True)]
            return None
        attname = getattr(field, "attname", None)
        if field.is_relation and part == attname != field.name and index == len(parts) - 1:
            # ``batch_id``: the relation's column itself, as Django orders by it (not by the
            # related model's order, as ``batch`` is): a key an index of the row can serve.
            nullable = nullable or bool(field.null)
            path.append(part)
            field = None
            break
        path.append(field.name if part != "pk" else "pk")
        if field.is_relation:
            if not (field.many_to_one or field.one_to_one) or not field.concrete:
                return None  # a reverse or many-to-many relation: not a key
            nullable = nullable or bool(field.null)
            current = field.related_model
        else:
            nullable = nullable or bool(getattr(field, "null", False))
            current = None
    prefix = "__".join(path)
    if field is not None and field.is_relation:
        ordering = _relation_ordering(field.related_model)
        if not ordering:
            return [Key(f"{prefix}__pk", descending, nullable)]
        keys: list[Key] = []
        for sub in ordering:
            if not isinstance(sub, str):
                return None
            expanded = _expand(field.related_model, sub, descending, nullable, depth + 1)
            if expanded is None:
                return None
            keys += [Key(f"{prefix}__{key.path}", key.descending, key.nullable) for key in expanded]
        return keys
    return [Key(prefix, descending, nullable)]


def ordering_keys(queryset: QuerySet[Any]) -> list[Key] | None:
    """The keys of ``queryset``'s order, made total with the primary key; ``None`` when the
    order is not one a cursor can follow (a random order, an expression, a many-valued
    relation), and the list then pages by number. Rows read as tuples or dicts (``values()``,
    ``values_list()``) page by number too: a cursor reads its keys from model instances."""
    query = queryset.query
    model = queryset.model
    if queryset._iterable_class is not ModelIterable:
        return None
    if query.extra_order_by or query.distinct_fields or query.combinator:
        return None
    items = list(query.order_by) if query.order_by else []
    if not items and query.default_ordering:
        items = _relation_ordering(model)
    keys: list[Key] = []
    for item in items:
        if isinstance(item, OrderBy) and isinstance(item.expression, F):
            item = ("-" if item.descending else "") + str(getattr(item.expression, "name", ""))
        elif isinstance(item, F):
            item = str(getattr(item, "name", ""))
        if not isinstance(item, str):
            return None
        expanded = _expand(model, item, False, False)
        if expanded is None:
            return None
        keys += expanded
    pk_name = model._meta.pk.name if model._meta.pk is not None else "id"
    seen: set[str] = set()
    unique: list[Key] = []
    for key in keys:
        path = "pk" if key.path in (pk_name, "pk") else key.path
        if path not in seen:
            seen.add(path)
            unique.append(Key(path, key.descending, key.nullable and path != "pk"))
    if "pk" in seen:  # nothing after the primary key changes the order
        unique = unique[: [key.path for key in unique].index("pk") + 1]
    else:
        unique.append(Key("pk", unique[-1].descending if unique else False, False))
    return unique


def _alias(index: int) -> str:
    return f"keyset_value_{index}"


@dataclass(frozen=True)
class Position:
    """Where a page starts: after (``next``) or before (``previous``) a row's ``values``;
    ``values`` None for the end of the list (the last page, read backwards)."""

    direction: Direction
    values: tuple[Any, ...] | None


@dataclass
class KeysetPage:
    """One page: its records in the list's order, and the cursors of its neighbours (None
    when there is no page that way)."""

    records: list[Any]
    next_cursor: str | None
    previous_cursor: str | None

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_previous(self) -> bool:
        return self.previous_cursor is not None


class _ExactEncoder(DjangoJSONEncoder):
    """Times to the microsecond (Django's encoder keeps milliseconds: a row whose time has
    microseconds would never equal its own cursor)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def _fingerprint(keys: Sequence[Key]) -> str:
    return ",".join(("-" if key.descending else "") + key.path for key in keys)


def encode_cursor(keys: Sequence[Key], position: Position) -> str:
    payload = json.dumps(
        [_fingerprint(keys), position.direction, position.values],
        cls=_ExactEncoder,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return crypto.encrypt_bytes(payload.encode()).decode().rstrip("=")


def decode_cursor(keys: Sequence[Key], cursor: str) -> Position:
    """The position a cursor of this order names; :class:`InvalidCursor` otherwise."""
    try:
        token = (cursor + "=" * (-len(cursor) % 4)).encode("ascii")
        fingerprint, direction, values = json.loads(crypto.decrypt_bytes(token) or b"null")
    except (InvalidToken, ValueError, TypeError, UnicodeError) as exc:
        raise InvalidCursor(cursor) from exc
    if fingerprint != _fingerprint(keys) or direction not in ("next", "previous"):
        raise InvalidCursor(cursor)
    if values is not None and (not isinstance(values, list) or len(values) != len(keys)):
        raise InvalidCursor(cursor)
    return Position(direction, tuple(values) if values is not None else None)


def _after(keys: Sequence[Key], values: Sequence[Any]) -> Q:
    """The rows after ``values`` in the order of ``keys``: k1 after v1, or k1 = v1 and k2
    after v2, and so on; with the leading key bounded so that an index starts there."""
    steps = []
    for index, key in enumerate(keys):
        step = key.after(values[index])
        for previous, value in zip(keys[:index], values[:index], strict=True):
            step &= previous.equal(value)
        steps.append(step)
    condition = reduce(or_, steps)
    start = keys[0].from_here(values[0])
    return condition & start if start is not None else condition


def _row_after(model: Any, keys: Sequence[Key], values: Sequence[Any]) -> Any | None:
    """``(k1, k2, …) < (v1, v2, …)`` (``>`` going up) when every key is a column of the
    record itself, never NULL, all in one direction: a row comparison the database reads as
    one index range (``ROW(served_on, id) < ROW(…)`` starts at the cursor's row, where
    ``served_on <= …`` would read the rest of that day's rows first: 8,000 at scale 10).
    Redundant with :func:`_after`; None when the keys do not allow it."""
    if len({key.descending for key in keys}) != 1 or any(
        key.nullable or ("__" in key.path) for key in keys
    ):
        return None
    try:
        fields = [
            model._meta.pk if key.path == "pk" else model._meta.get_field(key.path) for key in keys
        ]
        typed = [field.to_python(value) for field, value in zip(fields, values, strict=True)]
    except (FieldDoesNotExist, ValidationError, ValueError, TypeError):
        return None
    if any(value is None for value in typed):
        return None
    row = Func(*(F(key.path) for key in keys), template="(%(expressions)s)")
    bound = Func(*(Value(value) for value in typed), template="(%(expressions)s)")
    return row, ("lt" if keys[0].descending else "gt"), bound


def keyset_page(
    queryset: QuerySet[Any],
    keys: Sequence[Key],
    size: int,
    position: Position | None = None,
    *,
    offset: int = 0,
    cursor_for: Any = encode_cursor,
) -> KeysetPage:
    """The page of ``size`` records at ``position`` (the first page without one, or the page
    ``offset`` records in: a page asked for by number), read with one query of ``size + 1``
    rows. Raises :class:`InvalidCursor` if the position's values do not fit the fields (an
    altered cursor)."""
    backwards = position is not None and position.direction == "previous"
    walk = [key.reversed() for key in keys] if backwards else list(keys)
    annotated = queryset.annotate(
        **{_alias(index): F(key.path) for index, key in enumerate(keys) if key.path != "pk"}
    ).order_by(*(key.order_by() for key in walk))
    if position is not None and position.values is not None:
        try:
            annotated = annotated.filter(_after(walk, position.values))
            row = _row_after(queryset.model, walk, position.values)
            if row is not None:
                columns, lookup, bound = row
                annotated = annotated.alias(
                    keyset_row=ExpressionWrapper(columns, output_field=models.Field())
                ).filter(**{f"keyset_row__{lookup}": bound})
        except (ValidationError, ValueError, TypeError) as exc:
            raise InvalidCursor(str(position.values)) from exc
    try:
        rows = _read(queryset, annotated, keys, offset, offset + size + 1)
    except (ValidationError, ValueError, TypeError, OverflowError) as exc:
        raise InvalidCursor(str(position.values if position else "")) from exc
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()

    def values_of(row: Any) -> tuple[Any, ...]:
        return tuple(
            row.pk if key.path == "pk" else getattr(row, _alias(index))
            for index, key in enumerate(keys)
        )

    started = position is not None and position.values is not None
    if backwards:
        has_next = position is not None and (position.values is not None)
        has_previous = more
    else:
        has_next = more
        has_previous = started or offset > 0
    next_cursor = (
        cursor_for(keys, Position("next", values_of(rows[-1]))) if has_next and rows else None
    )
    previous_cursor = (
        cursor_for(keys, Position("previous", values_of(rows[0])))
        if has_previous and rows
        else None
    )
    return KeysetPage(rows, next_cursor, previous_cursor)


def _read(
    queryset: QuerySet[Any], annotated: QuerySet[Any], keys: Sequence[Key], start: int, stop: int
) -> list[Any]:
    """The rows ``start:stop`` of ``annotated`` (``queryset`` in the page's order, its keys
    annotated).

    A list that reads its related records along (``select_related``: a payment's batch,
    worker, worker's region, certificate and policy) is read in two steps: the page's primary
    keys and keys alone, joining only what the order and the filters need, then those records
    whole. Sorting the whole rows of five joined tables to keep 26 made the city's first page
    of 49,285 payments 260 ms (the keys alone: 50 ms); a page read by an index costs one more
    query of 26 rows by primary key."""
    query = annotated.query
    if (
        not query.select_related
        or annotated._iterable_class is not ModelIterable
        or query.combinator
        or query.distinct_fields
    ):
        return list(annotated[start:stop])
    aliases = [_alias(index) for index, key in enumerate(keys) if key.path != "pk"]
    found = list(annotated.values_list("pk", *aliases)[start:stop])
    if not found:
        return []
    records = queryset.order_by().filter(pk__in=[row[0] for row in found])
    by_pk = {record.pk: record for record in records}
    rows = []
    for pk, *values in found:
        record = by_pk.get(pk)
        if record is None:  # deleted between the two reads
            continue
        for alias, value in zip(aliases, values, strict=True):
            setattr(record, alias, value)
        rows.append(record)
    return rows


def last_position() -> Position:
    """The end of the list: its last page, read backwards."""
    return Position("previous", None)
