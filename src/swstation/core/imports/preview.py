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
from swstation.core.imports.workbook import SheetReader
from swstation.core.scoping import ensure_visible

logger = logging.getLogger(__name__)

# Each limit may be overridden in settings (SWSTATION_IMPORT_MAX_ROWS, ...).
MAX_ROWS: int = getattr(settings, "SWSTATION_IMPORT_MAX_ROWS", 50_000)
PROGRESS_EVERY: int = getattr(settings, "SWSTATION_IMPORT_PROGRESS_EVERY", 100)
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
                        _check_identity(importer, built, row)
                        _check_file_keys(importer, built, row, seen)
                        importer.save(built, actor)
                        for instance in _saved_instances(built):
                            ensure_visible(actor, instance)
                else:
                    built = importer.build(row, actor)
                    _check_identity(importer, built, row)
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
            outcome.verbs[row.number] = _verb(built)
            outcome.add_notes(row, importer)
            if not apply and not built.created:
                stored = importer.stored_of(built)
                outcome.add_changes(row, str(stored or built.instance), importer.changes(built))
        outcome.processed += 1
        if outcome.processed % progress_every == 0:
            progress(outcome.processed)
    return outcome


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


def run_validation(job: ImportJob) -> None:
    """Check every row of ``job``'s file and record what an import would do, or every error."""
    importer_class = _importer_class(job)
    actor = job.created_by
    if not importer_class.actor_may_import(actor):
        _finish(job, ImportStatus.FAILED, message=_("Your role may not import these records."))
        return
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
    importer_class = _importer_class(job)
    actor = job.created_by
    if not importer_class.actor_may_import(actor):
        _finish(job, ImportStatus.FAILED, message=_("Your role may not import these records."))
        return
    try:
        reader = open_job_file(job, importer_class)
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
