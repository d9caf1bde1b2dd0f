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

# The package's modules, from the bottom up: errors, cells (columns and cell values), base (the
# Importer class, rows), workbook (reading the file), jobs (the ImportJob record), preview (the
# check and the commit of the rows), tasks (the background tasks and the calls that queue them),
# template (the template workbook). Callers import the public names from here.
from swstation.core.imports.base import Built, Importer, ImportRow, model_values
from swstation.core.imports.cells import (
    Column,
    ColumnKind,
    normalise_header,
    parse_bool_cell,
    parse_date_cell,
)
from swstation.core.imports.errors import CellError, ImportFileError, RowInvalid
from swstation.core.imports.jobs import (
    ENDED,
    STALE_AFTER,
    cancel_import,
    expire_abandoned_jobs,
    expire_stale,
    expiry_hours,
    import_job_for_user,
    import_url_for,
    recent_jobs,
)
from swstation.core.imports.preview import (
    MAX_ROWS,
    MAX_STORED_ERRORS,
    PROGRESS_EVERY,
    RunOutcome,
    run_apply,
    run_rows,
    run_validation,
)
from swstation.core.imports.tasks import (
    apply_import,
    expire_import_jobs,
    start_apply,
    start_import,
    start_validation,
    tasks_run_in_request,
    validate_import,
)
from swstation.core.imports.template import describe_values, template_workbook
from swstation.core.imports.workbook import (
    HEADER_SCAN_ROWS,
    MAX_BYTES,
    FormulaCell,
    SheetReader,
    check_upload,
)

__all__ = [
    "ENDED",
    "HEADER_SCAN_ROWS",
    "MAX_BYTES",
    "MAX_ROWS",
    "MAX_STORED_ERRORS",
    "PROGRESS_EVERY",
    "STALE_AFTER",
    "Built",
    "CellError",
    "Column",
    "ColumnKind",
    "FormulaCell",
    "ImportFileError",
    "ImportRow",
    "Importer",
    "RowInvalid",
    "RunOutcome",
    "SheetReader",
    "apply_import",
    "cancel_import",
    "check_upload",
    "describe_values",
    "expire_abandoned_jobs",
    "expire_import_jobs",
    "expire_stale",
    "expiry_hours",
    "import_job_for_user",
    "import_url_for",
    "model_values",
    "normalise_header",
    "parse_bool_cell",
    "parse_date_cell",
    "recent_jobs",
    "run_apply",
    "run_rows",
    "run_validation",
    "start_apply",
    "start_import",
    "start_validation",
    "tasks_run_in_request",
    "template_workbook",
    "validate_import",
]
