"""Pages of casework (domain.md §3; MZ/T 094-2017): the case list, the case page with its stage
progress and actions, the timeline, the printable case file, goals and transfers.

Every read goes through selectors/cases.py (a social worker sees their own cases, a supervisor
the cases they supervise); every write through services/cases.py.
"""

from typing import Any, ClassVar

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from swstation.cases.filtersets import cases as filtersets
from swstation.cases.forms import cases as forms
from swstation.cases.models import Case, CaseGoal, CaseStage, CaseStageChange, CaseTransfer
from swstation.cases.selectors import cases as selectors
from swstation.cases.services import cases as services
from swstation.cases.tables import cases as tables
from swstation.core import views as generic
from swstation.core.permissions import Action, user_can
from swstation.core.transitions import StateConflict
from swstation.core.views.generic import ModelPermissionMixin, add_validation_error
from swstation.core.views.registry import model_pages

__all__ = [
    "CaseAdvanceView",
    "CaseApproveClosureView",
    "CaseDetailView",
    "CaseEditView",
    "CaseGoalDeleteView",
    "CasePrintView",
    "CaseReopenView",
    "CaseRequestClosureView",
    "CaseReturnClosureView",
    "CaseTimelineView",
    "CaseTransferView",
    "case_goal_pages",
    "case_pages",
    "case_stage_change_pages",
    "case_transfer_pages",
]

# --- cases ---------------------------------------------------------------------------------


case_pages = model_pages(
    Case,
    prefix="",  # /cases/, /cases/<pk>/, /cases/add/ ...
    queryset=selectors.case_list,
    filterset=filtersets.CaseFilterSet,
    table=tables.CaseTable,
    create=services.case_open,
    update=services.case_update,
)


def case_page_context(
    request: HttpRequest, case: Case, bound: dict[str, Any] | None = None
) -> dict[str, Any]:
    """What the case page shows: the stage bar, the actions the user may take now (each with
    its form, bound with errors when a submission was refused), goals, transfers, assessments
    and service records."""
    user = request.user
    actions = selectors.case_actions(actor=user, case=case)
    bound = bound or {}
    advance_form = None
    if actions.advance_to:
        advance_form = bound.get("advance") or forms.CaseAdvanceForm(
            initial={"to_stage": actions.advance_to}
        )
    text_field = forms.CaseAdvanceForm.TEXT_FOR_STAGE.get(actions.advance_to or "")
    return {
        "steps": selectors.case_stage_steps(case),
        "actions": actions,
        "advance_form": advance_form,
        "advance_text_field": text_field,
        "advance_label": CaseStage(actions.advance_to).label if actions.advance_to else "",
        "closure_form": bound.get("closure")
        or (
            forms.CaseClosureRequestForm(
                initial={
                    "evaluation_summary": case.evaluation_summary,
                    "closing_summary": case.closing_summary,
                    "closing_reason": case.closing_reason,
                }
            )
            if actions.request_closure
            else None
        ),
        "return_form": bound.get("return") or forms.CaseReasonForm(prefix="return"),
        "reopen_form": bound.get("reopen") or forms.CaseReopenForm(prefix="reopen"),
        "approve_form": bound.get("approve") or forms.CaseApproveClosureForm(),
        "transfer_form": bound.get("transfer")
        or (forms.CaseTransferForm(user=user) if actions.transfer else None),
        "closure_pending": case.stage == CaseStage.EVALUATION
        and case.closure_requested_at is not None,
        "goals": selectors.case_goals(actor=user, case=case),
        "transfers": selectors.case_transfers(actor=user, case=case),
        "assessments": selectors.case_assessments(actor=user, case=case),
        "service_records": selectors.case_service_records(actor=user, case=case),
        "recipient_url": selectors.url_of(case.recipient),
        "can_change_goal": user_can(user, "change", CaseGoal) and case.stage != CaseStage.CLOSED,
        "can_delete_goal": user_can(user, "delete", CaseGoal) and case.stage != CaseStage.CLOSED,
    }


@case_pages.register("detail")
class CaseDetailView(generic.ObjectDetailView):
    template_name = "cases/case.html"

    def get_extra_context(self, obj: Case) -> dict[str, Any]:
        context = case_page_context(self.request, obj)
        if obj.stage == CaseStage.CLOSED:
            context["can_change"] = False  # a closed case is reopened, not edited
        return context


@case_pages.register("edit")
class CaseEditView(generic.ObjectEditView):
    form_class = forms.CaseForm

    def get_initial(self) -> dict[str, Any]:
        """A new case opens today, unless the query says otherwise (``?recipient=12``)."""
        return {"opened_on": timezone.localdate(), **super().get_initial()}


@case_pages.register("timeline", route="<int:pk>/timeline/")
class CaseTimelineView(ModelPermissionMixin, View):
    """Everything that happened to a case, oldest first."""

    template_name = "cases/case_timeline.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = self.get_object(pk=pk)
        context = {
            **self.model_context(),
            "object": case,
            "events": selectors.case_timeline(actor=request.user, case=case),
        }
        return render(request, self.template_name, context)


@case_pages.register("print", route="<int:pk>/print/")
class CasePrintView(ModelPermissionMixin, View):
    """The case file for the archive room: every section on one printable page, without the
    site's navigation."""

    template_name = "cases/case_print.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = self.get_object(pk=pk)
        context = {
            **self.model_context(),
            "object": case,
            "steps": selectors.case_stage_steps(case),
            "goals": selectors.case_goals(actor=request.user, case=case),
            "transfers": selectors.case_transfers(actor=request.user, case=case),
            "assessments": selectors.case_assessments(actor=request.user, case=case),
            "service_records": selectors.case_service_records(actor=request.user, case=case),
            "events": selectors.case_timeline(actor=request.user, case=case),
            "printed_at": timezone.localtime(),
            "printed_by": request.user,
        }
        return render(request, self.template_name, context)


class _CaseActionView(ModelPermissionMixin, View):
    """A POST that moves a case on through a service. A refusal shows the case page again with
    the form and its errors; success goes back to the case (or to the list, when the user no
    longer sees the case, e.g. after transferring it away). When someone else moved the case
    on meanwhile (a StateConflict), the user is sent back to the case as it now is, with the
    message: the form they filled in was for a step that no longer applies."""

    action: ClassVar[Action] = "change"
    http_method_names = ["post"]
    form_key: ClassVar[str] = ""

    def get_form(self) -> django_forms.Form:
        raise NotImplementedError

    def perform(self, case: Case, form: Any) -> str:
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = self.get_object(pk=pk)
        form = self.get_form()
        if form.is_valid():
            try:
                message = self.perform(case, form)
            except StateConflict as exc:
                messages.error(request, " ".join(exc.messages))
                return self.back_to(case)
            except ValidationError as exc:
                add_validation_error(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, message)
                return self.back_to(case)
        case.refresh_from_db()
        for error in form.non_field_errors():
            messages.error(request, str(error))
        context = {
            **self.model_context(),
            "object": case,
            **case_page_context(request, case, bound={self.form_key: form}),
        }
        return render(request, CaseDetailView.template_name, context, status=400)

    def back_to(self, case: Case) -> HttpResponse:
        """The case's page, or the list when the user no longer sees the case."""
        case.refresh_from_db()
        if selectors.case_visible(actor=self.request.user, case=case):
            return HttpResponseRedirect(case.get_absolute_url())
        return HttpResponseRedirect(reverse("cases:case_list"))


@case_pages.register("advance", route="<int:pk>/advance/")
class CaseAdvanceView(_CaseActionView):
    form_key = "advance"

    def get_form(self) -> django_forms.Form:
        return forms.CaseAdvanceForm(self.request.POST)

    def perform(self, case: Case, form: Any) -> str:
        case = services.case_advance(
            actor=self.request.user,
            case=case,
            to_stage=form.cleaned_data["to_stage"],
            changed_on=form.cleaned_data.get("changed_on"),
            **form.summaries(),
        )
        return _("Case %(number)s moved to %(stage)s.") % {
            "number": case.number,
            "stage": case.get_stage_display(),
        }


@case_pages.register("request_closure", route="<int:pk>/request-closure/")
class CaseRequestClosureView(_CaseActionView):
    form_key = "closure"

    def get_form(self) -> django_forms.Form:
        return forms.CaseClosureRequestForm(self.request.POST)

    def perform(self, case: Case, form: Any) -> str:
        case = services.case_request_closure(
            actor=self.request.user,
            case=case,
            closing_summary=form.cleaned_data["closing_summary"],
            closing_reason=form.cleaned_data["closing_reason"],
            evaluation_summary=form.cleaned_data["evaluation_summary"] or None,
        )
        return _("Closure of case %(number)s requested: its supervisor approves it.") % {
            "number": case.number
        }


@case_pages.register("approve_closure", route="<int:pk>/approve-closure/")
class CaseApproveClosureView(_CaseActionView):
    """Approval by the case's supervisor: a role that only reads cases may do it, so the role
    check is "view"; the service checks that the user is the case's supervisor."""

    action = "view"
    form_key = "approve"

    def get_form(self) -> django_forms.Form:
        return forms.CaseApproveClosureForm(self.request.POST)

    def perform(self, case: Case, form: Any) -> str:
        case = services.case_approve_closure(
            actor=self.request.user, case=case, closed_on=form.cleaned_data.get("closed_on")
        )
        return _("Closure of case %(number)s approved: the case is closed.") % {
            "number": case.number
        }


@case_pages.register("return_closure", route="<int:pk>/return-closure/")
class CaseReturnClosureView(_CaseActionView):
    action = "view"
    form_key = "return"

    def get_form(self) -> django_forms.Form:
        return forms.CaseReasonForm(self.request.POST, prefix="return")

    def perform(self, case: Case, form: Any) -> str:
        case = services.case_return_closure(
            actor=self.request.user, case=case, reason=form.cleaned_data["reason"]
        )
        return _("Closure request of case %(number)s returned for more work.") % {
            "number": case.number
        }


@case_pages.register("reopen", route="<int:pk>/reopen/")
class CaseReopenView(_CaseActionView):
    form_key = "reopen"

    def get_form(self) -> django_forms.Form:
        return forms.CaseReopenForm(self.request.POST, prefix="reopen")

    def perform(self, case: Case, form: Any) -> str:
        case = services.case_reopen(
            actor=self.request.user,
            case=case,
            reason=form.cleaned_data["reason"],
            changed_on=form.cleaned_data.get("changed_on"),
        )
        return _("Case %(number)s reopened (%(stage)s).") % {
            "number": case.number,
            "stage": case.get_stage_display(),
        }


@case_pages.register("transfer", route="<int:pk>/transfer/")
class CaseTransferView(_CaseActionView):
    form_key = "transfer"

    def get_form(self) -> django_forms.Form:
        return forms.CaseTransferForm(self.request.POST, user=self.request.user)

    def perform(self, case: Case, form: Any) -> str:
        transfer = services.case_transfer(
            actor=self.request.user,
            case=case,
            to_worker=form.cleaned_data["to_worker"],
            reason=form.cleaned_data["reason"],
            transferred_on=form.cleaned_data["transferred_on"],
        )
        return _("Case %(number)s transferred to %(worker)s (%(station)s).") % {
            "number": case.number,
            "worker": transfer.to_worker.name,
            "station": transfer.to_station.name,
        }


# --- goals ---------------------------------------------------------------------------------


case_goal_pages = model_pages(
    CaseGoal,
    prefix="goals/",
    queryset=selectors.case_goal_list,
    filterset=filtersets.CaseGoalFilterSet,
    table=tables.CaseGoalTable,
    form=forms.CaseGoalForm,
    template="cases/casegoal.html",
    create=services.case_goal_create,
    update=services.case_goal_update,
)


@case_goal_pages.register("delete")
class CaseGoalDeleteView(generic.ObjectDeleteView):
    def delete_object(self, obj: CaseGoal) -> None:
        services.case_goal_delete(actor=self.request.user, goal=obj)


# --- transfers (written by case_transfer only) -----------------------------------------------


case_transfer_pages = model_pages(
    CaseTransfer,
    prefix="transfers/",
    queryset=selectors.case_transfer_list,
    filterset=filtersets.CaseTransferFilterSet,
    table=tables.CaseTransferTable,
    template="cases/casetransfer.html",
    actions=("list", "detail", "history"),
)


# --- stage log (written by the case services only) -------------------------------------------


case_stage_change_pages = model_pages(
    CaseStageChange,
    prefix="stage-changes/",
    queryset=selectors.case_stage_change_list,
    filterset=filtersets.CaseStageChangeFilterSet,
    table=tables.CaseStageChangeTable,
    template="cases/casestagechange.html",
    actions=("list", "detail", "history"),
)
