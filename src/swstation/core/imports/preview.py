"""Checking every row (the preview) and importing them in one transaction (the commit)."""

import logging
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from swstation.core.import_models import ImportJob, ImportStatus
from swstation.core.imports import jobs
from swstation.core.imports.base import Built, FieldChange, Importer, ImportRow
from swstation.core.imports.errors import ImportFileError, RowInvalid
from swstation.core.imports.jobs import _finish, _importer_class
from swstation.core.imports.synonyms import load_synonyms
from swstation.core.imports.workbook import MAX_ROWS, SheetReader, too_many_rows
from swstation.core.scoping import ensure_visible

logger = logging.getLogger(__name__)

# Each limit may be overridden in settings (SWSTATION_IMPORT_MAX_ROWS, ...).
PROGRESS_EVERY: int = getattr(settings, "SWSTATION_IMPORT_PROGRESS_EVERY", 100)
# Rows read, looked up and (by a bulk importer) written together.
CHUNK_ROWS: int = getattr(settings, "SWSTATION_IMPORT_CHUNK_ROWS", 500)
MAX_STORED_ERRORS = 1000
MAX_STORED_CHANGES = 1000


@dataclass
class RunOutcome:
    """What a run found: rows processed, errors (at most MAX_STORED_ERRORS kept, all counted),
    and how many records would be (or were) created, updated or left unchanged."""

    processed: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    error_count: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    related: dict[str, Counter[str]] = field(default_factory=dict)
    # The updates, field by field (at most MAX_STORED_CHANGES rows kept, all counted).
    changes: list[dict[str, Any]] = field(default_factory=list)
    # What was normalised, by (column, what): the rows and a few examples.
    notes: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    # What each valid row does: its number → "create", "update" or "unchanged".
    verbs: dict[int, str] = field(default_factory=dict)

    def add_changes(self, row: ImportRow, record: str, changes: list[FieldChange]) -> None:
        if changes and len(self.changes) < MAX_STORED_CHANGES:
            self.changes.append(
                {
                    "row": row.number,
                    "record": record,
                    "fields": [[c.label, c.old, c.new] for c in changes],
                }
            )

    def add_notes(self, row: ImportRow, importer: Importer) -> None:
        for key, note in row.notes:
            column = importer.header_of(key)
            entry = self.notes.setdefault(
                (column, note.message),
                {"column": column, "message": note.message, "rows": [], "count": 0, "examples": []},
            )
            entry["count"] += 1
            if len(entry["rows"]) < 20 and row.number not in entry["rows"]:
                entry["rows"].append(row.number)
            if (
                note.example
                and len(entry["examples"]) < 3
                and note.example not in entry["examples"]
            ):
                entry["examples"].append(note.example)

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
            "changes": self.changes,
            "notes": list(self.notes.values()),
        }


def _verb(built: Built) -> str:
    return "create" if built.created else "update" if built.changed else "unchanged"


def _saved_instances(built: Built) -> Iterator[models.Model]:
    if built.changed:
        yield built.instance
    for related in built.related:
        if related.changed:
            yield related.instance


def _chunks(rows: Iterable[ImportRow], size: int) -> Iterator[list[ImportRow]]:
    chunk: list[ImportRow] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# What a row's build or save may raise for a problem of the row (reported by row and column).
ROW_PROBLEMS = (RowInvalid, ValidationError, PermissionDenied, IntegrityError)


def _problems_of(
    importer: Importer, row: ImportRow, exc: Exception, unreadable: set[str]
) -> list[tuple[str, str]]:
    if isinstance(exc, RowInvalid):
        return [e for e in exc.errors if e[0] not in unreadable]
    if isinstance(exc, ValidationError):
        return [e for e in importer.validation_errors(exc) if e[0] not in unreadable]
    if isinstance(exc, PermissionDenied):
        return [("", str(exc) or _("This record would be outside your jurisdiction."))]
    logger.info("import row %s conflicts: %s", row.number, exc)
    return [("", _("The row conflicts with a record saved meanwhile; check it again."))]


def _ensure_all_visible(actor: Any, builts: Iterable[Built]) -> None:
    """:func:`ensure_visible` for every record of a chunk, one query per model."""
    by_model: dict[type[models.Model], set[Any]] = {}
    for built in builts:
        for instance in _saved_instances(built):
            by_model.setdefault(type(instance), set()).add(instance.pk)
    for model, pks in by_model.items():
        manager: Any = model._default_manager
        seen = set(
            manager.visible_to(actor, for_write=True)
            .filter(pk__in=pks)
            .values_list("pk", flat=True)
        )
        if pks - seen:
            raise PermissionDenied(_("This record would be outside your jurisdiction."))


def run_rows(
    importer: Importer,
    rows: Iterable[ImportRow],
    *,
    apply: bool,
    progress: Callable[[int], None] = lambda n: None,
    progress_every: int = PROGRESS_EVERY,
    chunk_rows: int | None = None,
) -> RunOutcome:
    """Build (and with ``apply``, save) every row; collect every problem by row and column.

    The rows are taken in chunks of :data:`CHUNK_ROWS`: the importer loads what a chunk's rows
    look up in a few queries (:meth:`Importer.prepare_chunk`), then builds each row. When
    applying, an importer that writes in bulk (``Importer.bulk``) saves the chunk's valid rows
    at once (:meth:`Importer.save_chunk`) inside a savepoint; if that fails, the savepoint is
    rolled back and the chunk's rows are saved one by one, each in a savepoint of its own, so
    that the row at fault is named. Other importers save each row as it is built, in a
    savepoint. After a first problem nothing more is saved (the caller rolls the whole
    transaction back), but every row is still checked, so that all problems are listed.
    """
    actor = importer.actor
    outcome = RunOutcome()
    seen: dict[tuple[str, Hashable], int] = {}
    required = {column.key for column in importer.columns if column.required}
    size = chunk_rows or CHUNK_ROWS
    done = 0
    for chunk in _chunks(rows, size):
        importer.prepare_chunk(chunk)
        bulk = apply and importer.bulk
        checked: list[tuple[ImportRow, Built]] = []
        for row in chunk:
            problems = list(row.errors)
            unreadable = {key for key, _message in problems}
            built: Built | None = None
            # A row with unreadable cells is still built (those cells count as empty) so that
            # the preview lists all of its problems at once; never saved, and not built at
            # all when an identifying (required) cell is missing.
            if not unreadable & required:
                saving = apply and not bulk and not problems and not outcome.error_count
                try:
                    if saving:
                        with transaction.atomic():
                            built = _build(importer, row, seen)
                            importer.save(built, actor)
                            for instance in _saved_instances(built):
                                ensure_visible(actor, instance)
                    else:
                        built = _build(importer, row, seen)
                except ROW_PROBLEMS as exc:
                    problems.extend(_problems_of(importer, row, exc, unreadable))
            if problems:
                for key, message in problems:
                    outcome.add_error(row.number, importer.header_of(key), message)
            elif built is not None:
                for key, value in importer.file_keys(built):
                    seen[(key, value)] = row.number
                importer.remember(built, row)
                checked.append((row, built))
            done += 1
            if done % progress_every == 0:
                progress(done)
        if bulk and checked and not outcome.error_count:
            _save_chunk(importer, checked, outcome)
        for row, built in checked:
            outcome.tally(built)
            outcome.verbs[row.number] = _verb(built)
            outcome.add_notes(row, importer)
            if not apply and not built.created:
                stored = importer.stored_of(built)
                outcome.add_changes(row, str(stored or built.instance), importer.changes(built))
        outcome.processed += len(chunk)
    return outcome


def _build(importer: Importer, row: ImportRow, seen: dict[tuple[str, Hashable], int]) -> Built:
    built = importer.build(row, importer.actor)
    _check_identity(importer, built, row)
    _check_file_keys(importer, built, row, seen)
    return built


def _save_chunk(
    importer: Importer, checked: list[tuple[ImportRow, Built]], outcome: RunOutcome
) -> None:
    """Save a chunk's valid rows at once; if that fails, one by one to name the row at fault
    (each rebuilt: the failed attempt may have changed the records it built)."""
    actor = importer.actor
    builts = [built for _row, built in checked]
    try:
        with transaction.atomic():
            importer.save_chunk(builts, actor)
            _ensure_all_visible(actor, builts)
        return
    except ROW_PROBLEMS as exc:
        logger.info("import chunk saved row by row after: %s", exc)
    importer.prepare_chunk([row for row, _built in checked])
    saved: list[tuple[ImportRow, Built]] = []
    for row, _built in checked:
        try:
            with transaction.atomic():
                built = importer.build(row, actor)
                _check_identity(importer, built, row)
                importer.save(built, actor)
                for instance in _saved_instances(built):
                    ensure_visible(actor, instance)
        except ROW_PROBLEMS as exc:
            for key, message in _problems_of(importer, row, exc, set()):
                outcome.add_error(row.number, importer.header_of(key), message)
            continue
        saved.append((row, built))
    checked[:] = saved


def _check_identity(importer: Importer, built: Built, row: ImportRow) -> None:
    conflicts = importer.identity_conflicts(built, row)
    if conflicts:
        raise RowInvalid(conflicts)


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


def open_job_file(job: ImportJob, importer_class: type[Importer]) -> SheetReader:
    """The job's file, read as the user chose (its sheet, its columns) with the city's
    synonyms as they are now."""
    return SheetReader(
        importer_class,
        job.file_content(),
        sheet=job.sheet,
        mapping=job.column_map or {},
        synonyms=load_synonyms(),
    )


def _allowed_importer(job: ImportJob) -> type[Importer] | None:
    """The importer of ``job`` if its author may (still) import those records; otherwise the
    job fails saying so, and None. Checked again when a check or an import runs: a role may
    have changed since the upload."""
    importer_class = _importer_class(job)
    if not importer_class.actor_may_import(job.created_by):
        _finish(job, ImportStatus.FAILED, message=_("Your role may not import these records."))
        return None
    return importer_class


def run_validation(job: ImportJob) -> None:
    """Check every row of ``job``'s file and record what an import would do, or every error."""
    importer_class = _allowed_importer(job)
    if importer_class is None:
        return
    actor = job.created_by
    try:
        reader = open_job_file(job, importer_class)
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
        over = reader.more_rows_than(MAX_ROWS)
        if over is not None:
            too_many = too_many_rows(over, exact=False)
            total = over
            _finish(
                job,
                ImportStatus.INVALID,
                total_rows=total,
                error_count=1,
                message=too_many,
                errors=[{"row": None, "column": "", "message": too_many}],
            )
            return
        # The progress bar's total (the rows read at the end replace it).
        hint = reader.size_hint()
        job.total_rows = hint if hint is not None else reader.count_rows()
        job.save(update_fields=["total_rows", "updated_at"])
        importer = importer_class(actor)
        importer.prepare(reader.present)
        outcome = run_rows(
            importer, reader.rows(), apply=False, progress=lambda n: jobs._save_progress(job.pk, n)
        )
        plan = {**outcome.summary(), **reader.summary()}
    finally:
        reader.close()
    _finish(
        job,
        ImportStatus.INVALID if outcome.error_count else ImportStatus.VALID,
        processed_rows=outcome.processed,
        total_rows=outcome.processed,
        errors=outcome.errors,
        error_count=outcome.error_count,
        plan=plan,
    )


class _Rollback(Exception):
    pass


def run_apply(job: ImportJob) -> None:
    """Import every row of ``job``'s file in one transaction; all or nothing."""
    importer_class = _allowed_importer(job)
    if importer_class is None:
        return
    actor = job.created_by
    try:
        reader = open_job_file(job, importer_class)
    except ImportFileError as exc:
        _finish(job, ImportStatus.FAILED, message=exc.message)
        return
    outcome = RunOutcome()
    try:
        with jobs.ProgressConnection(), transaction.atomic():
            importer = importer_class(actor)
            importer.prepare(reader.present)
            outcome = run_rows(
                importer,
                reader.rows(),
                apply=True,
                progress=lambda n: jobs._save_progress(job.pk, n),
            )
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
