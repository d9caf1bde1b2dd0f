"""The import job's record: progress, end of a step, cancellation, expiry, who sees it."""

import logging
import threading
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, models
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from swstation.core.actors import Actor, history_user
from swstation.core.import_models import ImportJob, ImportStatus
from swstation.core.imports.base import Importer
from swstation.core.permissions import user_can

logger = logging.getLogger(__name__)

# A running job whose counters have not moved for this long is taken for dead.
STALE_AFTER = timedelta(minutes=getattr(settings, "SWSTATION_IMPORT_STALE_MINUTES", 15))


def _save_progress(job_id: int, processed: int) -> None:
    """Record how far a check or an import has got, so that a polling page sees it.

    A check runs outside any transaction: its own statement. An import runs in ONE transaction
    (all or nothing), whose writes no other connection sees before it ends; on PostgreSQL the
    counter is written through a connection of its own (:class:`ProgressConnection`), which
    commits at once. SQLite allows one writer at a time: there an import's counter is written
    in its transaction, seen at its end (meanwhile the page says that it is importing)."""
    side = getattr(_progress, "connection", None)
    if side is not None:
        side.save(job_id, processed)
    else:
        ImportJob.objects.filter(pk=job_id).update(
            processed_rows=processed, updated_at=timezone.now()
        )


# The running import's ProgressConnection, per thread (a web server's threads may each run one).
_progress = threading.local()


class ProgressConnection:
    """A second connection to the database, in autocommit, for an import's progress counter
    while its transaction is open (PostgreSQL only). Use as a context manager around the
    import: ``with ProgressConnection(): ...``."""

    def __init__(self) -> None:
        self.wrapper: Any = None

    def __enter__(self) -> "ProgressConnection":
        if connection.vendor == "postgresql":
            self.wrapper = connections.create_connection(DEFAULT_DB_ALIAS)
            _progress.connection = self
        return self

    def __exit__(self, *exc: object) -> None:
        if getattr(_progress, "connection", None) is self:
            _progress.connection = None
        if self.wrapper is not None:
            self.wrapper.close()

    def save(self, job_id: int, processed: int) -> None:
        table = connection.ops.quote_name(ImportJob._meta.db_table)
        try:
            with self.wrapper.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET processed_rows = %s, updated_at = %s WHERE id = %s",
                    [processed, timezone.now(), job_id],
                )
        except DatabaseError:  # the counter is a courtesy: never fail the import for it
            logger.warning("import job %s: progress not recorded", job_id, exc_info=True)


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
        if isinstance(job.plan, dict) and job.plan.get("changes"):
            # The old and new values of updated records go with the file.
            job.plan = {**job.plan, "changes": [], "changes_dropped": True}
            fields.add("plan")
    job.save(update_fields=sorted(fields))


def _importer_class(job: ImportJob) -> type[Importer]:
    cls: type[Importer] = import_string(job.importer)
    return cls


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
