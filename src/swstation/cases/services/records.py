"""Writes on standard assessments, service records and visit schedules (domain.md §3).

- An elderly capability assessment is scored by the instrument its ``standard`` names
  (instruments/registry.py): GB/T 42195-2022 (spec/elderly-assessment-gbt42195.md) or MZ/T
  039-2013 (spec/elderly-assessment-mzt039.md). The service stores the items and conditions
  as given and what the instrument computes — never a view: MZ/T 039's grades, level before and
  after C.3 and whether a gap rule or an ambiguous table row decided it; GB/T 42195's subtotals,
  total, preliminary and final level, the C.4 reasons and the rules applied. The city's policy
  valid on the assessment's date (``ElderlyAssessmentPolicy``) says which standard a new
  assessment is made under (its default; MZ/T 039 only for the stations it lists), GB/T
  42195's configurable rules, and each standard's reassessment interval (6 months when no
  policy is in force). The standard of a record never changes. It is done by two different
  assessors, dated no later than today, of a person of 60 or more (when the date of birth is
  known).
- A child needs assessment ("swstation-child-needs-1", instruments/child_needs.py) stores the
  six domain scores and the help plan (一人一案); the risk level is computed; it is due again
  after 6 months, or 3 when the risk level is 2 or more.
- A service record is given by a worker of the station it is recorded for, to a recipient the
  author may see, on a day no later than today.
- A visit schedule ("health visit twice a month") ends no earlier than it starts.

Every function is keyword-only and atomic, validates with ``full_clean()`` and names the author
in the history. The platform itself (the demo, commands) acts as ``core.actors.SYSTEM``; a
missing actor is refused, never taken as leave to skip the jurisdiction checks.
Refusals are ValidationErrors naming the field and saying why.
"""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from swstation.cases.instruments.child_needs import NAME as CHILD_NEEDS_INSTRUMENT
from swstation.cases.instruments.registry import (
    ElderlyInstrument,
    ItemError,
    child_instrument,
    elderly_instrument,
)
from swstation.cases.models import (
    Case,
    ChildNeedsAssessment,
    ElderlyAssessment,
    ElderlyStandard,
    ServiceRecord,
    VisitSchedule,
)
from swstation.cases.selectors.assessments import unqualified_assessors
from swstation.cases.selectors.records import elderly_assessment_policy, elderly_standards_for
from swstation.core.actors import Actor, require_actor
from swstation.core.dates import add_months, age_on
from swstation.core.history import save_with_history
from swstation.projects.models import Project
from swstation.projects.selectors import project_link_error
from swstation.recipients.models import Recipient, RecipientStatus
from swstation.stations.models import Station
from swstation.workforce.models import SocialWorker

__all__ = [
    "CHILD_ASSESSMENT_FIELDS",
    "DEFAULT_CHILD_INSTRUMENT",
    "DEFAULT_ELDERLY_STANDARD",
    "ELDERLY_ASSESSMENT_FIELDS",
    "SERVICE_RECORD_FIELDS",
    "VISIT_SCHEDULE_FIELDS",
    "child_needs_assessment_create",
    "child_needs_assessment_update",
    "elderly_assessment_create",
    "elderly_assessment_update",
    "service_record_create",
    "service_record_update",
    "service_records_follow_move",
    "visit_schedule_create",
    "visit_schedule_update",
]

# The standard when no policy is in force (spec/elderly-assessment-gbt42195.md §8).
DEFAULT_ELDERLY_STANDARD: str = ElderlyStandard.GBT42195_2022
DEFAULT_CHILD_INSTRUMENT = CHILD_NEEDS_INSTRUMENT
# MZ/T 039-2013 §1: the standard assesses people aged 60 or more.
ELDERLY_MIN_AGE = 60
CHILD_MAX_AGE = 17

# What a caller may set; the results are computed.
ELDERLY_ASSESSMENT_FIELDS = frozenset(
    {
        "recipient",
        "case",
        "assessed_on",
        "reason",
        "assessor",
        "second_assessor",
        "items",
        "adjustments",
        "reason_note",
        "place",
        "informant_name",
        "informant_relation",
    }
)
CHILD_ASSESSMENT_FIELDS = frozenset(
    {"recipient", "case", "assessed_on", "assessor", "needs", "help_plan"}
)
SERVICE_RECORD_FIELDS = frozenset(
    {
        "recipient",
        "case",
        "station",
        "worker",
        "served_on",
        "service_type",
        "duration_minutes",
        "place",
        "volunteers",
        "notes",
        "project",
    }
)
VISIT_SCHEDULE_FIELDS = frozenset(
    {
        "recipient",
        "worker",
        "service_type",
        "times_per_month",
        "project",
        "project_text",
        "starts_on",
        "ends_on",
        "active",
    }
)


# --- shared checks -----------------------------------------------------------------------


class _Errors(dict[str, list[str]]):
    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)

    def raise_any(self) -> None:
        if self:
            raise ValidationError(dict(self))


def _visible(actor: Actor, obj: models.Model) -> bool:
    """Whether ``actor`` may see ``obj`` (``SYSTEM`` sees everything; no actor is an error)."""
    require_actor(actor)
    manager: Any = type(obj)._default_manager
    return bool(manager.visible_to(actor).filter(pk=obj.pk).exists())


def _check_visible(errors: _Errors, actor: Actor, field: str, obj: models.Model | None) -> None:
    if obj is not None and not _visible(actor, obj):
        errors.add(
            field,
            _("“%(object)s” is outside your jurisdiction: you cannot choose it.") % {"object": obj},
        )


def _check_date(errors: _Errors, field: str, day: date | None) -> None:
    if day is not None and day > timezone.localdate():
        errors.add(field, _("The date %(day)s is in the future.") % {"day": day.isoformat()})


def _check_case(
    errors: _Errors, actor: Actor, case: Case | None, recipient: Recipient | None
) -> None:
    if case is None:
        return
    _check_visible(errors, actor, "case", case)
    if recipient is not None and case.recipient_id != recipient.pk:
        errors.add(
            "case",
            _("Case %(case)s is not a case of %(recipient)s.")
            % {"case": case.number, "recipient": recipient.name},
        )


def _check_project(
    errors: _Errors,
    actor: Actor,
    project: Project | None,
    recipient: Recipient | None,
    day: date | None,
    *,
    planned: bool = False,
) -> None:
    """The project a service or a visit plan is recorded under (issue 12): one the actor may
    see, serving the person's place, approved, and running on the day."""
    if project is None:
        return
    _check_visible(errors, actor, "project", project)
    if recipient is not None and "project" not in errors:
        problem = project_link_error(project=project, recipient=recipient, day=day, planned=planned)
        if problem:
            errors.add("project", problem)


def _check_recipient(errors: _Errors, actor: Actor, recipient: Recipient | None) -> None:
    if recipient is None:
        return
    _check_visible(errors, actor, "recipient", recipient)
    if recipient.status == RecipientStatus.MERGED:
        errors.add(
            "recipient",
            _("%(name)s's record was merged into another one: record on that one.")
            % {"name": recipient.name},
        )


def _save[M: models.Model](actor: Actor, obj: M) -> M:
    obj.full_clean()
    save_with_history(obj, actor=actor)
    return obj


def _apply(obj: models.Model, changes: Mapping[str, Any], allowed: frozenset[str]) -> None:
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"cannot change {', '.join(sorted(unknown))}")
    for name, value in changes.items():
        setattr(obj, name, value)


def _item_message(error: ItemError, labels: Mapping[str, Any]) -> str:
    label = labels.get(error.item, error.item)
    if error.code == "coma_consciousness":
        return _(
            "%(item)s is %(value)s, but the person is recorded in a coma: a person in a coma "
            "scores 0 (stupor or coma)."
        ) % {"item": label, "value": error.value}
    if error.value is None:
        return _("%(item)s: a score is required.") % {"item": label}
    return _("%(item)s: %(value)s is not an allowed value.") % {
        "item": label,
        "value": error.value,
    }


# --- elderly capability assessment -------------------------------------------------------


def _instrument_labels(instrument: ElderlyInstrument) -> dict[str, Any]:
    labels: dict[str, Any] = {}
    for dimension in instrument.dimensions:
        labels[dimension.key] = dimension.label
        for item in dimension.items:
            labels[item.name] = item.label
    for condition in instrument.conditions:
        labels[condition.name] = condition.label
    return labels


def _clean_items(
    instrument: ElderlyInstrument, items: Mapping[str, Any]
) -> dict[str, dict[str, Any]]:
    """The items as stored: dimensions and items the instrument knows, blanks left out (a
    person in a coma may have them)."""
    cleaned: dict[str, dict[str, Any]] = {}
    for key, given in (items or {}).items():
        if isinstance(given, Mapping):
            kept = {name: value for name, value in given.items() if value not in (None, "")}
            if kept:
                cleaned[key] = kept
        else:
            cleaned[key] = given
    return cleaned


def _score_elderly(
    errors: _Errors,
    assessment: ElderlyAssessment,
    items: Mapping[str, Any],
    adjustments: Mapping[str, Any] | None,
) -> None:
    """Compute and set the results and the next due date with the assessment's own instrument
    (dispatch on ``standard``) and the city's rules valid on its date."""
    try:
        instrument = elderly_instrument(assessment.standard)
    except KeyError:
        errors.add(
            "standard",
            _("%(standard)s is not an assessment standard the platform knows.")
            % {"standard": assessment.standard},
        )
        return
    labels = _instrument_labels(instrument)
    if not isinstance(items, Mapping):
        errors.add("items", _("The item scores are a mapping of dimension to items and scores."))
        return
    if adjustments is not None and not isinstance(adjustments, Mapping):
        errors.add("adjustments", _("The adjustment conditions are a mapping of name to value."))
        return
    try:
        conditions = instrument.normalise_adjustments(adjustments)
    except ItemError as exc:
        errors.add("adjustments", _item_message(exc, labels))
        return
    if assessment.reason and assessment.reason not in instrument.reasons:
        errors.add(
            "reason",
            _("%(standard)s has no such reason for an assessment.")
            % {"standard": assessment.standard},
        )
    day = assessment.assessed_on
    policy = elderly_assessment_policy(on=day) if day else None
    rules = policy.gbt42195_rules() if policy is not None else None
    stored = _clean_items(instrument, items)
    try:
        outcome = instrument.evaluate(stored, conditions, rules)
    except ItemError as exc:
        errors.add("items", _item_message(exc, labels))
        return
    assessment.items = stored
    # The diagnoses are health data: encrypted apart, C.4's item ticked without its codes.
    assessment.store_conditions(conditions, outcome.change_reasons)
    for dimension in instrument.dimensions:
        if dimension.grade_field:
            setattr(assessment, dimension.grade_field, outcome.grades.get(dimension.key))
    assessment.subtotals = {k: v for k, v in outcome.totals.items() if v is not None}
    if not instrument.dimensions[0].grade_field:  # GB/T 42195: subtotals, not grades
        assessment.total = outcome.total
    assessment.base_level = outcome.base_level
    assessment.level = outcome.level
    assessment.rule_gap_resolved = outcome.rule_gap_resolved
    assessment.table_ambiguous = outcome.table_ambiguous
    assessment.rules = outcome.rules
    if assessment.assessed_on:
        months = (
            policy.reassess_months(assessment.standard)
            if policy is not None
            else instrument.reassess_months
        )
        assessment.next_due = add_months(assessment.assessed_on, months)
        if assessment.condition_changed_on:  # a reported change makes it due at once
            assessment.next_due = min(assessment.next_due, assessment.condition_changed_on)


def _check_standard_allowed(errors: _Errors, assessment: ElderlyAssessment) -> None:
    """A new assessment is made under a standard the city's policy allows on its date for its
    station: the policy's default, or MZ/T 039-2013 at a station the policy lists."""
    if not assessment.assessed_on or assessment.standard not in ElderlyStandard.values:
        return  # an unknown standard is named by _score_elderly
    allowed = elderly_standards_for(on=assessment.assessed_on, station=assessment.station)
    if assessment.standard not in allowed:
        station = assessment.station
        errors.add(
            "standard",
            _(
                "On %(day)s the city assesses under %(allowed)s; %(standard)s only at the "
                "stations its assessment policy lists, and %(station)s is not one of them."
            )
            % {
                "day": assessment.assessed_on.isoformat(),
                "allowed": "、".join(allowed),
                "standard": assessment.standard,
                "station": station.name if station is not None else _("this station"),
            },
        )


def _check_elderly(errors: _Errors, actor: Actor, assessment: ElderlyAssessment) -> None:
    recipient = assessment.recipient
    _check_recipient(errors, actor, recipient)
    _check_case(errors, actor, assessment.case, recipient)
    _check_visible(errors, actor, "assessor", assessment.assessor)
    _check_visible(errors, actor, "second_assessor", assessment.second_assessor)
    if assessment.assessor_id and assessment.assessor_id == assessment.second_assessor_id:
        errors.add(
            "second_assessor",
            _("The assessment is done by two people: choose a second assessor other than %(name)s.")
            % {"name": assessment.assessor.name},
        )
    _check_date(errors, "assessed_on", assessment.assessed_on)
    day = assessment.assessed_on
    _check_assessors_qualified(errors, assessment)
    if recipient.birth_date and day and age_on(recipient.birth_date, day) < ELDERLY_MIN_AGE:
        errors.add(
            "recipient",
            _(
                "%(name)s was %(age)s on %(day)s: the elderly assessment is for people "
                "of 60 or more."
            )
            % {
                "name": recipient.name,
                "age": age_on(recipient.birth_date, day),
                "day": day.isoformat(),
            },
        )


def _check_assessors_qualified(errors: _Errors, assessment: ElderlyAssessment) -> None:
    """Where the city's policy on the assessment's day requires it (spec §6, §9.8: policy
    data), both assessors hold a qualification valid that day: an assessor qualification
    recorded for them or, where the policy counts it, a social worker certificate."""
    day = assessment.assessed_on
    if not day or not assessment.assessor_id or not assessment.second_assessor_id:
        return
    policy = elderly_assessment_policy(on=day)
    pairs = (("assessor", assessment.assessor), ("second_assessor", assessment.second_assessor))
    missing = unqualified_assessors(day=day, workers=[w for _f, w in pairs], policy=policy)
    for field, worker in pairs:
        if worker in missing:
            errors.add(
                field,
                _(
                    "%(name)s holds no assessor qualification valid on %(day)s: the city's "
                    "assessment policy (%(policy)s) requires two qualified assessors. Record "
                    "their qualification (an elderly capability assessor certificate, say) or "
                    "choose another assessor."
                )
                % {"name": worker.name, "day": day.isoformat(), "policy": policy},
            )


@transaction.atomic
def elderly_assessment_create(
    *,
    actor: Actor,
    recipient: Recipient,
    assessed_on: date,
    reason: str,
    assessor: SocialWorker,
    second_assessor: SocialWorker,
    items: Mapping[str, Any],
    adjustments: Mapping[str, Any] | None = None,
    case: Case | None = None,
    standard: str | None = None,
    reason_note: str = "",
    place: str = "",
    informant_name: str = "",
    informant_relation: str = "",
) -> ElderlyAssessment:
    """Record an elderly capability assessment scored by ``standard``'s instrument; without a
    standard, the one the city's policy sets for new assessments on that day."""
    assessment = ElderlyAssessment(
        recipient=recipient,
        case=case,
        assessed_on=assessed_on,
        reason=reason,
        reason_note=reason_note,
        place=place,
        informant_name=informant_name,
        informant_relation=informant_relation,
        assessor=assessor,
        second_assessor=second_assessor,
    )
    if standard is None:
        allowed = (
            elderly_standards_for(on=assessed_on, station=assessment.station)
            if assessed_on
            else [DEFAULT_ELDERLY_STANDARD]
        )
        standard = allowed[0]
    assessment.standard = standard
    errors = _Errors()
    _check_elderly(errors, actor, assessment)
    _check_standard_allowed(errors, assessment)
    _score_elderly(errors, assessment, items, adjustments)
    errors.raise_any()
    return _save(actor, assessment)


@transaction.atomic
def elderly_assessment_update(
    *, actor: Actor, assessment: ElderlyAssessment, **changes: Any
) -> ElderlyAssessment:
    """Correct an assessment; the results are computed again by its own standard (a record
    made under an older standard stays under it: ``standard`` cannot be changed) with the
    rules valid on its date."""
    items = changes.pop("items", assessment.items)
    # Conditions not given keep their values, the health data too (an API client that may not
    # read the diagnoses does not erase them by sending the other conditions).
    given = changes.pop("adjustments", None)
    adjustments = assessment.all_conditions()
    if isinstance(given, Mapping):
        adjustments.update(given)
    elif given is not None:
        adjustments = given
    _apply(assessment, changes, ELDERLY_ASSESSMENT_FIELDS)
    errors = _Errors()
    _check_elderly(errors, actor, assessment)
    _score_elderly(errors, assessment, items, adjustments)
    errors.raise_any()
    return _save(actor, assessment)


# --- child needs assessment --------------------------------------------------------------


def _score_child(
    errors: _Errors, assessment: ChildNeedsAssessment, needs: Mapping[str, Any]
) -> None:
    try:
        instrument = child_instrument(assessment.instrument)
    except KeyError:
        errors.add(
            "instrument",
            _("%(name)s is not an instrument the platform knows.")
            % {"name": assessment.instrument},
        )
        return
    labels = {item.name: item.label for item in instrument.domains}
    try:
        stored = instrument.normalise(needs)
        outcome = instrument.evaluate(stored)
    except ItemError as exc:
        errors.add("needs", _item_message(exc, labels))
        return
    assessment.needs = stored
    assessment.risk_level = outcome.risk_level
    if assessment.assessed_on:
        assessment.next_due = add_months(assessment.assessed_on, outcome.reassess_months)


def _check_child(errors: _Errors, actor: Actor, assessment: ChildNeedsAssessment) -> None:
    recipient = assessment.recipient
    _check_recipient(errors, actor, recipient)
    _check_case(errors, actor, assessment.case, recipient)
    _check_visible(errors, actor, "assessor", assessment.assessor)
    _check_date(errors, "assessed_on", assessment.assessed_on)
    day = assessment.assessed_on
    if recipient.birth_date and day and age_on(recipient.birth_date, day) > CHILD_MAX_AGE:
        errors.add(
            "recipient",
            _("%(name)s was %(age)s on %(day)s: the child needs assessment is for minors.")
            % {
                "name": recipient.name,
                "age": age_on(recipient.birth_date, day),
                "day": day.isoformat(),
            },
        )
    if not (assessment.help_plan or "").strip():
        errors.add("help_plan", _("Write the child's personalised help plan (一人一案)."))


@transaction.atomic
def child_needs_assessment_create(
    *,
    actor: Actor,
    recipient: Recipient,
    assessed_on: date,
    assessor: SocialWorker,
    needs: Mapping[str, Any],
    help_plan: str,
    case: Case | None = None,
    instrument: str = DEFAULT_CHILD_INSTRUMENT,
) -> ChildNeedsAssessment:
    """Record a child's needs with the help plan; the risk level and due date are computed."""
    assessment = ChildNeedsAssessment(
        recipient=recipient,
        case=case,
        instrument=instrument,
        assessed_on=assessed_on,
        assessor=assessor,
        help_plan=help_plan,
    )
    errors = _Errors()
    _check_child(errors, actor, assessment)
    _score_child(errors, assessment, needs)
    errors.raise_any()
    return _save(actor, assessment)


@transaction.atomic
def child_needs_assessment_update(
    *, actor: Actor, assessment: ChildNeedsAssessment, **changes: Any
) -> ChildNeedsAssessment:
    needs = changes.pop("needs", assessment.needs)
    _apply(assessment, changes, CHILD_ASSESSMENT_FIELDS)
    errors = _Errors()
    _check_child(errors, actor, assessment)
    _score_child(errors, assessment, needs)
    errors.raise_any()
    return _save(actor, assessment)


# --- service records ---------------------------------------------------------------------


def _check_service_record(errors: _Errors, actor: Actor, record: ServiceRecord) -> None:
    recipient = record.recipient
    _check_recipient(errors, actor, recipient)
    _check_case(errors, actor, record.case, recipient)
    _check_visible(errors, actor, "worker", record.worker)
    _check_date(errors, "served_on", record.served_on)
    _check_project(errors, actor, record.project, recipient, record.served_on)
    worker, station = record.worker, record.station
    if station is not None and worker.station_id != station.pk:
        errors.add(
            "worker",
            _(
                "%(worker)s does not work at %(station)s: a service is recorded by the "
                "station's staff."
            )
            % {"worker": worker.name, "station": station.name},
        )
    if record.served_on and worker.left_on and worker.left_on <= record.served_on:
        errors.add(
            "worker",
            _("%(worker)s left on %(day)s, before this service.")
            % {"worker": worker.name, "day": worker.left_on.isoformat()},
        )


@transaction.atomic
def service_record_create(
    *,
    actor: Actor,
    recipient: Recipient,
    worker: SocialWorker,
    served_on: date,
    service_type: str,
    duration_minutes: int,
    station: Station | None = None,
    case: Case | None = None,
    place: str = "",
    volunteers: str = "",
    notes: str = "",
    project: Project | None = None,
) -> ServiceRecord:
    """Record a service; ``station`` defaults to the worker's station (quick entry)."""
    errors = _Errors()
    if station is None:
        station = worker.station
        if station is None:
            errors.add(
                "worker",
                _("%(worker)s is on no station: a service is recorded for a station.")
                % {"worker": worker.name},
            )
            errors.raise_any()
    record = ServiceRecord(
        recipient=recipient,
        worker=worker,
        station=station,
        case=case,
        served_on=served_on,
        service_type=service_type,
        duration_minutes=duration_minutes,
        place=place,
        volunteers=volunteers,
        notes=notes,
        project=project,
    )
    _check_service_record(errors, actor, record)
    errors.raise_any()
    return _save(actor, record)


@transaction.atomic
def service_record_update(*, actor: Actor, record: ServiceRecord, **changes: Any) -> ServiceRecord:
    _apply(record, changes, SERVICE_RECORD_FIELDS)
    errors = _Errors()
    _check_service_record(errors, actor, record)
    errors.raise_any()
    return _save(actor, record)


def service_records_follow_move(*, recipient: Recipient) -> int:
    """A person moved to another village: their services carry its code from now on (the
    copy the lists' jurisdiction reads, ServiceRecord.region_code). No history line: the
    record itself did not change, its person's village did."""
    code = recipient.region.code
    moved: int = (
        ServiceRecord.objects.filter(recipient=recipient)
        .exclude(region_code=code)
        .update(region_code=code)
    )
    return moved


# --- visit schedules ---------------------------------------------------------------------


def _date_deactivation(schedule: VisitSchedule) -> None:
    """A plan switched off is dated that day (issue 18: the periods it ran in still count it);
    switched on again, it runs from then as before."""
    if schedule.active:
        schedule.deactivated_on = None
    elif schedule.deactivated_on is None:
        schedule.deactivated_on = timezone.localdate()


def _check_schedule(errors: _Errors, actor: Actor, schedule: VisitSchedule) -> None:
    _check_recipient(errors, actor, schedule.recipient)
    _check_visible(errors, actor, "worker", schedule.worker)
    _check_project(
        errors, actor, schedule.project, schedule.recipient, schedule.starts_on, planned=True
    )
    if schedule.ends_on and schedule.starts_on and schedule.ends_on < schedule.starts_on:
        errors.add("ends_on", _("The schedule ends before it starts."))


@transaction.atomic
def visit_schedule_create(
    *,
    actor: Actor,
    recipient: Recipient,
    worker: SocialWorker,
    service_type: str,
    times_per_month: int,
    starts_on: date,
    ends_on: date | None = None,
    project: Project | None = None,
    project_text: str = "",
    active: bool = True,
) -> VisitSchedule:
    """Plan regular services such as "health visit twice a month" for a recipient."""
    schedule = VisitSchedule(
        recipient=recipient,
        worker=worker,
        service_type=service_type,
        times_per_month=times_per_month,
        starts_on=starts_on,
        ends_on=ends_on,
        project=project,
        project_text=project_text,
        active=active,
    )
    _date_deactivation(schedule)
    errors = _Errors()
    _check_schedule(errors, actor, schedule)
    errors.raise_any()
    return _save(actor, schedule)


@transaction.atomic
def visit_schedule_update(
    *, actor: Actor, schedule: VisitSchedule, **changes: Any
) -> VisitSchedule:
    _apply(schedule, changes, VISIT_SCHEDULE_FIELDS)
    _date_deactivation(schedule)
    errors = _Errors()
    _check_schedule(errors, actor, schedule)
    errors.raise_any()
    return _save(actor, schedule)
