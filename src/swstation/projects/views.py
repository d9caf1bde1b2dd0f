"""Pages of projects (domain.md §1, "1+X+1"): the list, the project page with its life cycle,
actions and beneficiaries, the edit pages; enrolments. Reads go through selectors.py, writes
through services.py."""

from typing import Any, ClassVar
from urllib.parse import quote

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from swstation.core import views as generic
from swstation.core.export import attachment, export_filename, xlsx_response
from swstation.core.permissions import Action, user_can
from swstation.core.views.generic import ModelPermissionMixin
from swstation.core.views.registry import model_pages
from swstation.projects import filtersets, forms, selectors, services, tables, work
from swstation.projects import services as services_module
from swstation.projects.models import (
    ENROLLING_STATUSES,
    Project,
    ProjectAttachment,
    ProjectEnrolment,
    ProjectIndicator,
    ProjectReport,
    ProjectStatus,
)
from swstation.projects.report import report_workbook

# The project's latest service records shown on its page (the rest through the list's link).
SERVICES_SHOWN = 10

# --- projects --------------------------------------------------------------------------------


project_pages = model_pages(
    Project,
    prefix="",  # /projects/, /projects/<pk>/, /projects/add/ ...
    queryset=selectors.project_list,
    filterset=filtersets.ProjectFilterSet,
    table=tables.ProjectTable,
    form=forms.ProjectForm,
    create=services.project_create,
    update=services.project_update,
)


@project_pages.register("detail")
class ProjectDetailView(generic.ObjectDetailView):
    template_name = "projects/project.html"

    def get_extra_context(self, obj: Project) -> dict[str, Any]:
        user = self.request.user
        actions = selectors.project_actions(actor=user, project=obj)
        writable = selectors.project_writable(actor=user, project=obj)
        enrolments = selectors.project_enrolments(actor=user, project=obj)
        roles = self.permissions_context()
        progress = selectors.project_progress(obj)
        report = selectors.project_report(project=obj)
        attachments = list(selectors.attachment_list(actor=user).filter(project=obj))
        services = work.project_services(user, obj.pk)
        return {
            "progress": progress,
            "services": list(services[:SERVICES_SHOWN]),
            "services_url": work.services_url(obj.pk),
            "schedules_url": work.schedules_url(obj.pk),
            "report": report,
            "photos": [a for a in attachments if a.is_photo],
            "documents": [a for a in attachments if not a.is_photo],
            "can_add_indicator": writable
            and not obj.is_final
            and user_can(user, "add", ProjectIndicator),
            "can_report": writable
            and obj.status in services_module.REPORT_STATUSES
            and report is None
            and user_can(user, "add", ProjectReport),
            "can_attach": writable
            and obj.status not in (ProjectStatus.PROPOSED, ProjectStatus.TERMINATED)
            and user_can(user, "add", ProjectAttachment),
            "steps": selectors.project_status_steps(obj),
            "actions": actions,
            "advance_form": forms.ProjectAdvanceForm(initial={"to_status": actions.advance_to})
            if actions.advance_to
            else None,
            "terminate_form": forms.ProjectTerminateForm() if actions.terminate else None,
            "status_changes": selectors.project_status_changes(project=obj),
            "enrolments": enrolments,
            "enrolled_now": sum(1 for enrolment in enrolments if enrolment.is_open),
            "can_enrol": writable
            and obj.status in ENROLLING_STATUSES
            and user_can(user, "add", ProjectEnrolment),
            # A closed or terminated project is a record; only a proposal is deleted.
            "can_change": roles["can_change"] and writable and not obj.is_final,
            "can_delete": roles["can_delete"] and writable and obj.status == ProjectStatus.PROPOSED,
        }


@project_pages.register("delete")
class ProjectDeleteView(generic.ObjectDeleteView):
    def delete_object(self, obj: Project) -> None:
        services.project_delete(actor=self.request.user, project=obj)


@project_pages.register("advance", route="<int:pk>/advance/")
class ProjectAdvanceView(generic.TransitionView):
    form_class = forms.ProjectAdvanceForm

    def perform(self, project: Project, data: dict[str, Any]) -> str:
        project = services.project_advance(
            actor=self.request.user, project=project, to_status=data["to_status"], on=data["on"]
        )
        return _("Project “%(project)s”: %(status)s.") % {
            "project": project,
            "status": project.get_status_display(),
        }


@project_pages.register("terminate", route="<int:pk>/terminate/")
class ProjectTerminateView(generic.TransitionView):
    form_class = forms.ProjectTerminateForm

    def perform(self, project: Project, data: dict[str, Any]) -> str:
        project = services.project_terminate(
            actor=self.request.user, project=project, reason=data["reason"], on=data["on"]
        )
        return _("Project “%(project)s” terminated.") % {"project": project}


# --- enrolments ------------------------------------------------------------------------------


enrolment_pages = model_pages(
    ProjectEnrolment,
    prefix="enrolments/",
    queryset=selectors.project_enrolment_list,
    filterset=filtersets.ProjectEnrolmentFilterSet,
    table=tables.ProjectEnrolmentTable,
    form=forms.ProjectEnrolmentForm,
    create=services.enrolment_create,
    update=services.enrolment_update,
)


@enrolment_pages.register("delete")
class ProjectEnrolmentDeleteView(generic.ObjectDeleteView):
    def delete_object(self, obj: ProjectEnrolment) -> None:
        services.enrolment_delete(actor=self.request.user, enrolment=obj)


# --- indicators, closing reports, files ------------------------------------------------------


indicator_pages = model_pages(
    ProjectIndicator,
    prefix="indicators/",
    queryset=selectors.indicator_list,
    filterset=filtersets.ProjectIndicatorFilterSet,
    table=tables.ProjectIndicatorTable,
    form=forms.ProjectIndicatorForm,
    create=services.indicator_create,
    update=services.indicator_update,
)


@indicator_pages.register("detail")
class ProjectIndicatorDetailView(generic.ObjectDetailView):
    template_name = "projects/projectindicator.html"

    def get_extra_context(self, obj: ProjectIndicator) -> dict[str, Any]:
        progress = selectors.project_progress(obj.project)
        row = next((r for r in progress.indicators if r.indicator.pk == obj.pk), None)
        return {"row": row, "progress": progress}


@indicator_pages.register("delete")
class ProjectIndicatorDeleteView(generic.ObjectDeleteView):
    def delete_object(self, obj: ProjectIndicator) -> None:
        services.indicator_delete(actor=self.request.user, indicator=obj)


@indicator_pages.register("evidence", route="<int:pk>/evidence/")
class ProjectIndicatorEvidenceView(ModelPermissionMixin, View):
    """The evidence file of a manual indicator, to those who may see the project."""

    action: ClassVar[Action] = "view"

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        indicator = self.get_object(pk=pk)
        return _stored_file(indicator.evidence, indicator.name)


report_pages = model_pages(
    ProjectReport,
    prefix="reports/",
    queryset=selectors.report_list,
    filterset=filtersets.ProjectReportFilterSet,
    table=tables.ProjectReportTable,
    form=forms.ProjectReportForm,
    create=services.report_create,
    update=services.report_update,
)


@report_pages.register("detail")
class ProjectReportDetailView(generic.ObjectDetailView):
    """The closing report, made for printing: the project, its indicators' final figures, the
    outcomes, stories and photos; ``?export=xlsx`` as a workbook."""

    template_name = "projects/projectreport.html"

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        if request.GET.get("export") == "xlsx":
            report = self.get_object(**kwargs)
            progress = selectors.project_progress(report.project)
            name = export_filename(f"{report.project.station.name}-{report.project.name}", "xlsx")
            return xlsx_response(report_workbook(report, progress), name)
        return super().get(request, **kwargs)

    def get_extra_context(self, obj: ProjectReport) -> dict[str, Any]:
        attachments = selectors.attachment_list(actor=self.request.user).filter(
            project=obj.project, in_report=True
        )
        return {
            "progress": selectors.project_progress(obj.project),
            "photos": [a for a in attachments if a.is_photo],
            "documents": [a for a in attachments if not a.is_photo],
            "printed_at": timezone.localtime(),
        }


@report_pages.register("delete")
class ProjectReportDeleteView(generic.ObjectDeleteView):
    def delete_object(self, obj: ProjectReport) -> None:
        services.report_delete(actor=self.request.user, report=obj)


attachment_pages = model_pages(
    ProjectAttachment,
    prefix="files/",
    queryset=selectors.attachment_list,
    filterset=filtersets.ProjectAttachmentFilterSet,
    table=tables.ProjectAttachmentTable,
    form=forms.ProjectAttachmentForm,
    create=services.attachment_create,
    update=services.attachment_update,
)


@attachment_pages.register("detail")
class ProjectAttachmentDetailView(generic.ObjectDetailView):
    template_name = "projects/projectattachment.html"


@attachment_pages.register("delete")
class ProjectAttachmentDeleteView(generic.ObjectDeleteView):
    def delete_object(self, obj: ProjectAttachment) -> None:
        services.attachment_delete(actor=self.request.user, attachment=obj)


@attachment_pages.register("file", route="<int:pk>/file/")
class ProjectAttachmentFileView(ModelPermissionMixin, View):
    """The stored file, to those who may see the project (never a public media URL)."""

    action: ClassVar[Action] = "view"

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        attachment = self.get_object(pk=pk)
        return _stored_file(attachment.file, attachment.title, inline=True)


CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _stored_file(stored: Any, title: str, *, inline: bool = False) -> FileResponse:
    """A file of the default storage, named by its title; 404 when there is none."""
    if not stored or not stored.name or not stored.storage.exists(stored.name):
        raise Http404(_("No such file."))
    extension = stored.name.rsplit(".", 1)[-1].lower()
    response = FileResponse(
        stored.storage.open(stored.name, "rb"),
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
    )
    filename = f"{title}.{extension}"
    if inline and extension in ("jpg", "jpeg", "png", "pdf"):
        response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename, safe='')}"
    else:
        attachment(response, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
