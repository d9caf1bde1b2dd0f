"""Forms of assessments, service records and visit schedules. Choices of related records are
limited to the user's jurisdiction by ScopedModelForm; scores are computed and rules checked by
services/records.py, never here. The elderly assessment form is built from the items of the
instrument its ``standard`` names, so that each standard brings its own form: GB/T 42195-2022
(new assessments, by default) or MZ/T 039-2013 (old records, and stations the city's policy
still lets assess under it)."""

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from swstation.cases.instruments.gbt42195 import ICD10, split_codes
from swstation.cases.instruments.registry import (
    Condition,
    Dimension,
    child_instrument,
    elderly_instrument,
    elderly_standards,
)
from swstation.cases.models import (
    AssessmentReason,
    ChildNeedsAssessment,
    ElderlyAssessment,
    ElderlyAssessmentPolicy,
    ServiceRecord,
    ServiceType,
    VisitSchedule,
)
from swstation.cases.selectors.cases import case_list
from swstation.cases.selectors.records import (
    elderly_assessment_policy,
    elderly_standards_for,
    quick_entry_recipients,
    recent_recipients,
)
from swstation.cases.services.records import DEFAULT_CHILD_INSTRUMENT
from swstation.core.forms import ScopedModelForm, date_input, limit_choices_to_user
from swstation.projects.selectors import project_link_choices
from swstation.recipients.models import Recipient
from swstation.workforce.models import SocialWorker

__all__ = [
    "ChildNeedsAssessmentForm",
    "ConditionChangeForm",
    "ElderlyAssessmentForm",
    "ElderlyAssessmentPolicyForm",
    "QuickServiceRecordForm",
    "RecipientSearchWidget",
    "ServiceRecordForm",
    "VisitScheduleForm",
]

# The empty choice of a select the form builds itself: the same words as every other select.
EMPTY_CHOICE = ("", _("- Select an option -"))


class RecipientSearchWidget(forms.Widget):
    """Pick a recipient by typing part of the name (htmx asks ``cases:recipient_search``) and
    tapping a result: radio buttons with big touch targets. The chosen recipient and the
    worker's recent ones are shown at once; a long select of every recipient never is."""

    template_name = "cases/records/recipient_search_widget.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.queryset: QuerySet[Any] | None = None
        self.recent: list[Any] = []
        self.station: Any = None

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        selected = None
        if value not in (None, "") and self.queryset is not None:
            try:
                selected = self.queryset.filter(pk=int(value)).first()
            except (TypeError, ValueError):
                selected = None
        options = [selected] if selected is not None else []
        options += [r for r in self.recent if selected is None or r.pk != selected.pk]
        params = {"name": name}
        if self.station is not None:
            params["station"] = str(self.station.pk)
        context["widget"].update(
            {
                "options": options,
                "selected_pk": selected.pk if selected is not None else None,
                "search_url": f"{reverse('cases:recipient_search')}?{urlencode(params)}",
            }
        )
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name)


def _use_recipient_search(form: forms.BaseForm, **extra: Any) -> None:
    field = form.fields["recipient"]
    assert isinstance(field, forms.ModelChoiceField)
    widget = RecipientSearchWidget()
    widget.queryset = field.queryset
    for name, value in extra.items():
        setattr(widget, name, value)
    field.widget = widget


def _default_today(form: forms.BaseForm, name: str) -> None:
    if not getattr(getattr(form, "instance", None), "pk", None):
        form.fields[name].initial = timezone.localdate()


def _current_workers(form: ScopedModelForm, *names: str) -> None:
    """Only people still working (a past record keeps its worker when edited)."""
    today = timezone.localdate()
    for name in names:
        field = form.fields[name]
        assert isinstance(field, forms.ModelChoiceField) and field.queryset is not None
        keep = getattr(form.instance, f"{name}_id", None)
        field.queryset = field.queryset.filter(
            Q(left_on__isnull=True) | Q(left_on__gte=today) | Q(pk=keep or 0)
        )


def _own_cases(form: ScopedModelForm) -> None:
    """Case choices as the case pages show them (a social worker's own cases), keeping the
    record's current case when it is edited."""
    field = form.fields["case"]
    assert isinstance(field, forms.ModelChoiceField) and field.queryset is not None
    keep = getattr(form.instance, "case_id", None) or 0
    field.queryset = field.queryset.filter(
        Q(pk__in=case_list(actor=form.user).values("pk")) | Q(pk=keep)
    ).select_related("recipient")
    # The chosen person's cases only (issue 10).
    from swstation.cases.forms.case_choice import narrow_cases_to_person

    narrow_cases_to_person(form)


def _flag(value: Any) -> bool:
    return value in (True, "True", "true", "1", "on")


def _codes_field(condition: Condition) -> forms.Field:
    return forms.CharField(
        label=condition.label,
        required=False,
        max_length=300,
        help_text=condition.help_text,
        widget=forms.TextInput(attrs={"placeholder": "F00.1, I10"}),
    )


def _condition_field(condition: Condition) -> forms.Field:
    if condition.kind == "codes":
        return _codes_field(condition)
    if condition.kind == "flag":
        return forms.TypedChoiceField(
            label=condition.label,
            choices=condition.choices,
            coerce=_flag,
            empty_value=False,  # type: ignore[arg-type]
            initial=condition.default,
            help_text=condition.help_text,
        )
    if isinstance(condition.default, int):
        return forms.TypedChoiceField(
            label=condition.label,
            choices=condition.choices,
            coerce=int,
            initial=condition.default,
            help_text=condition.help_text,
        )
    return forms.ChoiceField(
        label=condition.label,
        choices=condition.choices,
        initial=condition.default,
        required=condition.default != "",
        help_text=condition.help_text,
    )


def default_elderly_standard() -> str:
    """The standard of a new assessment made today, before its station is known."""
    return elderly_standards_for(on=timezone.localdate(), station=None)[0]


class ElderlyAssessmentForm(ScopedModelForm):
    """Every item of the standard as a choice of its allowed scores with their meaning, the
    conditions the standard reads (MZ/T 039: C.3; GB/T 42195: the base information of Annex A
    that C.4 reads), the reason, two assessors, the date, and for the report the place and the
    informant. Fields are named ``<dimension>__<item>`` and ``adj__<condition>``.

    ``standard`` chooses the instrument of a new assessment (an existing one keeps its own);
    the service checks that the city's policy allows it for the station on that day."""

    class Meta:
        model = ElderlyAssessment
        fields = [
            "recipient",
            "case",
            "assessed_on",
            "reason",
            "reason_note",
            "assessor",
            "second_assessor",
            "place",
            "informant_name",
            "informant_relation",
        ]
        widgets = {"assessed_on": date_input()}

    def __init__(
        self,
        *args: Any,
        standard: str | None = None,
        health_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        """``health_data``: the assessment's diagnoses as the edit page read them (a logged
        view); without it the form of an existing assessment shows none of them."""
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            standard = self.instance.standard
        elif standard not in elderly_standards():
            standard = default_elderly_standard()
        assert standard is not None
        self.assessment_standard = standard
        self.instrument = elderly_instrument(standard)
        if not self.instance.pk:
            self.instance.standard = standard
            self.fields["standard"] = forms.CharField(
                widget=forms.HiddenInput, initial=standard, required=False
            )
        reason = self.fields["reason"]
        assert isinstance(reason, forms.ChoiceField)
        reason.choices = [EMPTY_CHOICE] + [
            (value, label)
            for value, label in AssessmentReason.choices
            if value in self.instrument.reasons
        ]
        _use_recipient_search(self)
        _own_cases(self)
        _default_today(self, "assessed_on")
        _current_workers(self, "assessor", "second_assessor")
        stored_items = self.instance.items or {}
        stored_conditions = {**(self.instance.adjustments or {}), **(health_data or {})}
        for dimension in self.instrument.dimensions:
            for item in dimension.items:
                name = f"{dimension.key}__{item.name}"
                self.fields[name] = forms.TypedChoiceField(
                    label=item.label,
                    choices=[EMPTY_CHOICE, *item.choices],
                    coerce=int,
                    empty_value=None,
                    required=False,  # a person in a coma may be rated without them: see clean()
                    initial=(stored_items.get(dimension.key) or {}).get(item.name),
                )
        for condition in self.instrument.conditions:
            field = _condition_field(condition)
            if condition.name in stored_conditions:
                value = stored_conditions[condition.name]
                field.initial = ", ".join(value) if condition.kind == "codes" else value
            self.fields[f"adj__{condition.name}"] = field

    def other_standards(self) -> list[str]:
        """The standards the add page may switch to (the city's policy today lets some stations
        still assess under MZ/T 039-2013)."""
        if self.instance.pk:
            return []
        policy = elderly_assessment_policy(on=timezone.localdate())
        allowed = {policy.default_standard} if policy else set()
        if policy is not None and policy.mzt039_stations.exists():
            allowed.add("MZ/T 039-2013")
        return sorted(allowed - {self.assessment_standard})

    def dimension_fields(self) -> list[tuple[Dimension, list[forms.BoundField]]]:
        return [
            (dimension, [self[f"{dimension.key}__{item.name}"] for item in dimension.items])
            for dimension in self.instrument.dimensions
        ]

    def condition_fields(self) -> list[forms.BoundField]:
        return [self[f"adj__{condition.name}"] for condition in self.instrument.conditions]

    def base_fields_bound(self) -> list[forms.BoundField]:
        return [self[name] for name in self.Meta.fields[:6]]

    def report_fields_bound(self) -> list[forms.BoundField]:
        return [self[name] for name in self.Meta.fields[6:]]

    def items(self) -> dict[str, dict[str, int]]:
        data = self.cleaned_data
        return {
            dimension.key: {
                item.name: data[f"{dimension.key}__{item.name}"]
                for item in dimension.items
                if data.get(f"{dimension.key}__{item.name}") is not None
            }
            for dimension in self.instrument.dimensions
        }

    def adjustments(self) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for condition in self.instrument.conditions:
            value = self.cleaned_data.get(f"adj__{condition.name}", condition.default)
            if condition.kind == "codes":
                value = split_codes(value)
            result[condition.name] = value
        return result

    def _clean_codes(self, name: str) -> None:
        bad = [code for code in split_codes(self.cleaned_data.get(name)) if not ICD10.match(code)]
        if bad:
            self.add_error(
                name,
                _("“%(code)s” is not an ICD-10 code such as F00.1 or I10.") % {"code": bad[0]},
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None
        for condition in self.instrument.conditions:
            if condition.kind == "codes":
                self._clean_codes(f"adj__{condition.name}")
        day = cleaned.get("assessed_on")
        policy = elderly_assessment_policy(on=day) if day else None
        rules = policy.gbt42195_rules() if policy is not None else None
        adjustments = {} if any(n.startswith("adj__") for n in self.errors) else self.adjustments()
        if self.instrument.optional_items(self.items(), adjustments, rules):
            return cleaned
        for dimension in self.instrument.dimensions:
            for item in dimension.items:
                name = f"{dimension.key}__{item.name}"
                if cleaned.get(name) is None and name not in self.errors:
                    self.add_error(name, self.fields[name].error_messages["required"])
        return cleaned


class ConditionChangeForm(forms.Form):
    """A change in an elder's condition (a fall, a stay in hospital, a new diagnosis…): the
    latest assessment is due again at once (services.elderly_condition_change_report)."""

    condition_changed_on = forms.DateField(
        label=_("change of condition reported on"), widget=date_input()
    )
    condition_change_note = forms.CharField(
        label=_("change of condition"),
        max_length=200,
        help_text=_("What changed, in a few words; no diagnosis."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["condition_changed_on"].initial = timezone.localdate()
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control form-control-sm"


class ElderlyAssessmentPolicyForm(ScopedModelForm):
    """The city's elderly assessment policy: the standard of new assessments, the stations still
    under MZ/T 039-2013, the reassessment intervals and the GB/T 42195 rules that are data."""

    class Meta:
        model = ElderlyAssessmentPolicy
        fields = [
            "name",
            "valid_from",
            "valid_to",
            "default_standard",
            "mzt039_stations",
            "gbt42195_reassess_months",
            "mzt039_reassess_months",
            "level0_min_total",
            "level1_min_total",
            "level2_min_total",
            "level3_min_total",
            "risk_threshold",
            "risk_count",
            "count_other_events",
            "cumulative",
            "coma_level",
            "coma_items_optional",
            "dementia_codes",
            "disorder_codes",
            "qualified_assessors_only",
            "social_work_certificate_qualifies",
        ]
        widgets = {"valid_from": date_input(), "valid_to": date_input()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stations = self.fields["mzt039_stations"]
        assert isinstance(stations, forms.ModelMultipleChoiceField)
        assert stations.queryset is not None
        stations.queryset = stations.queryset.select_related("region").order_by(
            "region__code", "name"
        )


class ChildNeedsAssessmentForm(ScopedModelForm):
    """The six domains scored 0–3 with a note each, and the personalised help plan."""

    class Meta:
        model = ChildNeedsAssessment
        fields = ["recipient", "case", "assessed_on", "assessor", "help_plan"]
        widgets = {"assessed_on": date_input(), "help_plan": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = child_instrument(self.instance.instrument or DEFAULT_CHILD_INSTRUMENT)
        _use_recipient_search(self)
        _own_cases(self)
        _default_today(self, "assessed_on")
        _current_workers(self, "assessor")
        stored = self.instance.needs or {}
        for domain in self.instrument.domains:
            entry = stored.get(domain.name) or {}
            self.fields[f"need__{domain.name}"] = forms.TypedChoiceField(
                label=domain.label,
                choices=[EMPTY_CHOICE, *domain.choices],
                coerce=int,
                empty_value=None,
                initial=entry.get("score"),
            )
            self.fields[f"note__{domain.name}"] = forms.CharField(
                label=_("Notes"),
                required=False,
                max_length=500,
                initial=entry.get("note", ""),
                widget=forms.TextInput(attrs={"placeholder": _("What the need is")}),
            )

    def domain_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[f"need__{domain.name}"], self[f"note__{domain.name}"])
            for domain in self.instrument.domains
        ]

    def needs(self) -> dict[str, dict[str, Any]]:
        data = self.cleaned_data
        return {
            domain.name: {
                "score": data.get(f"need__{domain.name}"),
                "note": data.get(f"note__{domain.name}", ""),
            }
            for domain in self.instrument.domains
        }


class ServiceRecordForm(ScopedModelForm):
    class Meta:
        model = ServiceRecord
        fields = [
            "recipient",
            "case",
            "station",
            "worker",
            "served_on",
            "service_type",
            "duration_minutes",
            "place",
            "notes",
            "project",
        ]
        widgets = {"served_on": date_input(), "notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _use_recipient_search(self)
        _own_cases(self)
        _default_today(self, "served_on")
        self.exclude_choices("worker", station__isnull=True)
        _current_workers(self, "worker")
        _working_projects(self)


class VisitScheduleForm(ScopedModelForm):
    class Meta:
        model = VisitSchedule
        fields = [
            "recipient",
            "worker",
            "service_type",
            "times_per_month",
            "project",
            "starts_on",
            "ends_on",
            "active",
        ]
        widgets = {"starts_on": date_input(), "ends_on": date_input()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _use_recipient_search(self)
        _default_today(self, "starts_on")
        _current_workers(self, "worker")
        _working_projects(self)
        self.fields["times_per_month"].help_text = _(
            "A visit is due about every 30 / this many days after the last one."
        )


def _working_projects(form: ScopedModelForm) -> None:
    """The project choices (issue 12): approved projects the user may see, the record's own
    kept; the services check that the project serves the person on the day."""
    field = form.fields["project"]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = project_link_choices(actor=form.user, keep=form.instance.project_id)
    field.help_text = _("The project this work is done under; its indicators count it.")


class QuickServiceRecordForm(forms.Form):
    """The short form a worker fills on a phone after a visit: whom, when, what, how long.

    The worker is the one linked to the user's account and the station is theirs; a user
    with no linked worker record (a manager) picks the worker."""

    # Both querysets are set in __init__, for the user.
    recipient = forms.ModelChoiceField(label=_("recipient"), queryset=Recipient.objects.none())
    worker = forms.ModelChoiceField(label=_("social worker"), queryset=SocialWorker.objects.none())
    served_on = forms.DateField(label=_("date"), widget=date_input())
    service_type = forms.ChoiceField(
        label=_("service type"), choices=ServiceType.choices, widget=forms.RadioSelect
    )
    duration_minutes = forms.IntegerField(
        label=_("duration (minutes)"),
        min_value=1,
        max_value=24 * 60,
        initial=30,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 5}),
    )
    notes = forms.CharField(
        label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: Any, worker: SocialWorker | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.linked_worker = worker
        recipient_field = self.fields["recipient"]
        assert isinstance(recipient_field, forms.ModelChoiceField)
        recipient_field.queryset = quick_entry_recipients(actor=user, worker=worker)
        if worker is not None:
            del self.fields["worker"]
        else:
            worker_field = self.fields["worker"]
            assert isinstance(worker_field, forms.ModelChoiceField)
            worker_field.queryset = (
                SocialWorker.objects.filter(station__isnull=False)
                .exclude(left_on__lt=timezone.localdate())
                .select_related("station")
                .order_by("station__name", "name")
            )
            limit_choices_to_user(self.fields, user)
        _use_recipient_search(
            self,
            recent=recent_recipients(actor=user, worker=worker),
            station=getattr(worker, "station", None),
        )
        self.fields["served_on"].initial = timezone.localdate()
        self.fields["service_type"].initial = ServiceType.HOME_VISIT

    def chosen_worker(self) -> SocialWorker:
        worker = self.linked_worker or self.cleaned_data["worker"]
        assert isinstance(worker, SocialWorker)
        return worker
