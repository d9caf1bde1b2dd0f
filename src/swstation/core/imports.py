"""Bulk import of .xlsx files: the machinery shared by every importer.

architecture.md: "an import checks every row and rolls the whole file back on one violation".
The flow, for any model that declares an :class:`Importer`:

1. **Upload** (:func:`check_upload`): an .xlsx file of at most :data:`MAX_BYTES`, whose sheet
   has the importer's column headers in one of its first rows. A wrong file type or a missing
   column is refused at once, with a message saying which.
2. **Check** (:func:`validate_import`, a ``django.tasks`` task): every row is parsed and built
   into an unsaved record (the importer's :meth:`Importer.build`: field parsing, lookups of
   related records inside the actor's jurisdiction, ``full_clean``). Nothing is written but the
   job's progress counters, every :data:`PROGRESS_EVERY` rows, so that a page can show how far
   it has got. The job ends *valid* (with what would be created, updated or left unchanged) or
   *invalid* (with every problem as ``{row, column, message}``, the row as Excel numbers it).
3. **Apply** (:func:`apply_import`, a task too): the whole file again, in ONE transaction: each
   row is re-built (the data may have changed since the check), saved with the actor as the
   history's author and re-checked with :func:`~swstation.core.scoping.ensure_visible`. One
   failing row and the transaction is rolled back: nothing is saved and the job says why.

An importer declares its columns as the bureaus write them (Chinese headers; the file format
is Chinese whatever the interface language), which of them identify an existing record (its
``key``), and ``build``. Parsing is tolerant: extra columns are ignored, headers are matched
without spaces, asterisks or full-width brackets, dates may be Excel dates or YYYY-MM-DD text,
yes/no cells say 是/否.
"""

import logging
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from io import BytesIO
from typing import Any, ClassVar, Literal

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.http import Http404
from django.tasks import task
from django.tasks.backends.immediate import ImmediateBackend
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from swstation.core.actors import Actor, history_user
from swstation.core.export import safe_cell, safe_row
from swstation.core.history import record_author
from swstation.core.import_models import ImportJob, ImportStatus
from swstation.core.permissions import user_can
from swstation.core.scoping import ensure_visible

logger = logging.getLogger(__name__)

# Limits; each may be overridden in settings (SWSTATION_IMPORT_MAX_BYTES, ...).
MAX_BYTES: int = getattr(settings, "SWSTATION_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
MAX_ROWS: int = getattr(settings, "SWSTATION_IMPORT_MAX_ROWS", 50_000)
PROGRESS_EVERY: int = getattr(settings, "SWSTATION_IMPORT_PROGRESS_EVERY", 100)
MAX_STORED_ERRORS = 1000
# A running job whose counters have not moved for this long is taken for dead.
STALE_AFTER = timedelta(minutes=getattr(settings, "SWSTATION_IMPORT_STALE_MINUTES", 15))
HEADER_SCAN_ROWS = 20

ColumnKind = Literal["text", "date", "bool", "choice", "phone"]

_YES = frozenset({"是", "有", "y", "yes", "true", "1", "√", "✓"})
_NO = frozenset({"否", "无", "没有", "n", "no", "false", "0", "×", "✗"})
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
)
_EXCEL_EPOCH = datetime(1899, 12, 30)


# --- errors -------------------------------------------------------------------------------


class ImportFileError(Exception):
    """The file as a whole cannot be imported (wrong type, too big, columns missing)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CellError(Exception):
    """A cell's value cannot be read as its column's type."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RowInvalid(Exception):
    """A row cannot be imported; ``errors`` are (column key or "", message) pairs."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(message for _column, message in errors))
        self.errors = errors


# --- columns and cells --------------------------------------------------------------------


def normalise_header(value: Any) -> str:
    """A header as compared: no spaces or required-markers, ASCII brackets."""
    text = "" if value is None else str(value)
    text = text.replace("（", "(").replace("）", ")").replace("＊", "*")
    return re.sub(r"[\s*:：]", "", text)


def _cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


@dataclass(frozen=True)
class Column:
    """One column of an import file.

    ``header`` is the column title as the bureaus write it (Chinese, matched without spaces,
    asterisks or full-width brackets); ``aliases`` are other titles meaning the same.
    ``required``: the header must be present and every row must fill it. ``choices`` are
    (label, value) pairs: a cell may hold any label or the value itself; the first label of a
    value is the one shown in templates and messages.
    """

    header: str
    key: str
    kind: ColumnKind = "text"
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    aliases: tuple[str, ...] = ()
    help: str | Promise = ""

    def headers(self) -> tuple[str, ...]:
        return (self.header, *self.aliases)

    def labels(self) -> list[str]:
        """The first label of each value, in order (for messages and the template)."""
        shown: dict[str, str] = {}
        for label, value in self.choices:
            shown.setdefault(value, label)
        return list(shown.values())

    def parse(self, value: Any) -> Any:
        """The cell's value as this column's type; None for an empty cell."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if self.kind == "date":
            return parse_date_cell(value)
        if self.kind == "bool":
            return parse_bool_cell(value)
        text = _cell_text(value)
        if self.kind == "phone":
            return re.sub(r"[\s\-－]", "", text)
        if self.kind == "choice":
            return self._parse_choice(text)
        return text

    def _parse_choice(self, text: str) -> str:
        wanted = normalise_header(text).lower()
        for label, value in self.choices:
            if wanted in (normalise_header(label).lower(), value.lower()):
                return value
        raise CellError(
            _("“%(value)s” is not one of: %(choices)s.")
            % {"value": text, "choices": "、".join(self.labels())}
        )


def parse_date_cell(value: Any) -> date:
    """An Excel date, an Excel serial number, or text as YYYY-MM-DD (or / . 年月日)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2958466:
        return (_EXCEL_EPOCH + timedelta(days=int(value))).date()
    text = _cell_text(value)
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                break
    raise CellError(
        _("“%(value)s” is not a date: write it as YYYY-MM-DD or enter an Excel date.")
        % {"value": text}
    )


def parse_bool_cell(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = _cell_text(value).lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellError(_("“%(value)s” is neither 是 nor 否.") % {"value": _cell_text(value)})


# --- rows ---------------------------------------------------------------------------------


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


# --- reading the workbook -----------------------------------------------------------------


@dataclass(frozen=True)
class FormulaCell:
    """A cell holding a formula (its text). Every importer refuses it: the value Excel last
    calculated may be missing (a file written by a program, or never recalculated) or stale,
    and the import must not guess."""

    formula: str


def _cell_value(cell: Any) -> Any:
    if getattr(cell, "data_type", None) == "f":
        value = cell.value
        return FormulaCell(str(getattr(value, "text", value) or ""))
    return cell.value


def _open_workbook(content: bytes) -> Any:
    # data_only=False: formulas are read as formulas (data type "f"), so that they can be
    # refused, instead of as their cached results.
    try:
        return load_workbook(BytesIO(content), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise ImportFileError(
            _("The file could not be read as an Excel workbook (.xlsx); it may be damaged.")
        ) from exc
    except Exception as exc:  # openpyxl's InvalidFileException and parser errors
        raise ImportFileError(
            _("The file could not be read as an Excel workbook (.xlsx); it may be damaged.")
        ) from exc


class SheetReader:
    """The sheet of a workbook holding an importer's columns, read row by row (read-only
    streaming, so that memory stays flat whatever the file's size)."""

    def __init__(self, importer_class: type[Importer], content: bytes) -> None:
        self.importer_class = importer_class
        self.workbook = _open_workbook(content)
        by_header: dict[str, Column] = {}
        for column in importer_class.columns:
            for header in column.headers():
                by_header[normalise_header(header)] = column
        best: tuple[int, Any, int, dict[str, int]] | None = None
        for sheet in self.workbook.worksheets:
            if not hasattr(sheet, "iter_rows"):
                continue  # a chart sheet
            for number, values in enumerate(
                sheet.iter_rows(min_row=1, max_row=HEADER_SCAN_ROWS, values_only=True), start=1
            ):
                positions: dict[str, int] = {}
                for index, value in enumerate(values):
                    found = by_header.get(normalise_header(value))
                    if found is not None and found.key not in positions:
                        positions[found.key] = index
                if positions and (best is None or len(positions) > best[0]):
                    best = (len(positions), sheet, number, positions)
        if best is None:
            raise ImportFileError(
                _(
                    "No row of the file holds the expected column headers (%(columns)s). "
                    "Download the template to see the layout."
                )
                % {"columns": "、".join(c.header for c in importer_class.columns if c.required)}
            )
        _count, self.sheet, self.header_row, self.positions = best
        missing = [c.header for c in importer_class.columns if c.required and c.key not in best[3]]
        for group in importer_class.required_any:
            if not any(key in self.positions for key in group):
                missing.append(" / ".join(importer_class.column(key).header for key in group))
        if missing:
            raise ImportFileError(
                _(
                    "The file lacks the columns: %(columns)s. "
                    "Download the template to see the layout."
                )
                % {"columns": "、".join(missing)}
            )
        self.present = frozenset(self.positions)

    def _data(self) -> Iterator[tuple[int, tuple[Any, ...]]]:
        rows = self.sheet.iter_rows(min_row=self.header_row + 1)
        for number, cells in enumerate(rows, start=self.header_row + 1):
            values = tuple(_cell_value(cell) for cell in cells)
            if any(v is not None and not (isinstance(v, str) and not v.strip()) for v in values):
                yield number, values

    def count(self) -> int:
        return sum(1 for _row in self._data())

    def rows(self) -> Iterator[ImportRow]:
        columns = {c.key: c for c in self.importer_class.columns}
        for number, values in self._data():
            parsed: dict[str, Any] = {}
            errors: list[tuple[str, str]] = []
            for key, index in self.positions.items():
                raw = values[index] if index < len(values) else None
                if isinstance(raw, FormulaCell):
                    errors.append(
                        (
                            key,
                            _(
                                "Row %(row)d, column “%(column)s”, holds a formula: type the "
                                "value itself (text, a number or a date), not a formula."
                            )
                            % {"row": number, "column": columns[key].header},
                        )
                    )
                    continue
                try:
                    value = columns[key].parse(raw)
                except CellError as exc:
                    errors.append((key, exc.message))
                    continue
                if value is not None:
                    parsed[key] = value
                elif columns[key].required:
                    errors.append((key, _("This column must be filled in.")))
            yield ImportRow(number=number, values=parsed, present=self.present, errors=errors)

    def close(self) -> None:
        self.workbook.close()


def check_upload(importer_class: type[Importer], upload: UploadedFile) -> bytes:
    """The uploaded file's bytes if it is an .xlsx of acceptable size holding the importer's
    columns and at least one row; :class:`ImportFileError` saying what is wrong otherwise."""
    name = (upload.name or "").lower()
    if not name.endswith(".xlsx"):
        if name.endswith((".xls", ".csv", ".et", ".wps")):
            raise ImportFileError(
                _(
                    "Only Excel workbooks (.xlsx) can be imported. Open the file in Excel or "
                    "WPS and save it as “Excel workbook (*.xlsx)” first."
                )
            )
        raise ImportFileError(_("Only Excel workbooks (.xlsx) can be imported."))
    size = upload.size or 0
    if size > MAX_BYTES:
        raise ImportFileError(
            _("The file is %(size)s MB; at most %(limit)s MB can be imported at once. Split it.")
            % {"size": f"{size / 1024 / 1024:.1f}", "limit": f"{MAX_BYTES / 1024 / 1024:g}"}
        )
    content = b"".join(upload.chunks())
    reader = SheetReader(importer_class, content)
    try:
        if next(reader.rows(), None) is None:
            raise ImportFileError(_("The file has its column headers but no rows of data."))
    finally:
        reader.close()
    return content


# --- running the rows ---------------------------------------------------------------------


@dataclass
class RunOutcome:
    """What a run found: rows processed, errors (at most MAX_STORED_ERRORS kept, all counted),
    and how many records would be (or were) created, updated or left unchanged."""

    processed: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    error_count: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    related: dict[str, Counter[str]] = field(default_factory=dict)

    def add_error(self, row: int | None, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_STORED_ERRORS:
            self.errors.append({"row": row, "column": column, "message": message})

    def tally(self, built: Built) -> None:
        self.counts[_verb(built)] += 1
        for related in built.related:
            if related.created or related.changed:
                name = str(related.instance._meta.verbose_name_plural)
                self.related.setdefault(name, Counter())[_verb(related)] += 1

    def summary(self, *, done: bool = False) -> dict[str, Any]:
        """JSON for the job. A check's plan: {"create": n, "update": n, "unchanged": n,
        "related": [{"name": ..., "create": n, "update": n}]}; an import's result the same with
        "created", "updated" (``done``)."""
        create, update = ("created", "updated") if done else ("create", "update")
        return {
            create: self.counts["create"],
            update: self.counts["update"],
            "unchanged": self.counts["unchanged"],
            "related": [
                {"name": name, create: counts["create"], update: counts["update"]}
                for name, counts in self.related.items()
            ],
        }


def _verb(built: Built) -> str:
    return "create" if built.created else "update" if built.changed else "unchanged"


def _saved_instances(built: Built) -> Iterator[models.Model]:
    if built.changed:
        yield built.instance
    for related in built.related:
        if related.changed:
            yield related.instance


def run_rows(
    importer: Importer,
    rows: Iterable[ImportRow],
    *,
    apply: bool,
    progress: Callable[[int], None] = lambda n: None,
    progress_every: int = PROGRESS_EVERY,
) -> RunOutcome:
    """Build (and with ``apply``, save) every row; collect every problem by row and column.

    When applying, each row is saved inside a savepoint so that a database error on one row
    (say, a record another user saved meanwhile) is reported for that row and the others are
    still checked; the caller rolls the whole transaction back if there is any error.
    """
    actor = importer.actor
    outcome = RunOutcome()
    seen: dict[tuple[str, Hashable], int] = {}
    required = {column.key for column in importer.columns if column.required}
    for row in rows:
        problems = list(row.errors)
        unreadable = {key for key, _message in problems}
        built: Built | None = None
        # A row with unreadable cells is still built (those cells count as empty) so that the
        # preview lists all of its problems at once; never saved, and not built at all when an
        # identifying (required) cell is missing.
        if not unreadable & required:
            try:
                if apply and not problems:
                    with transaction.atomic():
                        built = importer.build(row, actor)
                        _check_file_keys(importer, built, row, seen)
                        importer.save(built, actor)
                        for instance in _saved_instances(built):
                            ensure_visible(actor, instance)
                else:
                    built = importer.build(row, actor)
                    _check_file_keys(importer, built, row, seen)
            except RowInvalid as exc:
                problems.extend(e for e in exc.errors if e[0] not in unreadable)
            except ValidationError as exc:
                problems.extend(
                    e for e in importer.validation_errors(exc) if e[0] not in unreadable
                )
            except PermissionDenied as exc:
                problems.append(
                    ("", str(exc) or _("This record would be outside your jurisdiction."))
                )
            except IntegrityError as exc:
                logger.info("import row %s conflicts: %s", row.number, exc)
                problems.append(
                    ("", _("The row conflicts with a record saved meanwhile; check it again."))
                )
        if problems:
            for key, message in problems:
                outcome.add_error(row.number, importer.header_of(key), message)
        elif built is not None:
            for key, value in importer.file_keys(built):
                seen[(key, value)] = row.number
            importer.remember(built, row)
            outcome.tally(built)
        outcome.processed += 1
        if outcome.processed % progress_every == 0:
            progress(outcome.processed)
    return outcome


def _check_file_keys(
    importer: Importer, built: Built, row: ImportRow, seen: dict[tuple[str, Hashable], int]
) -> None:
    duplicates = [
        (key, _("Same as row %(row)d of this file.") % {"row": seen[(key, value)]})
        for key, value in importer.file_keys(built)
        if (key, value) in seen
    ]
    if duplicates:
        raise RowInvalid(duplicates)


# --- jobs ---------------------------------------------------------------------------------


def _save_progress(job_id: int, processed: int) -> None:
    """Record how far a check has got (its own statement, so a polling page sees it)."""
    ImportJob.objects.filter(pk=job_id).update(processed_rows=processed, updated_at=timezone.now())


# Once a job is in one of these, its file can never be applied: it is deleted.
ENDED: frozenset[str] = frozenset(
    {ImportStatus.DONE, ImportStatus.INVALID, ImportStatus.FAILED, ImportStatus.CANCELLED}
)


def _finish(job: ImportJob, status: str, **changes: Any) -> None:
    """Record the end of a step. A job that cannot be applied any more drops its file."""
    job.status = status
    job.finished_at = timezone.now()
    fields = {"status", "finished_at", "updated_at", *changes}
    for name, value in changes.items():
        setattr(job, name, value)
    if status in ENDED:
        job.content = b""
        fields.add("content")
    job.save(update_fields=sorted(fields))


def _importer_class(job: ImportJob) -> type[Importer]:
    cls: type[Importer] = import_string(job.importer)
    return cls


def run_validation(job: ImportJob) -> None:
    """Check every row of ``job``'s file and record what an import would do, or every error."""
    importer_class = _importer_class(job)
    actor = job.created_by
    if not importer_class.actor_may_import(actor):
        _finish(job, ImportStatus.FAILED, message=_("Your role may not import these records."))
        return
    try:
        reader = SheetReader(importer_class, job.file_content())
    except ImportFileError as exc:
        _finish(
            job,
            ImportStatus.INVALID,
            message=exc.message,
            errors=[{"row": None, "column": "", "message": exc.message}],
            error_count=1,
        )
        return
    try:
        total = reader.count()
        if total > MAX_ROWS:
            too_many = _(
                "The file has %(rows)d rows; at most %(limit)d can be imported at once. Split it."
            ) % {"rows": total, "limit": MAX_ROWS}
            _finish(
                job,
                ImportStatus.INVALID,
                total_rows=total,
                error_count=1,
                message=too_many,
                errors=[{"row": None, "column": "", "message": too_many}],
            )
            return
        job.total_rows = total
        job.save(update_fields=["total_rows", "updated_at"])
        importer = importer_class(actor)
        importer.prepare(reader.present)
        outcome = run_rows(
            importer, reader.rows(), apply=False, progress=lambda n: _save_progress(job.pk, n)
        )
    finally:
        reader.close()
    _finish(
        job,
        ImportStatus.INVALID if outcome.error_count else ImportStatus.VALID,
        processed_rows=outcome.processed,
        total_rows=outcome.processed,
        errors=outcome.errors,
        error_count=outcome.error_count,
        plan=outcome.summary(),
    )


class _Rollback(Exception):
    pass


def run_apply(job: ImportJob) -> None:
    """Import every row of ``job``'s file in one transaction; all or nothing."""
    importer_class = _importer_class(job)
    actor = job.created_by
    if not importer_class.actor_may_import(actor):
        _finish(job, ImportStatus.FAILED, message=_("Your role may not import these records."))
        return
    try:
        reader = SheetReader(importer_class, job.file_content())
    except ImportFileError as exc:
        _finish(job, ImportStatus.FAILED, message=exc.message)
        return
    outcome = RunOutcome()
    try:
        with transaction.atomic():
            importer = importer_class(actor)
            importer.prepare(reader.present)
            outcome = run_rows(importer, reader.rows(), apply=True)
            if outcome.error_count:
                raise _Rollback
    except _Rollback:
        _finish(
            job,
            ImportStatus.FAILED,
            errors=outcome.errors,
            error_count=outcome.error_count,
            processed_rows=outcome.processed,
            message=_(
                "Nothing was saved: %(count)d problems were found while importing (the records "
                "may have changed since the check)."
            )
            % {"count": outcome.error_count},
        )
        return
    finally:
        reader.close()
    _finish(
        job,
        ImportStatus.DONE,
        processed_rows=outcome.processed,
        result=outcome.summary(done=True),
        errors=[],
        error_count=0,
        message="",
    )


def _run_task(job_id: int, step: Callable[[ImportJob], None], claim: tuple[str, str]) -> str:
    """Run ``step`` on the job if its status moves from ``claim[0]`` to ``claim[1]`` in one
    statement now: two deliveries of the same task (or two clicks) run it once."""
    before, after = claim
    if before != after:
        claimed = ImportJob.objects.filter(pk=job_id, status=before).update(
            status=after, updated_at=timezone.now()
        )
    else:
        claimed = ImportJob.objects.filter(pk=job_id, status=before).count()
    job = ImportJob.objects.select_related("created_by").filter(pk=job_id).first()
    if not claimed or job is None:
        return "skipped"
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            step(job)
        except Exception:
            logger.exception(
                "import job %s (%s, user %s) failed", job.pk, job.importer, job.created_by_id
            )
            _finish(
                job,
                ImportStatus.FAILED,
                message=_("The import stopped on an unexpected error; nothing was saved."),
            )
    return str(job.status)


@task
def validate_import(job_id: int) -> str:
    """Background check of an uploaded file (see :func:`run_validation`)."""
    return _run_task(job_id, run_validation, (ImportStatus.PENDING, ImportStatus.VALIDATING))


@task
def apply_import(job_id: int) -> str:
    """Background import of a checked file (see :func:`run_apply`)."""
    return _run_task(job_id, run_apply, (ImportStatus.APPLYING, ImportStatus.APPLYING))


def tasks_run_in_request() -> bool:
    """Whether the task backend runs a task inside the call that queues it (Django's default
    ImmediateBackend). Then the check is started by a request of its own from the job page, so
    that the page's polling requests can show its progress meanwhile."""
    return isinstance(validate_import.get_backend(), ImmediateBackend)


def start_import(
    importer_class: type[Importer], *, actor: Actor, file_name: str, content: bytes, route: str
) -> ImportJob:
    """Record an uploaded file as a job and queue its check.

    The job is saved (and, outside a transaction, committed) before the task is queued, so a
    worker in another process finds it. With a backend that runs tasks in the request, the
    check is left to :func:`start_validation`, called from the job page.
    """
    job = ImportJob(
        importer=importer_class.dotted_path(),
        route=route,
        created_by=history_user(actor),
        file_name=file_name[:255],
        language=translation.get_language() or "",
    )
    job.store_file(content)  # encrypted: the clear file never reaches the database
    job.save()
    # Every upload also queues the cleanup of files abandoned by earlier uploads.
    expire_import_jobs.enqueue()
    if not tasks_run_in_request():
        validate_import.enqueue(job.pk)
    return job


def cancel_import(job: ImportJob) -> bool:
    """Cancel a job waiting for its check or checked and not imported: its file is deleted.
    False if the job is running or has already ended."""
    now = timezone.now()
    with translation.override(job.language or settings.LANGUAGE_CODE):
        message = _("The file was deleted and nothing was imported.")
    cancelled = ImportJob.objects.filter(
        pk=job.pk, status__in=(ImportStatus.PENDING, ImportStatus.VALID)
    ).update(
        status=ImportStatus.CANCELLED, content=b"", finished_at=now, updated_at=now, message=message
    )
    job.refresh_from_db()
    return bool(cancelled)


def expiry_hours() -> int:
    return int(getattr(settings, "IMPORT_JOB_EXPIRY_HOURS", 24))


def expire_abandoned_jobs() -> int:
    """End every job untouched for ``IMPORT_JOB_EXPIRY_HOURS`` that could still be applied (a
    file checked but never imported, or still waiting for its check) and delete its file; an
    import still "running" after that long died with its process and is marked failed. Files
    left on jobs that ended (none should be) are deleted too. The number of jobs ended.

    Each job is ended by a conditional update (its status and age as read), so a job that moves
    on meanwhile is left alone."""
    hours = expiry_hours()
    now = timezone.now()
    cutoff = now - timedelta(hours=hours)
    abandoned = ImportJob.objects.filter(
        status__in=(
            ImportStatus.PENDING,
            ImportStatus.VALIDATING,
            ImportStatus.VALID,
            ImportStatus.APPLYING,
        ),
        updated_at__lt=cutoff,
    ).values_list("pk", "status", "language")
    ended = 0
    for pk, status, language in abandoned:
        with translation.override(language or settings.LANGUAGE_CODE):
            if status == ImportStatus.APPLYING:
                new_status = ImportStatus.FAILED
                message = _(
                    "The import stopped without finishing (the server may have restarted); "
                    "nothing was saved. Upload the file again."
                )
            else:
                new_status = ImportStatus.CANCELLED
                message = _(
                    "The file was not imported within %(hours)d hours, so it was deleted. "
                    "Upload it again to import it."
                ) % {"hours": hours}
        ended += ImportJob.objects.filter(pk=pk, status=status, updated_at__lt=cutoff).update(
            status=new_status, content=b"", message=message, finished_at=now, updated_at=now
        )
    leftover = ImportJob.objects.filter(status__in=ENDED).exclude(content=b"")
    leftover.update(content=b"")
    if ended:
        logger.info("expired %d abandoned import jobs", ended)
    return ended


@task(backend="background")
def expire_import_jobs() -> int:
    """Background cleanup of abandoned import files (see :func:`expire_abandoned_jobs`),
    queued with every upload; ``python -m swstation expire_import_jobs`` runs it from cron."""
    return expire_abandoned_jobs()


def start_validation(job: ImportJob) -> None:
    """Run (or queue) the check of a job that has not started yet; a no-op otherwise."""
    if job.status == ImportStatus.PENDING:
        validate_import.enqueue(job.pk)
        job.refresh_from_db()


def expire_stale(job: ImportJob) -> None:
    """A check whose counters have not moved for :data:`STALE_AFTER`, or an import running for
    four times as long (it records no progress inside its transaction), died with its process
    (a server restart, a request timeout): say so rather than poll forever. A job still waiting
    for a worker is left alone."""
    limits = {ImportStatus.VALIDATING: STALE_AFTER, ImportStatus.APPLYING: STALE_AFTER * 4}
    limit = limits.get(ImportStatus(job.status)) if job.status in limits else None
    if limit is not None and job.updated_at < timezone.now() - limit:
        _finish(
            job,
            ImportStatus.FAILED,
            message=_(
                "The import stopped without finishing (the server may have restarted); "
                "nothing was saved. Upload the file again."
            ),
        )


def start_apply(job: ImportJob) -> bool:
    """Queue the import of a checked job; False if it is not (or no longer) ready. The status
    moves from valid to applying in one statement, so a double click imports once."""
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.VALID).update(
        status=ImportStatus.APPLYING, processed_rows=0, updated_at=timezone.now()
    )
    if not claimed:
        return False
    apply_import.enqueue(job.pk)
    job.refresh_from_db()
    return True


def import_job_for_user(user: Actor, job_id: int, importer_class: type[Importer]) -> ImportJob:
    """The job if ``user`` uploaded it (jobs are private to their author); 404 otherwise."""
    job = (
        ImportJob.objects.filter(
            pk=job_id, created_by=history_user(user), importer=importer_class.dotted_path()
        )
        .defer("content")
        .first()
    )
    if job is None:
        raise Http404(_("No such import."))
    return job


def recent_jobs(user: Actor, importer_class: type[Importer], limit: int = 5) -> list[ImportJob]:
    return list(
        ImportJob.objects.filter(
            created_by=history_user(user), importer=importer_class.dotted_path()
        ).defer("content")[:limit]
    )


def import_url_for(user: Actor, model: type[models.Model]) -> str | None:
    """The model's import page if it has one and ``user`` may import (for a list page's
    button); None otherwise."""
    if not (user_can(user, "add", model) and user_can(user, "change", model)):
        return None
    try:
        return reverse(f"{model._meta.app_label}:{model._meta.model_name}_import")
    except NoReverseMatch:
        return None


# --- the template workbook ----------------------------------------------------------------


def template_workbook(importer_class: type[Importer]) -> bytes:
    """An empty workbook with the importer's headers (drop-down lists for choice and yes/no
    columns) and a sheet explaining each column; generated, never committed as a binary."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = (str(importer_class.title) or "Sheet1")[:31]
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FFF2CC")
    for index, column in enumerate(importer_class.columns, start=1):
        cell = sheet.cell(row=1, column=index, value=safe_cell(column.header))
        cell.font = bold
        if column.required:
            cell.fill = required_fill
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, len(column.header) * 2 + 4)
        options = column.labels() if column.kind == "choice" else []
        if column.kind == "bool":
            options = ["是", "否"]
        formula = '"' + ",".join(options) + '"'
        if options and len(formula) <= 255:
            validation = DataValidation(type="list", formula1=formula, allow_blank=True)
            validation.add(f"{letter}2:{letter}5000")
            sheet.add_data_validation(validation)
        if column.kind == "date":
            for row in range(2, 201):
                sheet.cell(row=row, column=index).number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet(_("Instructions")[:31])
    notes.append(safe_row([_("Column"), _("Required"), _("Accepted values"), _("Notes")]))
    for cell in notes[1]:
        cell.font = bold
    for column in importer_class.columns:
        notes.append(
            safe_row(
                [
                    column.header,
                    _("yes") if column.required else "",
                    describe_values(column),
                    str(column.help),
                ]
            )
        )
    notes.append([])
    if importer_class.key_help:
        notes.append(safe_row([_("Existing records"), "", "", str(importer_class.key_help)]))
    notes.append(
        safe_row(
            [
                _("Rules"),
                "",
                "",
                _(
                    "Keep the headers in the first row. Columns may be in any order; other columns "
                    "are ignored. An empty cell leaves an existing record's value as it is. The "
                    "whole file is imported only if every row is valid."
                ),
            ]
        )
    )
    for letter, width in zip("ABCD", (22, 8, 50, 70), strict=True):
        notes.column_dimensions[letter].width = width
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def describe_values(column: Column) -> str:
    if column.kind == "choice":
        return "、".join(column.labels())
    if column.kind == "bool":
        return _("是 or 否")
    if column.kind == "date":
        return _("a date: YYYY-MM-DD or an Excel date")
    return ""
