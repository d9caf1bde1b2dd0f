"""The export of a list page (its ``?export=csv|xlsx`` link) and the pages of background
exports: a job's page, which follows its progress (htmx polling, as an import's page does) and
then offers the file, the download itself, and the list of the user's recent exports.

A list of at most ``EXPORT_IMMEDIATE_MAX_ROWS`` rows is answered at once; a larger one becomes
a job (core/export_jobs.py) and the answer is a redirect to its page. Jobs are private: anyone
but their author gets a 404.
"""

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views import View

from swstation.core.export import CONTENT_TYPES, attachment, export_count, export_table
from swstation.core.export_jobs import (
    expire_jobs,
    export_storage,
    immediate_max_rows,
    job_for_user,
    recent_jobs,
    start_export,
)
from swstation.core.export_models import ExportJob


def list_title(model: type[Any]) -> str:
    """A list's name for its file and sheet: "服务记录" (the model's plural, in the language)."""
    title = str(model._meta.verbose_name_plural)
    return title[:1].upper() + title[1:]


def export_list(request: HttpRequest, model: type[Any], table: Any, fmt: str) -> HttpResponseBase:
    """The answer to a list page's export link: the file, or the page of a background job
    writing it when the list has more than ``EXPORT_IMMEDIATE_MAX_ROWS`` rows."""
    title = list_title(model)
    limit = immediate_max_rows()
    rows = export_count(table, limit=limit)
    match = request.resolver_match
    if rows <= limit or match is None or not match.view_name:
        return export_table(table, fmt, title)
    job = start_export(
        actor=request.user,
        route=match.view_name,
        query=request.GET,
        fmt=fmt,
        title=title,
        rows=export_count(table),
    )
    return HttpResponseRedirect(job.get_absolute_url())


def _list_url(job: ExportJob) -> str:
    try:
        url = reverse(job.route)
    except NoReverseMatch:
        return ""
    query = urlencode(job.params or {}, doseq=True)
    return f"{url}?{query}" if query else url


class ExportJobView(LoginRequiredMixin, View):
    """A job's page; an htmx request gets only its status block (polled while it runs)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        polling = bool(getattr(request, "htmx", False))
        if not polling:
            expire_jobs()  # files past their time go, even if the cleanup did not run
        job = job_for_user(request.user, pk)
        context = {
            "job": job,
            "job_url": job.get_absolute_url(),
            "download_url": reverse("exports:download", args=[job.pk]),
            "list_url": _list_url(job),
            "jobs_url": reverse("exports:list"),
        }
        if polling:
            return render(request, "core/export_job_status.html", context)
        return render(request, "core/export_job.html", context)


class ExportDownloadView(LoginRequiredMixin, View):
    """The file of a finished job, to its author only, until it expires."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        job = job_for_user(request.user, pk)
        if not job.is_downloadable:
            raise Http404(_("This export is not ready or has expired."))
        try:
            handle = export_storage().open(job.file, "rb")
        except OSError as exc:
            raise Http404(_("This export is not ready or has expired.")) from exc
        response = FileResponse(handle, content_type=CONTENT_TYPES.get(job.format))
        return attachment(response, job.file_name)


class ExportJobListView(LoginRequiredMixin, View):
    """The user's recent exports, newest first."""

    def get(self, request: HttpRequest) -> HttpResponse:
        expire_jobs()
        return render(request, "core/export_jobs.html", {"jobs": recent_jobs(request.user)})
