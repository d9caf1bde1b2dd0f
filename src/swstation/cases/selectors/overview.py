"""A person's casework on their page (issue 10, "the person at the centre"): their cases with
the stage and next step, visit plans with the next visit due, recent service records, elderly
capability and child needs assessments, the timeline of all of it, and the actions a worker
takes from there with the person, the worker and the case preset.

The recipient page belongs to the recipients app, which sits below this one: it declares a port
(``recipients.overview``) and this module fills it (``CasesConfig.ready`` registers
:func:`recipient_casework`). Everything is read through this app's selectors, so the page shows
what the lists show the same user: a social worker their own cases (case_list), the
jurisdiction's services, plans and assessments; no child needs assessment to an auditor.

A fixed number of queries whatever the number of records: each list is one query, cut to its
first rows (the counts are one query each).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.db.models import Case as Conditional
from django.db.models import F, IntegerField, Value, When
from django.urls import reverse
from django.utils.translation import gettext as _

from swstation.cases.instruments.registry import child_instrument, elderly_level_label
from swstation.cases.models import (
    Case,
    CaseStage,
    CaseStageChange,
    ChildNeedsAssessment,
    ElderlyAssessment,
    ServiceRecord,
    VisitSchedule,
)
from swstation.cases.selectors.cases import case_list, case_transfer_list
from swstation.cases.selectors.home import _with_overdue_goals, next_step_of
from swstation.cases.selectors.records import (
    ASSESSMENT_DUE_WINDOW_DAYS,
    NOT_SERVED,
    actor_social_worker,
    child_needs_assessment_list,
    elderly_assessment_list,
    service_record_list,
    visit_schedule_list,
    visit_schedules_with_next_due,
)
from swstation.core.actors import Actor
from swstation.core.permissions import user_can
from swstation.recipients.models import Recipient
from swstation.recipients.overview import Action, Event, Fact, OverviewPart, Section
from swstation.workforce.models import SocialWorker

__all__ = [
    "ELDERLY_AGE",
    "OVERVIEW_ASSESSMENTS",
    "OVERVIEW_SERVICES",
    "AssessmentRow",
    "CaseRow",
    "PlanRow",
    "recipient_casework",
]

# A section lists this many of the newest rows (the timeline takes the services too).
OVERVIEW_SERVICES = 10
TIMELINE_SERVICES = 30
OVERVIEW_ASSESSMENTS = 10
# The elderly capability assessment is for people of 60 and over (MZ/T 039, GB/T 42195).
ELDERLY_AGE = 60


def _url(name: str, **params: Any) -> str:
    query = urlencode({key: value for key, value in params.items() if value not in (None, "")})
    return reverse(name) + (f"?{query}" if query else "")


def _pk(obj: Any) -> Any:
    return getattr(obj, "pk", None)


# --- cases -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseRow:
    case: Case
    open: bool
    step: str
    waiting: bool
    goals_overdue: int
    record_url: str  # record a service within this case ("" when not offered)


def _cases(actor: Actor, recipient: Recipient, on: date) -> list[Case]:
    """The person's cases the actor may see, open ones first (the longest open first), then
    the closed ones, the latest closed first; each with its overdue goals and whether its
    closure waits for the supervisor (as on the home page). One query."""
    cases = case_list(actor=actor).filter(recipient=recipient)
    return list(
        _with_overdue_goals(cases, on)
        .annotate(
            closed=Conditional(
                When(stage=CaseStage.CLOSED, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("closed", F("closed_on").desc(nulls_last=True), "opened_on", "pk")
    )


def _stage_events(actor: Actor, cases: list[Case]) -> list[Event]:
    """Each case's opening, stage changes, closure and reopening, from its stage log."""
    if not cases:
        return []
    by_pk = {case.pk: case for case in cases}
    events = []
    changes: Iterable[CaseStageChange] = (
        CaseStageChange.objects.visible_to(actor)
        .filter(case_id__in=by_pk)
        .order_by("changed_on", "pk")
    )
    for change in changes:
        case = by_pk[change.case_id]
        stage = change.get_to_stage_display()
        if not change.from_stage:
            title = _("Case opened (%(stage)s)") % {"stage": stage}
        elif change.to_stage == CaseStage.CLOSED:
            title = _("Closure approved: case closed")
        elif change.from_stage == CaseStage.CLOSED:
            title = _("Case reopened (%(stage)s)") % {"stage": stage}
        else:
            title = _("Stage: %(old)s → %(new)s") % {
                "old": change.get_from_stage_display(),
                "new": stage,
            }
        events.append(
            Event(
                day=change.changed_on,
                kind="case",
                title=title,
                detail=" · ".join(part for part in (case.number, change.reason) if part),
                url=case.get_absolute_url(),
                icon="folder2-open",
                order=1,
            )
        )
    return events


def _transfer_events(actor: Actor, cases: list[Case]) -> list[Event]:
    if not cases:
        return []
    transfers = case_transfer_list(actor=actor).filter(case__in=[case.pk for case in cases])
    return [
        Event(
            day=transfer.transferred_on,
            kind="case",
            title=_(
                "Transferred: %(from_worker)s (%(from_station)s) → %(to_worker)s (%(to_station)s)"
            )
            % {
                "from_worker": transfer.from_worker.name,
                "from_station": transfer.from_station.name,
                "to_worker": transfer.to_worker.name,
                "to_station": transfer.to_station.name,
            },
            detail=" · ".join(part for part in (transfer.case.number, transfer.reason) if part),
            url=transfer.case.get_absolute_url(),
            icon="arrow-left-right",
            order=2,
        )
        for transfer in transfers.order_by("transferred_on", "pk")
    ]


# --- visit plans -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanRow:
    """A visit plan with, while it runs, the next visit due (None when the actor's due lists do
    not hold it: a plan ended, paused, not started, or a colleague's for a social worker)."""

    schedule: VisitSchedule
    running: bool
    next_due_on: date | None
    last_served_on: date | None
    on: date
    record_url: str

    @property
    def overdue_days(self) -> int:
        return (self.on - self.next_due_on).days if self.next_due_on else 0

    @property
    def overdue(self) -> bool:
        return self.next_due_on is not None and self.next_due_on < self.on

    @property
    def days_left(self) -> int:
        return (self.next_due_on - self.on).days if self.next_due_on else 0


def _running(schedule: VisitSchedule, on: date) -> bool:
    return (
        schedule.active
        and schedule.starts_on <= on
        and (schedule.ends_on is None or schedule.ends_on >= on)
    )


# --- assessments -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AssessmentRow:
    """An assessment as the person's page shows it: its kind, the standard or instrument it was
    made under and its result named by it ("GB/T 42195-2022 · 2 能力中度受损"), and whether its
    reassessment is due (only the latest of each kind is)."""

    kind: str  # "elderly" or "child"
    assessment: ElderlyAssessment | ChildNeedsAssessment
    standard: str
    result: str
    latest: bool
    on: date
    served: bool

    @property
    def next_due(self) -> date:
        return self.assessment.next_due

    @property
    def overdue(self) -> bool:
        return self.latest and self.served and self.next_due < self.on

    @property
    def due_soon(self) -> bool:
        return (
            self.latest
            and self.served
            and self.on <= self.next_due <= self.on + timedelta(days=ASSESSMENT_DUE_WINDOW_DAYS)
        )


def elderly_result(assessment: ElderlyAssessment) -> str:
    """The level with its name under the assessment's own standard: the same number means
    different things under MZ/T 039-2013 and GB/T 42195-2022, so it is never shown alone."""
    return elderly_level_label(assessment.standard, assessment.level)


def child_result(assessment: ChildNeedsAssessment) -> str:
    try:
        name = str(child_instrument(assessment.instrument).risk_names.get(assessment.risk_level))
    except KeyError:
        name = ""
    return name or _("risk level %(level)s") % {"level": assessment.risk_level}


def _assessment_rows(
    kind: str, assessments: list[Any], on: date, served: bool
) -> list[AssessmentRow]:
    rows = []
    for index, assessment in enumerate(assessments):
        if kind == "elderly":
            standard, result = assessment.standard, elderly_result(assessment)
        else:
            standard, result = str(_("Child needs assessment")), child_result(assessment)
        rows.append(
            AssessmentRow(
                kind=kind,
                assessment=assessment,
                standard=standard,
                result=result,
                latest=index == 0,
                on=on,
                served=served,
            )
        )
    return rows


# --- the part ----------------------------------------------------------------------------------


def _linked_worker(actor: Actor, on: date) -> SocialWorker | None:
    """The logged-in worker's own record when they may record work with it: on a station and
    still working."""
    worker = actor_social_worker(actor=actor)
    if worker is None or worker.station_id is None:
        return None
    if worker.left_on is not None and worker.left_on <= on:
        return None
    return worker


def recipient_casework(actor: Actor, recipient: Recipient, on: date) -> OverviewPart:
    """The cases app's part of a person's page (``recipients.overview.OverviewSource``)."""
    served = recipient.status not in NOT_SERVED
    worker = _linked_worker(actor, on) if served else None
    station = worker.station if worker is not None else recipient.station
    cases = _cases(actor, recipient, on)
    open_cases = [case for case in cases if case.stage != CaseStage.CLOSED]
    # The case a new record belongs to, when there is no doubt: the only open case.
    only_case = open_cases[0] if len(open_cases) == 1 else None
    may_record = served and user_can(actor, "add", ServiceRecord)

    def record_url(case: Case | None = None, **more: Any) -> str:
        presets = {
            "recipient": recipient.pk,
            "case": _pk(case),
            "worker": _pk(worker),
            "station": _pk(station),
        }
        return _url("cases:servicerecord_add", **{**presets, **more})

    case_rows = [
        CaseRow(
            case=case,
            open=case.stage != CaseStage.CLOSED,
            step=next_step_of(case.stage, case.closure_requested_at is not None)
            if case.stage != CaseStage.CLOSED
            else "",
            waiting=bool(getattr(case, "waiting", 0)),
            goals_overdue=getattr(case, "goals_overdue", 0),
            record_url=record_url(case) if may_record and case.stage != CaseStage.CLOSED else "",
        )
        for case in cases
    ]

    # Services: the newest first, the count apart (two queries).
    services = service_record_list(actor=actor).filter(recipient=recipient)
    recent = list(services.order_by("-served_on", "-pk")[:TIMELINE_SERVICES])
    service_count = services.count()

    # Visit plans: every plan of the person, each running one with its next visit due, a
    # colleague's too (two queries).
    schedules = list(
        visit_schedule_list(actor=actor)
        .filter(recipient=recipient)
        .order_by(F("ends_on").desc(nulls_first=True), "-starts_on", "pk")
    )
    due = {
        row.pk: row
        for row in visit_schedules_with_next_due(actor=actor, on=on, everyone=True).filter(
            recipient=recipient
        )
    }
    plans = [
        PlanRow(
            schedule=schedule,
            running=_running(schedule, on),
            next_due_on=getattr(due.get(schedule.pk), "next_due_on", None),
            last_served_on=getattr(due.get(schedule.pk), "last_served_on", None),
            on=on,
            record_url=record_url(
                only_case,
                service_type=schedule.service_type,
                worker=_pk(worker) or schedule.worker_id,
                station=_pk(station) or schedule.worker.station_id,
            )
            if may_record and _running(schedule, on)
            else "",
        )
        for schedule in schedules
    ]
    plans.sort(key=lambda plan: (not plan.running, plan.next_due_on or date.max))

    # Assessments: the newest of each kind (a child needs assessment is not read by auditors:
    # its queryset is empty for them, without a query).
    elderly_rows = _assessment_rows(
        "elderly",
        list(
            elderly_assessment_list(actor=actor)
            .filter(recipient=recipient)
            .order_by("-assessed_on", "-pk")[:OVERVIEW_ASSESSMENTS]
        ),
        on,
        served,
    )
    child_rows = _assessment_rows(
        "child",
        list(
            child_needs_assessment_list(actor=actor)
            .filter(recipient=recipient)
            .order_by("-assessed_on", "-pk")[:OVERVIEW_ASSESSMENTS]
        ),
        on,
        served,
    )

    part = OverviewPart()
    part.facts += _facts(recipient, open_cases, plans, elderly_rows, child_rows, recent)
    part.actions += _actions(
        actor, recipient, on, served, worker, station, only_case, open_cases, elderly_rows
    )
    part.sections += [
        Section(
            key="cases",
            title=_("Cases"),
            template_name="cases/overview/cases.html",
            data={"rows": case_rows, "open": len(open_cases)},
            count=len(cases),
            order=10,
            open_on_phone=True,
            alert=any(row.goals_overdue for row in case_rows),
        ),
        Section(
            key="visits",
            title=_("Visit plans"),
            template_name="cases/overview/visits.html",
            data={"rows": plans},
            count=len(plans),
            order=20,
            open_on_phone=True,
            alert=any(plan.overdue for plan in plans),
        ),
        Section(
            key="services",
            title=_("Service records"),
            template_name="cases/overview/services.html",
            data={"rows": recent[:OVERVIEW_SERVICES], "count": service_count},
            count=service_count,
            order=30,
            more_url=_url("cases:servicerecord_list", recipient=recipient.pk),
        ),
        Section(
            key="assessments",
            title=_("Assessments"),
            template_name="cases/overview/assessments.html",
            data={
                "elderly": elderly_rows,
                "child": child_rows,
                "elderly_url": _url("cases:elderlyassessment_list", recipient=recipient.pk),
                "child_url": _url("cases:childneedsassessment_list", recipient=recipient.pk),
                "limit": OVERVIEW_ASSESSMENTS,
            },
            count=len(elderly_rows) + len(child_rows),
            order=40,
            alert=any(row.overdue for row in elderly_rows[:1] + child_rows[:1]),
        ),
    ]
    part.events += _stage_events(actor, cases) + _transfer_events(actor, cases)
    part.events += [
        Event(
            day=record.served_on,
            kind="service",
            title=_("Service: %(type)s, %(minutes)d min")
            % {"type": record.get_service_type_display(), "minutes": record.duration_minutes},
            detail=record.worker.name,
            url=record.get_absolute_url(),
            icon="journal-check",
            order=3,
        )
        for record in recent
    ]
    part.events += [
        Event(
            day=row.assessment.assessed_on,
            kind="assessment",
            title=_("Assessment: %(result)s") % {"result": row.result},
            detail=row.assessment.assessor.name,
            url=row.assessment.get_absolute_url(),
            icon="clipboard2-pulse" if row.kind == "elderly" else "clipboard-heart",
            order=2,
        )
        for row in elderly_rows + child_rows
    ]
    for plan in plans:
        schedule = plan.schedule
        label = _("%(type)s × %(times)s a month") % {
            "type": schedule.get_service_type_display(),
            "times": schedule.times_per_month,
        }
        part.events.append(
            Event(
                day=schedule.starts_on,
                kind="visit_plan",
                title=_("Visit plan starts: %(plan)s") % {"plan": label},
                detail=schedule.worker.name,
                url=schedule.get_absolute_url(),
                icon="calendar-week",
            )
        )
        if schedule.ends_on is not None and schedule.ends_on <= on:
            part.events.append(
                Event(
                    day=schedule.ends_on,
                    kind="visit_plan",
                    title=_("Visit plan ended: %(plan)s") % {"plan": label},
                    detail=schedule.worker.name,
                    url=schedule.get_absolute_url(),
                    icon="calendar-x",
                )
            )
    return part


def _facts(
    recipient: Recipient,
    open_cases: list[Case],
    plans: list[PlanRow],
    elderly: list[AssessmentRow],
    child: list[AssessmentRow],
    recent: list[ServiceRecord],
) -> list[Fact]:
    facts = []
    for rows, key, label in (
        (elderly, "capability", _("Capability level")),
        (child, "child_risk", _("Child's risk level")),
    ):
        if not rows:
            continue
        latest = rows[0]
        if latest.overdue:
            tone, note = (
                "danger",
                _("reassessment overdue since %(day)s") % {"day": latest.next_due.isoformat()},
            )
        elif latest.due_soon:
            tone, note = (
                "warning",
                _("reassessment due on %(day)s") % {"day": latest.next_due.isoformat()},
            )
        else:
            tone, note = "", _("reassessment due on %(day)s") % {"day": latest.next_due.isoformat()}
        facts.append(
            Fact(
                key=key,
                label=label,
                value=latest.result,
                url=latest.assessment.get_absolute_url(),
                tone=tone,
                note=note,
                order=20 if key == "capability" else 21,
            )
        )
    responsible: list[str] = []
    for name in [case.worker.name for case in open_cases] + [
        plan.schedule.worker.name for plan in plans if plan.running
    ]:
        if name not in responsible:
            responsible.append(name)
    if responsible:
        facts.append(
            Fact(key="responsible", label=_("Responsible"), value="、".join(responsible), order=30)
        )
    overdue_visits = [plan for plan in plans if plan.overdue]
    if overdue_visits:
        facts.append(
            Fact(
                key="visits_overdue",
                label=_("Overdue visits"),
                value=str(len(overdue_visits)),
                tone="danger",
                note=_("the longest %(days)s days overdue")
                % {"days": max(plan.overdue_days for plan in overdue_visits)},
                order=25,
            )
        )
    if recent:
        last = recent[0]
        facts.append(
            Fact(
                key="last_service",
                label=_("Last service"),
                value=f"{last.served_on.isoformat()} · {last.get_service_type_display()}",
                url=last.get_absolute_url(),
                note=last.worker.name,
                order=40,
            )
        )
    return facts


def _actions(
    actor: Actor,
    recipient: Recipient,
    on: date,
    served: bool,
    worker: SocialWorker | None,
    station: Any,
    only_case: Case | None,
    open_cases: list[Case],
    elderly: list[AssessmentRow],
) -> list[Action]:
    """The add forms the actor may open for the person, preset with what the page knows: the
    person, the logged-in worker (assessor) and their station, the case when the person has
    exactly one open case the actor sees. None for a person no longer served."""
    if not served:
        return []
    actions = []
    if user_can(actor, "add", ServiceRecord):
        actions.append(
            Action(
                key="record_service",
                label=_("Record a service"),
                url=_url(
                    "cases:servicerecord_add",
                    recipient=recipient.pk,
                    case=_pk(only_case),
                    worker=_pk(worker),
                    station=_pk(station),
                ),
                icon="plus-lg",
                order=10,
                primary=True,
            )
        )
    age = recipient.age
    if user_can(actor, "add", ElderlyAssessment) and (age is None or age >= ELDERLY_AGE):
        actions.append(
            Action(
                key="assess_elderly",
                label=_("Assess capability") if not elderly else _("Reassess capability"),
                url=_url(
                    "cases:elderlyassessment_add",
                    recipient=recipient.pk,
                    case=_pk(only_case),
                    assessor=_pk(worker),
                    reason="routine" if elderly else "initial",
                ),
                icon="clipboard2-pulse",
                order=20,
            )
        )
    if user_can(actor, "add", ChildNeedsAssessment) and (age is None or recipient.is_minor):
        actions.append(
            Action(
                key="assess_child",
                label=_("Assess the child's needs"),
                url=_url(
                    "cases:childneedsassessment_add",
                    recipient=recipient.pk,
                    case=_pk(only_case),
                    assessor=_pk(worker),
                ),
                icon="clipboard-heart",
                order=21,
            )
        )
    if user_can(actor, "add", Case) and recipient.consent_given and not open_cases:
        actions.append(
            Action(
                key="open_case",
                label=_("Open a case"),
                url=_url(
                    "cases:case_add",
                    recipient=recipient.pk,
                    station=_pk(station),
                    worker=_pk(worker),
                ),
                icon="folder-plus",
                order=30,
            )
        )
    if user_can(actor, "add", VisitSchedule):
        actions.append(
            Action(
                key="plan_visits",
                label=_("Plan visits"),
                url=_url("cases:visitschedule_add", recipient=recipient.pk, worker=_pk(worker)),
                icon="calendar-plus",
                order=40,
            )
        )
    return actions
