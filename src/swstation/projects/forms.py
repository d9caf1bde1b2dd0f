"""Forms of the project pages: a project, an enrolment, and the life-cycle actions. Choices
are limited to the user's jurisdiction (ScopedModelForm) and narrowed by the selectors; the
rules themselves live in services.py."""

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from swstation.core.forms import ScopedModelForm, date_input
from swstation.projects import selectors, work
from swstation.projects.models import (
    FINAL_STATUSES,
    Project,
    ProjectAttachment,
    ProjectEnrolment,
    ProjectIndicator,
    ProjectReport,
    ProjectStatus,
)
from swstation.projects.services import INDICATOR_FIELDS, PROJECT_FIELDS, REPORT_STATUSES
from swstation.regions.forms import RegionsChoiceField
from swstation.workforce.forms.fields import WorkerChoiceField, WorkersChoiceField

TEXT = forms.Textarea(attrs={"rows": 4})


class ProjectForm(ScopedModelForm):
    class Meta:
        model = Project
        fields = list(PROJECT_FIELDS)
        field_classes = {
            "lead": WorkerChoiceField,
            "team": WorkersChoiceField,
            "villages": RegionsChoiceField,
        }
        widgets = {
            "starts_on": date_input(),
            "ends_on": date_input(),
            "team": forms.SelectMultiple(attrs={"size": 8}),
            "villages": forms.SelectMultiple(attrs={"size": 8}),
            "target_groups": forms.CheckboxSelectMultiple,
            "partners": TEXT,
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


class ProjectChoiceField(forms.ModelChoiceField):
    """A project labelled with its station, so that the stations' namesakes differ."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.station.name} · {obj.name}"


class ProjectIndicatorForm(ScopedModelForm):
    """An indicator of an objective: what it counts (from the records, or by hand with
    evidence) and its target; the service types, standards and levels are the cases app's."""

    class Meta:
        model = ProjectIndicator
        fields = list(INDICATOR_FIELDS)
        field_classes = {"project": ProjectChoiceField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        if self.instance.pk:
            del fields["project"]
            if "evidence" in fields:
                shown = StoredFileInput()
                shown.label = self.instance.name
                shown.file_url = reverse(
                    "projects:projectindicator_evidence", args=[self.instance.pk]
                )
                fields["evidence"].widget = shown
        else:
            fields["project"].queryset = selectors.project_choices_for_writing(  # type: ignore[attr-defined]
                actor=self.user
            ).exclude(status__in=FINAL_STATUSES)
        blank = [("", "—")]
        fields["service_type"] = forms.ChoiceField(
            label=ProjectIndicator._meta.get_field("service_type").verbose_name,
            choices=blank + work.service_type_choices(),
            required=False,
            help_text=ProjectIndicator._meta.get_field("service_type").help_text,
        )
        standards = work.elderly_standard_choices()
        fields["standard"] = forms.ChoiceField(
            label=ProjectIndicator._meta.get_field("standard").verbose_name,
            choices=blank + standards,
            required=False,
            help_text=ProjectIndicator._meta.get_field("standard").help_text,
        )
        levels: list[tuple[Any, str]] = [
            (level, label)
            for standard, _label in standards
            for level, label in work.elderly_level_choices(standard)
        ]
        unique = dict(levels)
        fields["level"] = forms.TypedChoiceField(
            label=ProjectIndicator._meta.get_field("level").verbose_name,
            choices=blank + [(level, _level_label(level)) for level in sorted(unique)],
            coerce=int,
            empty_value=None,
            required=False,
            help_text=_(
                "Elders assessed: only those whose latest level under that standard is this one."
            ),
        )


def _level_label(level: int) -> str:
    return str(_("Level %(level)s") % {"level": level})


class ProjectReportForm(ScopedModelForm):
    class Meta:
        model = ProjectReport
        fields = ["project", "outcomes", "stories", "lessons", "written_on"]
        field_classes = {"project": ProjectChoiceField}
        widgets = {
            "outcomes": forms.Textarea(attrs={"rows": 6}),
            "stories": forms.Textarea(attrs={"rows": 6}),
            "lessons": TEXT,
            "written_on": date_input(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["project"]
            return
        self.fields["project"].queryset = selectors.project_choices_for_writing(  # type: ignore[attr-defined]
            actor=self.user
        ).filter(status__in=REPORT_STATUSES, report__isnull=True)


class _StoredFile:
    """The current file as the edit form shows it: named by what it is, linked to the page
    that sends it to those who may see the project (never the storage's own path or URL)."""

    def __init__(self, label: str, url: str) -> None:
        self.label, self.url = label, url

    def __str__(self) -> str:
        return self.label


class StoredFileInput(forms.ClearableFileInput):
    label = ""
    file_url = ""

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        if context["widget"]["is_initial"] and self.file_url:
            context["widget"]["value"] = _StoredFile(self.label, self.file_url)
        return context


class ProjectAttachmentForm(ScopedModelForm):
    class Meta:
        model = ProjectAttachment
        fields = ["project", "title", "file", "taken_on", "in_report"]
        field_classes = {"project": ProjectChoiceField}
        widgets = {
            "taken_on": date_input(),
            "file": StoredFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf,.docx,.xlsx"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["project"]
            widget = self.fields["file"].widget
            widget.label = self.instance.title
            widget.file_url = reverse("projects:projectattachment_file", args=[self.instance.pk])
            return
        self.fields["project"].queryset = selectors.project_choices_for_writing(  # type: ignore[attr-defined]
            actor=self.user
        ).exclude(status__in=(ProjectStatus.PROPOSED, ProjectStatus.TERMINATED))
