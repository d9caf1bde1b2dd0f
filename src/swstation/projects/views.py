"""Pages of projects (domain.md §1, "1+X+1"): the list, the project page with its life cycle,
actions and beneficiaries, the edit pages; enrolments. Reads go through selectors.py, writes
through services.py."""

from typing import Any, ClassVar

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views import View

from swstation.core import views as generic
from swstation.core.permissions import Action, user_can
from swstation.core.views.generic import ModelPermissionMixin
from swstation.core.views.registry import model_pages
from swstation.projects import filtersets, forms, selectors, services, tables
from swstation.projects.models import (
    ENROLLING_STATUSES,
    Project,
    ProjectEnrolment,
    ProjectStatus,
)

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
        return {
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


class _ProjectActionView(ModelPermissionMixin, View):
    """A POST that moves a project on through a service, then back to the project's page with
    the outcome as a message: done, or why not (a step that no longer applies because someone
    moved the project on meanwhile, a missing reason, a role that does not decide)."""

    action: ClassVar[Action] = "change"
    http_method_names = ["post"]
    form_class: ClassVar[type[django_forms.Form]]

    def perform(self, project: Project, data: dict[str, Any]) -> str:
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = self.get_object(pk=pk)
        form = self.form_class(request.POST)
        if not form.is_valid():
            for name, errors in form.errors.items():
                label = form.fields[name].label if name in form.fields else ""
                messages.error(request, f"{label}: {' '.join(str(e) for e in errors)}")
            return HttpResponseRedirect(project.get_absolute_url())
        try:
            message = self.perform(project, form.cleaned_data)
        except ValidationError as exc:  # StateConflict included: the step no longer applies
            messages.error(request, " ".join(_labelled(exc, form)))
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, message)
        return HttpResponseRedirect(project.get_absolute_url())


def _labelled(error: ValidationError, form: django_forms.Form) -> list[str]:
    """A service's refusal as sentences, each field's named by its label."""
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    lines = []
    for name, errors in error.error_dict.items():
        field = form.fields.get(name)
        label = f"{field.label}: " if field is not None and field.label else ""
        lines += [f"{label}{message}" for e in errors for message in e.messages]
    return lines


@project_pages.register("advance", route="<int:pk>/advance/")
class ProjectAdvanceView(_ProjectActionView):
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
class ProjectTerminateView(_ProjectActionView):
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
