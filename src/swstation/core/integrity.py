"""A database integrity error as the user's error: which field's value is already taken.

Uniqueness is checked before a write (forms, serializers, services), but two requests sent
together both pass the check and only the database's unique constraint stops the second one,
with an ``IntegrityError``. :func:`integrity_validation_error` turns it into the
``ValidationError`` the check would have raised, naming the field(s) of the violated constraint,
found from the model's unique fields and ``UniqueConstraint``\\s by the constraint's name or its
columns, on PostgreSQL and on SQLite alike. The generic write paths (API viewsets, edit pages,
the API's exception handler) use it, so that a duplicate is a 400, never a 500.
"""

import re
from collections.abc import Iterable, Iterator
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models
from django.db.models import F, UniqueConstraint
from django.utils.text import capfirst, get_text_list
from django.utils.translation import gettext as _

UNIQUE_VIOLATION = "23505"  # PostgreSQL's SQLSTATE
_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (?:index '(?P<index>[^']+)'|(?P<cols>.+))")
_POSTGRES_KEY = re.compile(r"Key \((?P<key>.+?)\)=\(")


def _models_by_table() -> dict[str, type[models.Model]]:
    return {model._meta.db_table: model for model in apps.get_models(include_auto_created=True)}


def _expression_fields(expression: Any) -> Iterator[str]:
    if isinstance(expression, F):
        yield str(getattr(expression, "name", ""))
    for source in getattr(expression, "get_source_expressions", list)():
        yield from _expression_fields(source)


def _constraint_fields(constraint: UniqueConstraint) -> list[str]:
    if constraint.fields:
        return list(constraint.fields)
    return [name for expr in constraint.expressions for name in _expression_fields(expr)]


def _fields_of_columns(model: type[models.Model], text: str) -> list[str]:
    """The model's fields whose column is named in ``text`` (the key of PostgreSQL's detail,
    e.g. ``region_id, year`` or ``lower((username)::text)``, or SQLite's column list)."""
    return [
        field.name
        for field in model._meta.concrete_fields
        if field.column and re.search(rf"(?<!\w){re.escape(field.column)}\b", text)
    ]


def unique_violation(
    exc: IntegrityError,
) -> tuple[type[models.Model] | None, list[str], UniqueConstraint | None] | None:
    """(model, field names, constraint) of a unique violation; None for another integrity
    error (a foreign key, NOT NULL or check constraint)."""
    cause = exc.__cause__
    message = str(exc)
    table = constraint_name = key = ""
    diag = getattr(cause, "diag", None)
    if getattr(cause, "sqlstate", None) == UNIQUE_VIOLATION and diag is not None:
        table = diag.table_name or ""
        constraint_name = diag.constraint_name or ""
        match = _POSTGRES_KEY.search(diag.message_detail or "")
        key = match.group("key") if match else ""
    elif match := _SQLITE_UNIQUE.search(message):
        constraint_name = match.group("index") or ""
        columns = match.group("cols") or ""
        table = columns.split(".", 1)[0] if "." in columns else ""
        key = ", ".join(column.split(".")[-1] for column in columns.split(", "))
    else:
        return None
    candidates: Iterable[type[models.Model]]
    by_table = _models_by_table()
    candidates = [by_table[table]] if table in by_table else by_table.values()
    for model in candidates:
        for constraint in model._meta.constraints:
            if isinstance(constraint, UniqueConstraint) and constraint.name == constraint_name:
                return model, _constraint_fields(constraint), constraint
    owner = by_table.get(table)
    if owner is None:
        return None, [], None
    return owner, _fields_of_columns(owner, key), None


def integrity_validation_error(exc: IntegrityError) -> ValidationError:
    """The ``ValidationError`` a user understands for ``exc``: the value already taken, on the
    field that holds it (the last field of a constraint on several, naming them all); not
    attached to a field when the field cannot be told."""
    found = unique_violation(exc)
    if found is None:
        return ValidationError(
            _(
                "The record conflicts with another change made at the same time. Reload the "
                "page and try again."
            ),
            code="integrity",
        )
    model, fields, constraint = found
    if model is None or not fields:
        return ValidationError(_("This record already exists."), code="unique")
    if constraint is not None and (
        constraint.violation_error_message != constraint.default_violation_error_message
    ):
        message = str(constraint.violation_error_message)
    else:
        labels = [
            str(getattr(model._meta.get_field(name), "verbose_name", name)) for name in fields
        ]
        message = _("A %(model)s with this %(fields)s already exists.") % {
            "model": model._meta.verbose_name,
            "fields": get_text_list(labels, _("and")),
        }
    return ValidationError({fields[-1]: capfirst(message)}, code="unique")
