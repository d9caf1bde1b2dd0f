"""The Importer base class and what a row is and becomes (ImportRow, Built)."""

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.functional import Promise

from swstation.core.actors import Actor
from swstation.core.history import record_author
from swstation.core.imports.cells import Column
from swstation.core.permissions import user_can


@dataclass
class ImportRow:
    """One data row: its Excel row number, its parsed non-empty cells by column key, the
    columns the file has, and the cells that could not be parsed."""

    number: int
    values: dict[str, Any]
    present: frozenset[str]
    errors: list[tuple[str, str]] = field(default_factory=list)

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def has(self, key: str) -> bool:
        return self.values.get(key) is not None


@dataclass
class Built:
    """What a row becomes: the record (unsaved if new), whether it is new, whether anything
    would change, and dependent records (e.g. a social worker's certificate)."""

    instance: models.Model
    created: bool
    changed: bool = True
    related: list["Built"] = field(default_factory=list)
    # The field values the row sets (all of them for a new record, the row's filled cells for an
    # existing one), for importers whose ``save`` hands them to a service.
    values: dict[str, Any] = field(default_factory=dict)


def model_values(instance: models.Model) -> dict[str, Any]:
    """The stored values of a record's concrete fields (to tell whether an update changes it)."""
    return {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if f.attname not in ("created_at", "updated_at")
    }


# --- the importer base class --------------------------------------------------------------


class Importer:
    """Declare ``model``, ``columns``, ``key_columns`` and ``build``; the rest is shared.

    ``build(row, actor)`` turns one row into a :class:`Built` without writing anything: it looks
    up related records through ``visible_to(actor)`` (an out-of-jurisdiction region, station or
    agency is "not found in your jurisdiction"), looks up the existing record by the key,
    assigns the values and calls :meth:`clean`. It raises :class:`RowInvalid` listing every
    problem of the row by column. ``save`` writes a built row (called inside the import's
    transaction); override it to call the app's services.
    """

    model: ClassVar[type[models.Model]]
    columns: ClassVar[tuple[Column, ...]]
    # Groups of columns of which the file must have at least one (e.g. region code or name).
    required_any: ClassVar[tuple[tuple[str, ...], ...]] = ()
    # The columns that identify an existing record (documentation and the template's notes).
    key_columns: ClassVar[tuple[str, ...]] = ()
    key_help: ClassVar[str | Promise] = ""
    # Model fields whose errors belong to another column than the one of the same key.
    field_columns: ClassVar[dict[str, str]] = {}
    title: ClassVar[str | Promise] = ""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor
        self.present: frozenset[str] = frozenset()

    # to declare -------------------------------------------------------------------------
    def build(self, row: ImportRow, actor: Actor) -> Built:
        raise NotImplementedError

    # hooks ------------------------------------------------------------------------------
    def prepare(self, present: frozenset[str]) -> None:
        """Called once before the rows, with the column keys the file has: preload lookups."""
        self.present = present

    def file_keys(self, built: Built) -> list[tuple[str, Hashable]]:
        """(column key, value) pairs that must be unique within one file."""
        return []

    def remember(self, built: Built, row: ImportRow) -> None:
        """Called for every valid row, so later rows may refer to records earlier rows make."""

    def save(self, built: Built, actor: Actor) -> None:
        """Write a built row; the default saves the record, then its dependent records."""
        if built.changed:
            self.save_instance(built.instance, created=built.created, actor=actor)
        for related in built.related:
            if related.changed:
                self.save_related(built, related, actor)

    def save_instance(self, instance: models.Model, *, created: bool, actor: Actor) -> None:
        record_author(instance, actor)
        instance.save()

    def save_related(self, parent: Built, related: Built, actor: Actor) -> None:
        self.save_instance(related.instance, created=related.created, actor=actor)

    # permission -------------------------------------------------------------------------
    @classmethod
    def actor_may_import(cls, actor: Actor) -> bool:
        """An import both creates and changes records: the role needs both rights."""
        return user_can(actor, "add", cls.model) and user_can(actor, "change", cls.model)

    # helpers for build ------------------------------------------------------------------
    @classmethod
    def column(cls, key: str) -> Column:
        for column in cls.columns:
            if column.key == key:
                return column
        raise KeyError(key)

    @classmethod
    def dotted_path(cls) -> str:
        return f"{cls.__module__}.{cls.__qualname__}"

    def assign(self, instance: models.Model, row: ImportRow, keys: Iterable[str]) -> None:
        """Copy the row's filled cells of ``keys`` onto the fields of the same name. An empty
        cell leaves an existing record's value as it is."""
        for key in keys:
            if row.has(key):
                setattr(instance, key, row.get(key))

    def column_for_field(self, field_name: str) -> str:
        if field_name in self.field_columns:
            return self.field_columns[field_name]
        if any(c.key == field_name for c in self.columns):
            return field_name
        return ""

    def validation_errors(
        self, exc: ValidationError, model: type[models.Model] | None = None
    ) -> list[tuple[str, str]]:
        """A model's ValidationError as (column key, message) pairs; errors of fields with no
        column of their own name the field."""
        model = model or self.model
        if not hasattr(exc, "error_dict"):
            return [("", message) for message in exc.messages]
        errors: list[tuple[str, str]] = []
        for field_name, field_errors in exc.error_dict.items():
            column = self.column_for_field(field_name)
            for error in field_errors:
                for message in error.messages:
                    if column or field_name == NON_FIELD_ERRORS:
                        errors.append((column, message))
                        continue
                    label = str(
                        getattr(_model_field(model, field_name), "verbose_name", field_name)
                    )
                    errors.append(("", f"{label}: {message}"))
        return errors

    def clean(
        self,
        instance: models.Model,
        errors: list[tuple[str, str]],
        *,
        exclude: Iterable[str] = (),
        validate_constraints: bool = True,
    ) -> None:
        """``full_clean`` (the model's own rules, shared with forms and the API), its problems
        added to ``errors`` by column."""
        try:
            instance.full_clean(
                exclude=list(exclude) or None, validate_constraints=validate_constraints
            )
        except ValidationError as exc:
            errors.extend(self.validation_errors(exc, type(instance)))

    def header_of(self, key: str) -> str:
        return self.column(key).header if key else ""


def _model_field(model: type[models.Model], name: str) -> Any:
    try:
        return model._meta.get_field(name)
    except Exception:
        return None
