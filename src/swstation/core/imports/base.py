"""The Importer base class and what a row is and becomes (ImportRow, Built).

Besides the hooks an importer declares, the base does what every import must (issue 19): a row
that matches a recorded person whose name, date of birth or sex disagree is refused
(:meth:`Importer.identity_conflicts`: the row would overwrite someone else), and each update is
described field by field, old → new, for the preview (:meth:`Importer.changes`).
"""

import datetime
import re
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from swstation.core.actors import Actor
from swstation.core.history import record_author
from swstation.core.imports.cells import Column, Note
from swstation.core.masking import mask_value, user_sees_personal_data
from swstation.core.permissions import user_can

# Every Importer subclass, so that the synonyms page can list the vocabularies they use.
IMPORTERS: list[type["Importer"]] = []


@dataclass
class ImportRow:
    """One data row: its Excel row number, its parsed non-empty cells by column key, the
    columns the file has, and the cells that could not be parsed."""

    number: int
    values: dict[str, Any]
    present: frozenset[str]
    errors: list[tuple[str, str]] = field(default_factory=list)
    # Columns whose cell says 清空: their value is the column's empty value, and has() is True.
    cleared: set[str] = field(default_factory=set)
    # What reading the row normalised, by column key (said in the preview).
    notes: list[tuple[str, Note]] = field(default_factory=list)

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def has(self, key: str) -> bool:
        """Whether the row sets this column: a filled cell, or one that says 清空."""
        return key in self.cleared or self.values.get(key) is not None

    def is_cleared(self, key: str) -> bool:
        return key in self.cleared


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
    # The column that found the existing record (for messages: "the identity number is that of
    # ..."); empty: the importer's first key column.
    matched_by: str = ""
    # The existing record as stored, read once by the base (identity check, changes).
    stored: models.Model | None = None


@dataclass(frozen=True)
class FieldChange:
    """One field an update changes, as shown in the preview."""

    label: str
    old: str
    new: str


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
    # Columns that say who a person is (name, date of birth, sex): a row matched to a record
    # whose stored value differs names another person, and is refused. Keys are column keys;
    # ``identity_fields`` maps one to its model field when the names differ.
    identity_columns: ClassVar[tuple[str, ...]] = ()
    identity_fields: ClassVar[dict[str, str]] = {}
    # Model fields left out of the preview's list of changes (kept by the system).
    unlisted_fields: ClassVar[frozenset[str]] = frozenset({"created_at", "updated_at", "version"})
    # Whether the import saves a chunk of valid rows at once (:meth:`save_chunk`) rather than
    # each row as it is built (core/imports/preview.py, run_rows).
    bulk: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        IMPORTERS.append(cls)

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

    def prepare_chunk(self, rows: list[ImportRow]) -> None:
        """Called before the rows of each chunk (a few hundred) are built: load what they look
        up (existing records by key, their duplicates) in a few queries instead of some per
        row. ``build`` must give the same answer with or without it."""

    def save_chunk(self, built: list[Built], actor: Actor) -> None:
        """Write a chunk of built rows (inside the import's transaction, in a savepoint of
        its own) for an importer that declares ``bulk``: every rule and every history record
        that :meth:`save` would write, in a few statements. The default saves each row."""
        for one in built:
            self.save(one, actor)

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

    # values a column accepts (synonyms page, template drop-downs) --------------------------
    @classmethod
    def accepted_values(cls, column: Column) -> list[str]:
        """The words a column accepts, for the template's drop-down and the synonyms page's
        check of a synonym's meaning; empty: any text. Override for columns whose values are
        data (a category list)."""
        if column.kind == "choice":
            return column.labels()
        if column.kind == "bool":
            return ["是", "否"]
        return []

    # the existing record: identity and changes ---------------------------------------------
    def stored_of(self, built: Built) -> models.Model | None:
        """The record an update changes, as stored now (read once)."""
        if built.created or built.instance.pk is None:
            return None
        if built.stored is None:
            manager = type(built.instance)._default_manager
            built.stored = manager.filter(pk=built.instance.pk).first()
        return built.stored

    def identity_conflicts(self, built: Built, row: ImportRow) -> list[tuple[str, str]]:
        """The row's name, date of birth or sex that disagree with the record it matched: the
        row names another person and must not update this one."""
        if not self.identity_columns or built.created:
            return []
        stored = self.stored_of(built)
        if stored is None:
            return []
        matched = built.matched_by or (self.key_columns[0] if self.key_columns else "")
        problems: list[tuple[str, str]] = []
        for key in self.identity_columns:
            if not row.has(key) or row.is_cleared(key):
                continue
            recorded = getattr(stored, self.identity_fields.get(key, key), None)
            if recorded in (None, ""):
                continue
            given = row.get(key)
            if _same_identity(recorded, given):
                continue
            problems.append(
                (
                    key,
                    _(
                        "Row %(row)d: the %(matched)s is that of %(name)s, already recorded, "
                        "whose %(column)s is not “%(value)s”. The row names another person and "
                        "would overwrite this one, so it is refused. Check the row; to correct "
                        "this person's %(column)s, edit the record itself."
                    )
                    % {
                        "row": row.number,
                        "matched": self.header_of(matched) if matched else _("key"),
                        "name": str(stored),
                        "column": self.header_of(key),
                        "value": _display(given, None),
                    },
                )
            )
        return problems

    def changes(self, built: Built) -> list[FieldChange]:
        """Every field an update changes, old → new (the record and its dependent records)."""
        found: list[FieldChange] = []
        if not built.created and built.changed:
            stored = self.stored_of(built)
            if stored is not None:
                found.extend(self.field_changes(stored, built.instance))
                found.extend(self.extra_changes(stored, built))
        for related in built.related:
            if related.created or not related.changed:
                continue
            manager = type(related.instance)._default_manager
            stored_related = manager.filter(pk=related.instance.pk).first()
            if stored_related is None:
                continue
            prefix = str(related.instance._meta.verbose_name)
            found.extend(
                FieldChange(f"{prefix} · {change.label}", change.old, change.new)
                for change in self.field_changes(stored_related, related.instance)
            )
        return found

    def field_changes(self, stored: models.Model, instance: models.Model) -> list[FieldChange]:
        """The editable fields whose values differ between ``stored`` and ``instance``;
        personal fields masked for roles that read personal data masked, protected ones
        (``protected_fields``, such as a staff phone) for every role."""
        masked = not user_sees_personal_data(self.actor)
        personal = set(getattr(type(instance), "personal_fields", ()))
        protected = set(getattr(type(instance), "protected_fields", ()))
        found: list[FieldChange] = []
        for model_field in instance._meta.concrete_fields:
            if not model_field.editable or model_field.primary_key:
                continue
            if model_field.name in self.unlisted_fields:
                continue
            old = getattr(stored, model_field.attname)
            new = getattr(instance, model_field.attname)
            if old == new or (old in (None, "") and new in (None, "")):
                continue
            hide = (masked and model_field.name in personal) or model_field.name in protected
            found.append(
                FieldChange(
                    self.label_of_field(model_field),
                    _display_field(stored, model_field, hide),
                    _display_field(instance, model_field, hide),
                )
            )
        return found

    def label_of_field(self, model_field: Any) -> str:
        """A field as the preview names it: the header of the column that writes it, else the
        field's own name."""
        key = self.column_for_field(model_field.name)
        if key and model_field.model is self.model:
            return self.header_of(key)
        return str(model_field.verbose_name)

    def extra_changes(self, stored: models.Model, built: Built) -> list[FieldChange]:
        """Changes the model's editable fields do not show (encrypted numbers, many-to-many
        relations): override to add them."""
        return []


def _same_identity(recorded: Any, given: Any) -> bool:
    if isinstance(recorded, str) and isinstance(given, str):
        return re.sub(r"\s", "", recorded) == re.sub(r"\s", "", given)
    return bool(recorded == given)


EMPTY = "—"


def _display(value: Any, model_field: Any) -> str:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.date):
        return value.isoformat()
    choices = getattr(model_field, "choices", None) if model_field is not None else None
    if choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


def _display_field(instance: models.Model, model_field: Any, masked: bool) -> str:
    if model_field.is_relation:
        related = getattr(instance, model_field.name, None)
        return EMPTY if related is None else str(related)
    value = getattr(instance, model_field.attname)
    if masked and value not in (None, ""):
        return mask_value(value)
    return _display(value, model_field)


def _model_field(model: type[models.Model], name: str) -> Any:
    try:
        return model._meta.get_field(name)
    except Exception:
        return None
