"""Large exports in the background (issue 10): a list of more than
``EXPORT_IMMEDIATE_MAX_ROWS`` rows is not written inside the request (a city-wide export of
300,000 service records would hold a web worker for minutes and time out) but by a task of the
``background`` queue (``db_worker``), into a file of the ``exports`` storage, while the job's
page follows its progress and then offers the file.

Jurisdiction: the task builds the list page's table again for the job's author, with the
filters and sort they chose, through the page's own scoped queryset and filterset, so the file
holds what they may see and nothing more (their role's masking included). Only the author may
follow or download a job (:func:`job_for_user`); a file is deleted after
``EXPORT_JOB_EXPIRY_HOURS`` (:func:`expire_export_jobs`, queued with every new export and run
by ``python -m swstation expire_export_jobs``).
"""

import logging
from datetime import timedelta
from tempfile import SpooledTemporaryFile
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import File
from django.core.files.storage import Storage, storages
from django.http import Http404, HttpRequest, QueryDict
from django.tasks import task
from django.urls import resolve, reverse
from django.utils import timezone, translation
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from swstation.core.actors import Actor, history_user
from swstation.core.export import export_filename, write_csv, write_xlsx
from swstation.core.export_models import ExportJob, ExportStatus
from swstation.core.permissions import user_can

logger = logging.getLogger(__name__)

# Query parameters of a list page that are not part of what is exported.
IGNORED_PARAMS = frozenset({"export", "page", "per_page", "cursor"})
# A job seen running without progress for this long died with its worker.
STALE_AFTER = timedelta(minutes=30)


def immediate_max_rows() -> int:
    """Up to this many rows a list is exported inside the request; more go to a job."""
    return int(getattr(settings, "EXPORT_IMMEDIATE_MAX_ROWS", 5000))


def expiry_hours() -> int:
    return int(getattr(settings, "EXPORT_JOB_EXPIRY_HOURS", 24))


def export_storage() -> Storage:
    """Where export files are kept: the ``exports`` storage (settings.STORAGES), never a
    public media folder: a file is sent only by the download view, to its author."""
    return storages["exports"]


def export_params(query: QueryDict) -> dict[str, list[str]]:
    return {key: query.getlist(key) for key in query if key not in IGNORED_PARAMS}


def _request_for(job: ExportJob) -> HttpRequest:
    """A GET of the list page as the job's author made it (what the page's view reads)."""
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = reverse(job.route)
    query = QueryDict(mutable=True)
    for key, values in (job.params or {}).items():
        query.setlist(key, [str(value) for value in values])
    request.GET = query  # type: ignore[assignment]
    request.user = job.created_by
    return request


def list_table(view_class: Any, request: HttpRequest) -> Any:
    """The list page's whole table (filtered, sorted, not paginated) for ``request.user``,
    built by the page's own view (``ObjectListView.filtered_table``)."""
    view = view_class()
    view.setup(request)
    if not user_can(request.user, "view", view.model):
        raise PermissionDenied(_("Your role may not do this."))
    _filterset, table = view.filtered_table(request)
    return table


def job_table(job: ExportJob) -> Any:
    request = _request_for(job)
    view_class = resolve(request.path).func.view_class  # type: ignore[attr-defined]
    return list_table(view_class, request)


def start_export(
    *, actor: Actor, route: str, query: QueryDict, fmt: str, title: str, rows: int
) -> ExportJob:
    """Record an export of the list ``route`` with the filters of ``query`` and queue it.

    The same export asked again (a double click, a reload) while it runs or is still fresh
    returns the job already there instead of writing the file twice."""
    user = history_user(actor)
    params = export_params(query)
    language = translation.get_language() or ""
    recent = ExportJob.objects.filter(
        created_by=user,
        route=route,
        format=fmt,
        language=language,
        status__in=(ExportStatus.PENDING, ExportStatus.RUNNING),
        created_at__gte=timezone.now() - STALE_AFTER,
    )
    for job in recent:
        if job.params == params:
            return job
    job = ExportJob.objects.create(
        created_by=user,
        route=route,
        params=params,
        format=fmt,
        title=str(title)[:100],
        language=language,
        total_rows=rows,
    )
    expire_export_jobs.enqueue()
    run_export.enqueue(job.pk)
    job.refresh_from_db()
    return job


def _save_progress(job_id: int, processed: int) -> None:
    ExportJob.objects.filter(pk=job_id).update(processed_rows=processed, updated_at=timezone.now())


def write_export(job: ExportJob) -> None:
    """Write the job's file (the task's work): the table for its author, into the storage."""
    table = job_table(job)
    storage = export_storage()
    file_name = export_filename(job.title, job.format)
    # The stored name is unguessable and carries no personal data; the user's file name is
    # sent by the download view.
    name = f"{job.created_by_id}/{job.pk}-{get_random_string(24)}.{job.format}"

    def progress(count: int) -> None:
        _save_progress(job.pk, count)

    with SpooledTemporaryFile(max_size=8 * 1024 * 1024) as buffer:
        if job.format == "csv":
            count = write_csv(table, buffer, progress=progress)
        else:
            count = write_xlsx(table, buffer, job.title, progress=progress)
        size = buffer.tell()
        buffer.seek(0)
        stored = storage.save(name, File(buffer, name=name))
    now = timezone.now()
    job.file, job.file_name, job.file_size = stored, file_name, size
    job.status = ExportStatus.DONE
    job.processed_rows = job.total_rows = count
    job.finished_at = now
    job.expires_at = now + timedelta(hours=expiry_hours())
    job.save()


@task(backend="exports")
def run_export(job_id: int) -> str:
    """Background export of a list (see :func:`write_export`). The status moves from pending
    to running in one statement: two deliveries of the task write the file once."""
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportStatus.PENDING).update(
        status=ExportStatus.RUNNING, updated_at=timezone.now()
    )
    job = ExportJob.objects.select_related("created_by").filter(pk=job_id).first()
    if not claimed or job is None:
        return "skipped"
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            write_export(job)
        except Exception:
            logger.exception(
                "export job %s (%s, user %s) failed", job.pk, job.route, job.created_by_id
            )
            ExportJob.objects.filter(pk=job.pk).update(
                status=ExportStatus.FAILED,
                finished_at=timezone.now(),
                updated_at=timezone.now(),
                message=_("The export stopped on an unexpected error. Try again."),
            )
    return str(job.status)


def _delete_file(job: ExportJob) -> None:
    if job.file:
        try:
            export_storage().delete(job.file)
        except OSError:
            logger.warning("could not delete export file %s", job.file)


def expire_jobs() -> int:
    """Delete the files of exports past their expiry and mark them expired; a job "running"
    without progress for :data:`STALE_AFTER` died with its worker and is marked failed. The
    number of files deleted."""
    now = timezone.now()
    expired = 0
    for job in ExportJob.objects.filter(status=ExportStatus.DONE, expires_at__lte=now):
        _delete_file(job)
        expired += ExportJob.objects.filter(pk=job.pk, status=ExportStatus.DONE).update(
            status=ExportStatus.EXPIRED, file="", updated_at=now
        )
    stale = ExportJob.objects.filter(
        status__in=(ExportStatus.PENDING, ExportStatus.RUNNING),
        updated_at__lt=now - STALE_AFTER,
    )
    for job in stale.only("pk", "language"):
        with translation.override(job.language or settings.LANGUAGE_CODE):
            message = _("The export stopped without finishing (the server may have restarted).")
        ExportJob.objects.filter(pk=job.pk, status__in=ExportJob.RUNNING).update(
            status=ExportStatus.FAILED, message=message, finished_at=now, updated_at=now
        )
    return expired


@task(backend="exports")
def expire_export_jobs() -> int:
    """Background cleanup of expired export files (see :func:`expire_jobs`)."""
    return expire_jobs()


def job_for_user(user: Actor, job_id: int) -> ExportJob:
    """The job if ``user`` asked for it (jobs are private to their author); 404 otherwise."""
    job = ExportJob.objects.filter(pk=job_id, created_by=history_user(user)).first()
    if job is None:
        raise Http404(_("No such export."))
    return job


def recent_jobs(user: Actor, limit: int = 10) -> list[ExportJob]:
    return list(ExportJob.objects.filter(created_by=history_user(user))[:limit])
