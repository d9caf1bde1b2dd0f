"""The import's tasks (check, import, cleanup) and the calls that queue them."""

import logging
from collections.abc import Callable

from django.conf import settings
from django.tasks import task
from django.tasks.backends.immediate import ImmediateBackend
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from swstation.core.actors import Actor, history_user
from swstation.core.import_models import ImportJob, ImportStatus
from swstation.core.imports.base import Importer
from swstation.core.imports.jobs import _finish, expire_abandoned_jobs
from swstation.core.imports.preview import run_apply, run_validation

logger = logging.getLogger(__name__)


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


@task(backend="imports")
def validate_import(job_id: int) -> str:
    """Background check of an uploaded file (see :func:`run_validation`)."""
    return _run_task(job_id, run_validation, (ImportStatus.PENDING, ImportStatus.VALIDATING))


@task(backend="imports")
def apply_import(job_id: int) -> str:
    """Background import of a checked file (see :func:`run_apply`)."""
    return _run_task(job_id, run_apply, (ImportStatus.APPLYING, ImportStatus.APPLYING))


def tasks_run_in_request() -> bool:
    """Whether the imports' task backend runs a task inside the call that queues it
    (``IMPORT_TASKS=immediate``: Django's ImmediateBackend). Then the check is started by a
    request of its own from the job page, so that the page's polling requests can show its
    progress meanwhile; the import runs in the request that asks for it. Otherwise both are
    queued for the worker (``db_worker --backend imports``) and the page follows them."""
    return isinstance(validate_import.get_backend(), ImmediateBackend)


def start_import(
    importer_class: type[Importer],
    *,
    actor: Actor,
    file_name: str,
    content: bytes,
    route: str,
    sheet: str = "",
) -> ImportJob:
    """Record an uploaded file as a job and queue its check (``sheet``: the sheet the user
    chose, when several hold data).

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
        sheet=sheet[:100],
    )
    job.store_file(content)  # encrypted: the clear file never reaches the database
    job.save()
    # Every upload also queues the cleanup of files abandoned by earlier uploads.
    expire_import_jobs.enqueue()
    if not tasks_run_in_request():
        validate_import.enqueue(job.pk)
    return job


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


def remap_columns(job: ImportJob, importer_class: type[Importer], mapping: dict[str, str]) -> bool:
    """Read columns the import did not know as the user chose ({column index: column key})
    and check the file again; False if the job is not (or no longer) a checked file. The
    status moves from valid back to pending in one statement."""
    keys = {column.key for column in importer_class.columns}
    chosen = {
        index: key for index, key in mapping.items() if index.isdigit() and key in keys and key
    }
    merged = {**(job.column_map or {}), **chosen}
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.VALID).update(
        status=ImportStatus.PENDING,
        column_map=merged,
        processed_rows=0,
        plan={},
        updated_at=timezone.now(),
    )
    job.refresh_from_db()
    if not claimed:
        return False
    if not tasks_run_in_request():
        validate_import.enqueue(job.pk)
    return True
