"""Forms of the case pages: opening and editing a case, the stage actions (advance, request
closure, return a closure request, reopen, transfer) and the goals of the plan. Choices are
limited to the user's jurisdiction (ScopedModelForm) and narrowed by the selectors; the rules
themselves live in services/cases.py."""

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from swstation.cases.models import Case, CaseGoal, CaseStage, ClosingReason
from swstation.cases.selectors.cases import (
    case_list,
    transfer_worker_choices,
    worker_choices,
)
from swstation.core.forms import VERSION_FIELD, ScopedModelForm, date_input
from swstation.workforce.forms.fields import WorkerChoiceField
from swstation.workforce.models import SocialWorker

__all__ = [
    "CaseAdvanceForm",
    "CaseApproveClosureForm",
    "CaseClosureRequestForm",
    "CaseForm",
    "CaseGoalForm",
    "CaseReasonForm",
    "CaseReopenForm",
    "CaseTransferForm",
    "WorkerChoiceField",
]

TEXT = forms.Textarea(attrs={"rows": 4})

# Fields of the add form and of the edit form (a case's stage, worker and station change
# only through the stage actions and transfers).
CASE_ADD_FIELDS = (
    "recipient",
    "station",
    "worker",
    "supervisor",
    "opened_on",
    "presenting_problem",
)
CASE_EDIT_FIELDS = (
    "supervisor",
    "opened_on",
    "presenting_problem",
    "assessment_summary",
    "intervention_summary",
    "evaluation_summary",
)


class CaseForm(ScopedModelForm):
    class Meta:
        model = Case
        fields = [*CASE_ADD_FIELDS, *CASE_EDIT_FIELDS[3:]]
        widgets = {
            "opened_on": date_input(),
            "presenting_problem": TEXT,
            "assessment_summary": TEXT,
            "intervention_summary": TEXT,
            "evaluation_summary": TEXT,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The hidden version stays: a stale edit is refused (core.forms.ScopedModelForm).
        keep = (*(CASE_EDIT_FIELDS if self.instance.pk else CASE_ADD_FIELDS), VERSION_FIELD)
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if "worker" in self.fields:
            worker = self.fields["worker"]
            assert isinstance(worker, forms.ModelChoiceField)
            self.fields["worker"] = WorkerChoiceField(
                queryset=worker_choices(actor=self.user).select_related("station"),
                label=worker.label,
                help_text=_("A member of the station's staff."),
            )
        if "recipient" in self.fields:
            self.fields["recipient"].help_text = _(
                "Only recipients who have consented to data processing can have a case."
            )


CHANGE_DAY_HELP = _(
    "The day it happened, if not today (not ahead of today, not before the case's last change)."
)


class CaseAdvanceForm(forms.Form):
    """Move to the next stage, writing the text that stage needs (if it needs one)."""

    to_stage = forms.ChoiceField(choices=CaseStage.choices, widget=forms.HiddenInput)
    presenting_problem = forms.CharField(
        label=capfirst(_("presenting problem")), required=False, widget=TEXT
    )
    assessment_summary = forms.CharField(
        label=capfirst(_("assessment summary")), required=False, widget=TEXT
    )
    intervention_summary = forms.CharField(
        label=capfirst(_("intervention summary")), required=False, widget=TEXT
    )
    evaluation_summary = forms.CharField(
        label=capfirst(_("evaluation summary")), required=False, widget=TEXT
    )
    changed_on = forms.DateField(
        label=capfirst(_("date of the change")),
        required=False,
        widget=date_input(),
        help_text=CHANGE_DAY_HELP,
    )

    # The text asked for when moving into each stage.
    TEXT_FOR_STAGE: dict[str, str] = {
        CaseStage.ASSESSMENT: "presenting_problem",
        CaseStage.PLANNING: "assessment_summary",
        CaseStage.EVALUATION: "intervention_summary",
    }

    def summaries(self) -> dict[str, str]:
        return {
            name: self.cleaned_data[name]
            for name in (
                "presenting_problem",
                "assessment_summary",
                "intervention_summary",
                "evaluation_summary",
            )
            if self.cleaned_data.get(name)
        }


class CaseClosureRequestForm(forms.Form):
    evaluation_summary = forms.CharField(
        label=capfirst(_("evaluation summary")), required=False, widget=TEXT
    )
    closing_summary = forms.CharField(label=capfirst(_("closing summary")), widget=TEXT)
    closing_reason = forms.ChoiceField(
        label=capfirst(_("closing reason")), choices=ClosingReason.choices
    )


class CaseReasonForm(forms.Form):
    """Reopening a case or returning a closure request: a reason."""

    reason = forms.CharField(label=capfirst(_("reason")), max_length=300)


class CaseReopenForm(CaseReasonForm):
    """Reopening a case: a reason, and the day it was reopened if not today."""

    changed_on = forms.DateField(
        label=capfirst(_("date of the change")),
        required=False,
        widget=date_input(),
        help_text=CHANGE_DAY_HELP,
    )


class CaseApproveClosureForm(forms.Form):
    """Approving a closure: the day the case closed, if not today."""

    closed_on = forms.DateField(
        label=capfirst(_("closed on")),
        required=False,
        widget=date_input(),
        help_text=CHANGE_DAY_HELP,
    )


class CaseTransferForm(forms.Form):
    to_worker = WorkerChoiceField(
        label=capfirst(_("to worker")), queryset=SocialWorker.objects.none()
    )
    reason = forms.CharField(label=capfirst(_("reason")), max_length=300)
    transferred_on = forms.DateField(
        label=capfirst(_("transferred on")), required=False, widget=date_input()
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        worker = self.fields["to_worker"]
        assert isinstance(worker, forms.ModelChoiceField)
        worker.queryset = transfer_worker_choices(actor=user)
        worker.help_text = _("The case moves to this worker's station.")


class CaseGoalForm(ScopedModelForm):
    class Meta:
        model = CaseGoal
        fields = ["case", "description", "actions", "target_date", "achieved"]
        widgets = {"target_date": date_input(), "actions": TEXT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        case = self.fields["case"]
        assert isinstance(case, forms.ModelChoiceField)
        case.queryset = case_list(actor=self.user).exclude(stage=CaseStage.CLOSED)
        if self.instance.pk:
            case.disabled = True
