"""Generic bulk-import pages: upload → check (with progress) → preview → apply → result.

Each view is parametrised by an :class:`~swstation.core.imports.Importer` class; an app mounts
them with :func:`import_urlpatterns`. Importing needs the role's "add" and "change" rights on
the importer's model; a job is visible only to the user who uploaded it (404 for anyone else).

The preview says everything the import would do and everything it would not: each update
field by field, what was normalised, the rows skipped, and every column it does not read (with
a form to read one as a column of the import). A workbook with data on several sheets is asked
about at the upload.

The city bureau's pages for the synonyms imports accept (``core:importsynonym_*``) are
declared here too.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    QueryDict,
)
from django.shortcuts import render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from swstation.core import views as generic
from swstation.core.export import file_response
from swstation.core.filtersets import ImportSynonymFilterSet
from swstation.core.forms import ImportSynonymForm
from swstation.core.import_models import ImportStatus, ImportSynonym
from swstation.core.imports import (
    MAX_BYTES,
    Importer,
    ImportFileError,
    cancel_import,
    check_upload,
    describe_values,
    expire_stale,
    import_job_for_user,
    recent_jobs,
    start_apply,
    start_import,
    start_validation,
    tasks_run_in_request,
    template_workbook,
)
from swstation.core.imports.synonyms import (
    import_synonym_create,
    import_synonym_delete,
    import_synonym_list,
    import_synonym_update,
)
from swstation.core.imports.tasks import remap_columns
from swstation.core.imports.workbook import SheetChoiceNeeded
from swstation.core.tables import ImportSynonymTable
from swstation.core.views.registry import model_pages


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    sheet = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, importer_class: type[Importer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.importer_class = importer_class
        self.content = b""
        self.sheets: list[str] = []
        if isinstance(self.data, QueryDict) and self.data.get("sheet_choices"):
            self.offer_sheets(self.data.getlist("sheet_choices"))

    def offer_sheets(self, sheets: list[str]) -> None:
        """Ask which sheet to import (the workbook holds data on several)."""
        self.sheets = sheets
        self.fields["sheet"] = forms.ChoiceField(
            label=gettext_lazy("Sheet to import"),
            choices=[("", "—"), *((name, name) for name in sheets)],
            required=False,
            help_text=gettext_lazy("Choose the sheet, then choose the file again."),
        )
        # A form being validated has cached the hidden field it had.
        getattr(self, "_bound_fields_cache", {}).pop("sheet", None)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload = cleaned.get("file")
        if upload is None:
            return cleaned
        try:
            self.content = check_upload(
                self.importer_class, upload, sheet=cleaned.get("sheet") or ""
            )
        except SheetChoiceNeeded as exc:
            self.offer_sheets(exc.sheets)
            self.add_error("file", exc.message)
        except ImportFileError as exc:
            self.add_error("file", exc.message)
        return cleaned


class ImportViewMixin(LoginRequiredMixin):
    """Login required; the role must both add and change the model (403 otherwise)."""

    importer_class: Any = None
    model_name: str = ""
    request: HttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and not self.importer_class.actor_may_import(request.user):
            raise PermissionDenied(_("Your role may not import these records."))
        return super().dispatch(request, *args, **kwargs)

    @property
    def route(self) -> str:
        """``namespace:model_name``, the prefix of the import pages' URL names."""
        match = self.request.resolver_match
        namespace = match.namespace if match else ""
        return f"{namespace}:{self.model_name}" if namespace else self.model_name

    def _url(self, suffix: str, *args: Any) -> str | None:
        try:
            return reverse(f"{self.route}{suffix}", args=args)
        except NoReverseMatch:
            return None

    def list_url(self) -> str | None:
        meta = self.importer_class.model._meta
        return self._url("_list") or _reverse_or_none(f"{meta.app_label}:{meta.model_name}_list")

    def base_context(self) -> dict[str, Any]:
        importer = self.importer_class
        meta = importer.model._meta
        return {
            "key_help": importer.key_help,
            "verbose_name": meta.verbose_name,
            "verbose_name_plural": meta.verbose_name_plural,
            "import_title": importer.title or meta.verbose_name_plural,
            "list_url": self.list_url(),
            "start_url": self._url("_import"),
            "template_url": self._url("_import_template"),
        }


def _reverse_or_none(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


class ImportStartView(ImportViewMixin, View):
    template_name = "core/import_start.html"

    def render_form(self, form: ImportUploadForm) -> HttpResponse:
        importer = self.importer_class
        columns = [
            {
                "header": column.header,
                "required": column.required,
                "values": describe_values(column, importer.accepted_values(column)),
                "help": column.help,
            }
            for column in importer.columns
        ]
        context = {
            **self.base_context(),
            "form": form,
            "columns": columns,
            "required_any": [
                " / ".join(importer.column(key).header for key in group)
                for group in importer.required_any
            ],
            "max_mb": f"{MAX_BYTES / 1024 / 1024:g}",
            "jobs": [
                {"job": job, "url": self._url("_import_job", job.pk)}
                for job in recent_jobs(self.request.user, importer)
            ],
        }
        return render(self.request, self.template_name, context)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_form(ImportUploadForm(importer_class=self.importer_class))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ImportUploadForm(
            data=request.POST, files=request.FILES, importer_class=self.importer_class
        )
        if not form.is_valid():
            return self.render_form(form)
        upload = form.cleaned_data["file"]
        job = start_import(
            self.importer_class,
            actor=request.user,
            file_name=upload.name or "",
            content=form.content,
            route=self.route,
            sheet=form.cleaned_data.get("sheet") or "",
        )
        return HttpResponseRedirect(self._url("_import_job", job.pk) or job.get_absolute_url())


class ImportJobView(ImportViewMixin, View):
    """The job's status: progress while checking, then the errors or the plan, then the
    result. An htmx request (the page polling itself) gets only the status fragment."""

    template_name = "core/import_job.html"
    partial_template_name = "core/import_job_status.html"

    def get(self, request: HttpRequest, job_id: int) -> HttpResponse:
        job = import_job_for_user(request.user, job_id, self.importer_class)
        expire_stale(job)
        return self.render_job(job)

    def post(self, request: HttpRequest, job_id: int) -> HttpResponse:
        """Start the check of a pending job (the page does so as it loads, when the task
        backend runs tasks in the request); answers with the job's status."""
        job = import_job_for_user(request.user, job_id, self.importer_class)
        start_validation(job)
        htmx = getattr(request, "htmx", None)
        if htmx and not htmx.boosted:
            return self.render_job(job)
        return HttpResponseRedirect(self._url("_import_job", job.pk) or job.get_absolute_url())

    def render_job(self, job: Any) -> HttpResponse:
        request = self.request
        plan = job.plan if isinstance(job.plan, dict) else {}
        context = {
            **self.base_context(),
            "job": job,
            "errors": job.errors_by_row(),
            "hidden_errors": max(0, job.error_count - len(job.errors)),
            "apply_url": self._url("_import_apply", job.pk),
            "cancel_url": self._url("_import_cancel", job.pk),
            "map_url": self._url("_import_map", job.pk),
            "job_url": self._url("_import_job", job.pk),
            "start_in_page": job.status == ImportStatus.PENDING and tasks_run_in_request(),
            "plan": plan,
            "hidden_changes": max(0, plan.get("update", 0) - len(plan.get("changes", []))),
            "ignored": plan.get("ignored", []),
            "map_choices": self.map_choices(plan),
        }
        htmx = getattr(request, "htmx", None)
        if htmx and not htmx.boosted:
            return render(request, self.partial_template_name, context)
        return render(request, self.template_name, context)

    def map_choices(self, plan: dict[str, Any]) -> list[tuple[str, str]]:
        """The columns an ignored column may be read as (one the file has already is then
        read from the chosen column instead), on a checked file only: the file of a job that
        ended is gone."""
        if plan.get("present") is None:
            return []
        present = set(plan["present"])
        return [
            (
                column.key,
                column.header
                if column.key not in present
                else _("%(column)s (instead of the file's column)") % {"column": column.header},
            )
            for column in self.importer_class.columns
        ]


class ImportMapView(ImportViewMixin, View):
    """POST: read columns the import did not know as columns of the import (``column_<index>``
    = a column key), and check the file again."""

    def post(self, request: HttpRequest, job_id: int) -> HttpResponse:
        job = import_job_for_user(request.user, job_id, self.importer_class)
        mapping = {
            name.removeprefix("column_"): str(value)
            for name, value in request.POST.items()
            if name.startswith("column_") and value
        }
        if not mapping:
            messages.info(request, _("Choose a column for at least one of the columns."))
        elif not remap_columns(job, self.importer_class, mapping):
            messages.error(
                request,
                _("This file cannot be checked again now: its status is “%(status)s”.")
                % {"status": job.get_status_display()},
            )
        return HttpResponseRedirect(self._url("_import_job", job.pk) or job.get_absolute_url())


class ImportApplyView(ImportViewMixin, View):
    """POST: import a checked file in one transaction (queued as a task)."""

    def post(self, request: HttpRequest, job_id: int) -> HttpResponse:
        job = import_job_for_user(request.user, job_id, self.importer_class)
        if not start_apply(job):
            messages.error(
                request,
                _("This file cannot be imported now: its status is “%(status)s”.")
                % {"status": job.get_status_display()},
            )
        return HttpResponseRedirect(self._url("_import_job", job.pk) or job.get_absolute_url())


class ImportCancelView(ImportViewMixin, View):
    """POST: cancel a job that has not been imported; its file is deleted at once."""

    def post(self, request: HttpRequest, job_id: int) -> HttpResponse:
        job = import_job_for_user(request.user, job_id, self.importer_class)
        if not cancel_import(job):
            messages.error(
                request,
                _("This file cannot be cancelled now: its status is “%(status)s”.")
                % {"status": job.get_status_display()},
            )
        return HttpResponseRedirect(self._url("_import_job", job.pk) or job.get_absolute_url())


class ImportTemplateView(ImportViewMixin, View):
    """An empty workbook with the expected headers, generated from the importer's columns."""

    def get(self, request: HttpRequest) -> HttpResponseBase:
        return file_response(
            template_workbook(self.importer_class), f"{self.model_name}-import-template.xlsx"
        )


def import_urlpatterns(
    model_name: str, importer: type[Importer], *, prefix: str | None = None
) -> list[URLPattern]:
    """The import pages of a model, named ``<model_name>_import``, ``<model_name>_import_job``,
    ``<model_name>_import_apply``, ``<model_name>_import_cancel``, ``<model_name>_import_map``
    and ``<model_name>_import_template``. ``prefix`` defaults to
    ``"<model_name>s/"``; an app passes the prefix of the model's pages (``model_pages``)."""
    base = prefix if prefix is not None else f"{model_name}s/"
    options = {"importer_class": importer, "model_name": model_name}
    return [
        path(f"{base}import/", ImportStartView.as_view(**options), name=f"{model_name}_import"),
        path(
            f"{base}import/template.xlsx",
            ImportTemplateView.as_view(**options),
            name=f"{model_name}_import_template",
        ),
        path(
            f"{base}import/<int:job_id>/",
            ImportJobView.as_view(**options),
            name=f"{model_name}_import_job",
        ),
        path(
            f"{base}import/<int:job_id>/apply/",
            ImportApplyView.as_view(**options),
            name=f"{model_name}_import_apply",
        ),
        path(
            f"{base}import/<int:job_id>/cancel/",
            ImportCancelView.as_view(**options),
            name=f"{model_name}_import_cancel",
        ),
        path(
            f"{base}import/<int:job_id>/columns/",
            ImportMapView.as_view(**options),
            name=f"{model_name}_import_map",
        ),
    ]


# --- the city bureau's pages for the synonyms imports accept --------------------------------

synonym_pages = model_pages(
    ImportSynonym,
    prefix="synonyms/",
    queryset=import_synonym_list,
    filterset=ImportSynonymFilterSet,
    table=ImportSynonymTable,
    form=ImportSynonymForm,
    template="core/importsynonym.html",
)


@synonym_pages.register("edit")
class ImportSynonymEditView(generic.ObjectEditView):
    """Writes through the services (the synonym's list and meaning are checked there)."""

    form_class = ImportSynonymForm

    def save_form(self, form: Any) -> Any:
        data = {name: form.cleaned_data[name] for name in ImportSynonymForm.Meta.fields}
        if form.instance.pk is None:
            return import_synonym_create(actor=self.request.user, **data)
        return import_synonym_update(actor=self.request.user, import_synonym=form.instance, **data)


@synonym_pages.register("delete")
class ImportSynonymDeleteView(generic.ObjectDeleteView):
    def delete_object(self, obj: Any) -> None:
        import_synonym_delete(actor=self.request.user, import_synonym=obj)
