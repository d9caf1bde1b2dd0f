"""Forms of the project pages: a project, an enrolment, and the life-cycle actions. Choices
are limited to the user's jurisdiction (ScopedModelForm) and narrowed by the selectors; the
rules themselves live in services.py."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from swstation.core.forms import ScopedModelForm, date_input
from swstation.projects import selectors
from swstation.projects.models import Project, ProjectEnrolment, ProjectStatus
from swstation.projects.services import PROJECT_FIELDS
from swstation.regions.forms import RegionChoiceField

TEXT = forms.Textarea(attrs={"rows": 4})


class WorkerChoiceField(forms.ModelChoiceField):
    """A social worker labelled with their station, so that namesakes differ."""

    def label_from_instance(self, obj: Any) -> str:
        station = getattr(obj, "station", None)
        return f"{obj.name} · {station.name}" if station is not None else str(obj.name)


class WorkersChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return WorkerChoiceField.label_from_instance(self, obj)  # type: ignore[arg-type]


class VillagesChoiceField(forms.ModelMultipleChoiceField):
    """Villages labelled with their code, so that namesakes in two townships differ."""

    def label_from_instance(self, obj: Any) -> str:
        return RegionChoiceField.label_from_instance(self, obj)  # type: ignore[arg-type]


class ProjectForm(ScopedModelForm):
    class Meta:
        model = Project
        fields = list(PROJECT_FIELDS)
        field_classes = {
            "lead": WorkerChoiceField,
            "team": WorkersChoiceField,
            "villages": VillagesChoiceField,
        }
        widgets = {
            "starts_on": date_input(),
            "ends_on": date_input(),
            "team": forms.SelectMultiple(attrs={"size": 8}),
            "villages": forms.SelectMultiple(attrs={"size": 8}),
            "target_groups": forms.CheckboxSelectMultiple,
            "description": TEXT,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.user
        project = self.instance
        fields = self.fields
        fields["station"].queryset = selectors.project_station_choices(actor=user)  # type: ignore[attr-defined]
        keep = [project.lead_id, *project.team.values_list("pk", flat=True)] if project.pk else []
        workers = selectors.project_worker_choices(actor=user, keep=keep).select_related("station")
        fields["lead"].queryset = workers  # type: ignore[attr-defined]
        fields["team"].queryset = workers  # type: ignore[attr-defined]
        villages = selectors.project_village_choices(actor=user)
        if project.pk:
            villages = villages.filter(code__startswith=project.station.region.prefix)
            # A project stays at its station; once approved, it keeps the money it asked for.
            fields["station"].disabled = True
            if project.status != ProjectStatus.PROPOSED:
                fields["funding_level"].disabled = True
        fields["villages"].queryset = villages  # type: ignore[attr-defined]


class ProjectEnrolmentForm(ScopedModelForm):
    """Enrol a person: the project and the person are chosen once; an edit changes the dates
    (an exit) and the note."""

    class Meta:
        model = ProjectEnrolment
        fields = ["project", "recipient", "enrolled_on", "exited_on", "exit_reason", "note"]
        widgets = {"enrolled_on": date_input(), "exited_on": date_input(), "note": TEXT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["project"]
            del self.fields["recipient"]
            return
        self.fields["project"].queryset = selectors.enrolment_project_choices(  # type: ignore[attr-defined]
            actor=self.user
        )
        self.fields["recipient"].queryset = selectors.enrolment_recipient_choices(  # type: ignore[attr-defined]
            actor=self.user
        ).select_related("region")


class ProjectAdvanceForm(forms.Form):
    """The next step of the life cycle; the day counts for an approval or a closure."""

    to_status = forms.ChoiceField(choices=ProjectStatus.choices, widget=forms.HiddenInput)
    on = forms.DateField(
        label=_("day"),
        required=False,
        widget=date_input(),
        help_text=_("Today when left empty."),
    )


class ProjectTerminateForm(forms.Form):
    reason = forms.CharField(label=_("reason for termination"), widget=TEXT, max_length=2000)
    on = forms.DateField(
        label=_("terminated on"),
        required=False,
        widget=date_input(),
        help_text=_("Today when left empty."),
    )
