"""Reads for the home pages (issue 10): what a social worker has to do today, the next step of
each open case, a station's workload per worker and its cases by next step, and the closures a
supervisor is to approve.

The agenda keeps each kind of work in its own group with its own counts and first items, so
that one kind never crowds out another: the home page used to merge visits and reassessments,
sort them by due date and keep the first ten, and a worker with ten long-overdue reassessments
saw none of their overdue health visits.

Kinds of work found in the records: visits due by a visit schedule (health visits, home
visits... every service type a schedule names), elderly and child reassessments falling due,
and case goals reaching their target date. Work recorded by the apps above this one (volunteer
pairings falling due, referrals waiting for a partner's answer) joins the agenda as groups of
its own through :func:`register_agenda_source`: ``cases`` never imports them.

Whose: as on the due page (records.py), a social worker sees their own schedules, assessments
and cases; the other roles what their jurisdiction holds.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.db.models import Case as Conditional
from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from swstation.cases.models import Case, CaseGoal, CaseStage, ElderlyAssessment, ServiceRecord
from swstation.cases.selectors.cases import case_goal_list, case_list
from swstation.cases.selectors.records import (
    ASSESSMENT_DUE_WINDOW_DAYS,
    VISIT_DUE_WINDOW_DAYS,
    DueItem,
    actor_social_worker,
    assessments_due,
    assessments_overdue,
    child_assessments_overdue,
    due_items_for_visits,
    elderly_assessments_overdue,
    visit_schedules_with_next_due,
)
from swstation.core.actors import Actor
from swstation.core.permissions import user_can
from swstation.core.roles import Role
from swstation.workforce.models import SocialWorker
from swstation.workforce.selectors import social_worker_list, still_working_q

__all__ = [
    "GOAL_DUE_WINDOW_DAYS",
    "HOME_ITEMS_PER_GROUP",
    "Agenda",
    "AgendaGroup",
    "CaseStep",
    "StepCount",
    "WorkerLoad",
    "cases_by_next_step",
    "closures_awaiting_approval",
    "may_approve_closures",
    "next_step_of",
    "open_cases_url",
    "open_cases_with_next_step",
    "register_agenda_source",
    "station_workload",
    "worker_agenda",
]

HOME_ITEMS_PER_GROUP = 5
HOME_CASES = 5
# Goals whose target date falls within a week are shown as coming.
GOAL_DUE_WINDOW_DAYS = 7
OPEN = ~Q(stage=CaseStage.CLOSED)
CLOSURE_PENDING = Q(stage=CaseStage.EVALUATION, closure_requested_at__isnull=False)


def _url(name: str, anchor: str = "", **params: Any) -> str:
    query = urlencode(params, doseq=True)
    return reverse(name) + (f"?{query}" if query else "") + (f"#{anchor}" if anchor else "")


def _own_only(actor: Actor) -> bool:
    return getattr(actor, "role", None) == Role.SOCIAL_WORKER and not getattr(
        actor, "is_superuser", False
    )


# --- the agenda: today's and overdue work, by kind -------------------------------------------


@dataclass
class AgendaGroup:
    """One kind of work: how much is overdue, due today and coming soon, and the first items
    (overdue first, the longest overdue first)."""

    kind: str  # "visits", "assessments" or "goals"
    label: str
    overdue: int
    today: int
    soon: int
    soon_days: int
    items: list[DueItem]
    url: str

    @property
    def total(self) -> int:
        return self.overdue + self.today + self.soon

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.items))


@dataclass
class Agenda:
    on: date
    groups: list[AgendaGroup] = field(default_factory=list)
    own_only: bool = False
    unlinked: bool = False
    can_record: bool = False
    can_assess: bool = False

    @property
    def overdue(self) -> int:
        return sum(group.overdue for group in self.groups)

    @property
    def today(self) -> int:
        return sum(group.today for group in self.groups)

    @property
    def total(self) -> int:
        return sum(group.total for group in self.groups)


def _visit_group(actor: Actor, on: date, limit: int) -> AgendaGroup:
    window = on + timedelta(days=VISIT_DUE_WINDOW_DAYS)
    schedules = visit_schedules_with_next_due(actor=actor, on=on)
    counts = schedules.order_by().aggregate(
        overdue=Count("pk", filter=Q(next_due_on__lt=on)),
        today=Count("pk", filter=Q(next_due_on=on)),
        soon=Count("pk", filter=Q(next_due_on__gt=on, next_due_on__lte=window)),
    )
    first = schedules.filter(Q(next_due_on__lte=window)).order_by(
        F("next_due_on").asc(), "recipient__name", "pk"
    )[:limit]
    return AgendaGroup(
        kind="visits",
        label=_("Visits"),
        overdue=counts["overdue"] or 0,
        today=counts["today"] or 0,
        soon=counts["soon"] or 0,
        soon_days=VISIT_DUE_WINDOW_DAYS,
        items=due_items_for_visits(first, on),
        url=_url("cases:due", "visits-overdue"),
    )


def _assessment_group(actor: Actor, on: date, limit: int) -> AgendaGroup:
    overdue, due = assessments_overdue(actor=actor, on=on), assessments_due(actor=actor, on=on)
    today = 0
    for queryset in (due.elderly, due.child):
        today += queryset.filter(next_due=on).count()
    # Overdue first, then the soonest due (both read, so the queries do not vary).
    items = (overdue.items(limit) + due.items(limit))[:limit]
    return AgendaGroup(
        kind="assessments",
        label=_("Reassessments"),
        overdue=overdue.count(),
        today=today,
        soon=due.count() - today,
        soon_days=ASSESSMENT_DUE_WINDOW_DAYS,
        items=items,
        url=_url("cases:due", "assessments-overdue"),
    )


def _open_goals(actor: Actor) -> QuerySet[CaseGoal]:
    """Goals not yet achieved of open cases, with a target date."""
    return (
        case_goal_list(actor=actor)
        .filter(achieved=False, target_date__isnull=False)
        .filter(case__in=Case.objects.filter(OPEN).values("pk"))
    )


def _goal_group(actor: Actor, on: date, limit: int) -> AgendaGroup:
    window = on + timedelta(days=GOAL_DUE_WINDOW_DAYS)
    goals = _open_goals(actor)
    counts = goals.order_by().aggregate(
        overdue=Count("pk", filter=Q(target_date__lt=on)),
        today=Count("pk", filter=Q(target_date=on)),
        soon=Count("pk", filter=Q(target_date__gt=on, target_date__lte=window)),
    )
    first = (
        goals.filter(target_date__lte=window)
        .select_related("case__worker")
        .order_by("target_date", "pk")[:limit]
    )
    items = [
        DueItem(
            kind="goal",
            title=_("Case goal: %(goal)s") % {"goal": goal.description},
            recipient=goal.case.recipient,
            due_on=goal.target_date,
            on=on,
            url=goal.case.get_absolute_url(),
            action_url=goal.case.get_absolute_url(),
            worker=goal.case.worker.name,
        )
        for goal in first
        if goal.target_date is not None
    ]
    return AgendaGroup(
        kind="goals",
        label=_("Case goals"),
        overdue=counts["overdue"] or 0,
        today=counts["today"] or 0,
        soon=counts["soon"] or 0,
        soon_days=GOAL_DUE_WINDOW_DAYS,
        items=items,
        url=_url("cases:casegoal_list", achieved="false", target_before=window.isoformat()),
    )


# --- work recorded above this app: a port filled from above ----------------------------------

AgendaSource = Callable[[Actor, date, int], AgendaGroup]
"""``(actor, on, limit) -> AgendaGroup``: one kind of work of the actor on ``on`` (their own
when a social worker, their jurisdiction's otherwise), with its counts and first ``limit``
items, overdue first. A fixed number of queries whatever the number of records."""

OverdueByWorker = Callable[[Actor, date], dict[int, int]]
"""``(actor, on) -> {social worker pk: items overdue}`` for the station's workload table."""


@dataclass(frozen=True)
class _RegisteredSource:
    key: str
    order: int
    group: AgendaSource
    overdue_by_worker: OverdueByWorker | None


_agenda_sources: dict[str, _RegisteredSource] = {}


def register_agenda_source(
    key: str,
    group: AgendaSource,
    *,
    order: int = 100,
    overdue_by_worker: OverdueByWorker | None = None,
) -> None:
    """Called by an app above ``cases`` from its ``AppConfig.ready()`` (e.g. ``volunteers``
    for pairings due, ``linkage`` for referrals awaiting an answer). ``key`` names the kind
    once (a second registration under the same key replaces the first, so a reload does not
    double it); groups are shown after visits, reassessments and goals, by ``order``."""
    _agenda_sources[key] = _RegisteredSource(key, order, group, overdue_by_worker)


def _registered_sources() -> list[_RegisteredSource]:
    return sorted(_agenda_sources.values(), key=lambda source: (source.order, source.key))


def worker_agenda(*, actor: Actor, on: date, limit: int = HOME_ITEMS_PER_GROUP) -> Agenda:
    """Today's and overdue work of the actor, one group per kind (visits, reassessments,
    case goals, then the kinds registered from above), each with its counts (overdue, due
    today, coming: visits within 2 days, reassessments within 14, goals within 7) and its
    first ``limit`` items. A fixed number of queries whatever the number of records."""
    own_only = _own_only(actor)
    return Agenda(
        on=on,
        groups=[
            _visit_group(actor, on, limit),
            _assessment_group(actor, on, limit),
            _goal_group(actor, on, limit),
            *(source.group(actor, on, limit) for source in _registered_sources()),
        ],
        own_only=own_only,
        unlinked=own_only and actor_social_worker(actor=actor) is None,
        can_record=user_can(actor, "add", ServiceRecord),
        can_assess=user_can(actor, "add", ElderlyAssessment),
    )


# --- open cases and their next step ----------------------------------------------------------


def next_step_of(stage: str, closure_requested: bool = False) -> str:
    """What the case's worker does next, by its stage (MZ/T 094-2017's order: the next stage
    needs what cases/services/cases.py checks)."""
    if stage == CaseStage.EVALUATION and closure_requested:
        return _("Closure waiting for the supervisor's approval")
    steps = {
        CaseStage.INTAKE: _("Assess the needs"),
        CaseStage.ASSESSMENT: _("Make the service plan"),
        CaseStage.PLANNING: _("Start the intervention"),
        CaseStage.INTERVENTION: _("Evaluate the outcome"),
        CaseStage.EVALUATION: _("Request closure"),
    }
    return steps.get(CaseStage(stage), "") if stage in CaseStage.values else ""


@dataclass(frozen=True)
class CaseStep:
    case: Case
    step: str
    waiting: bool  # on someone else: the closure waits for the supervisor
    goals_overdue: int


def _with_overdue_goals(cases: QuerySet[Case], on: date) -> QuerySet[Case]:
    overdue = (
        CaseGoal.objects.filter(case=OuterRef("pk"), achieved=False, target_date__lt=on)
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return cases.annotate(
        goals_overdue=Coalesce(Subquery(overdue, output_field=IntegerField()), 0),
        waiting=Conditional(
            When(CLOSURE_PENDING, then=Value(1)), default=Value(0), output_field=IntegerField()
        ),
    )


def open_cases_with_next_step(
    *, actor: Actor, on: date, limit: int = HOME_CASES
) -> tuple[list[CaseStep], int]:
    """The actor's open cases (a social worker's own) with what comes next, and how many
    there are: those with an overdue goal first, then those the worker moves on (a closure
    waiting for the supervisor last), the longest open first. Two queries."""
    cases = case_list(actor=actor).filter(OPEN)
    total = cases.count()
    first = _with_overdue_goals(cases, on).order_by(
        F("goals_overdue").desc(), F("waiting").asc(), "opened_on", "pk"
    )[:limit]
    steps = [
        CaseStep(
            case=case,
            step=next_step_of(case.stage, case.closure_requested_at is not None),
            waiting=bool(getattr(case, "waiting", 0)),
            goals_overdue=getattr(case, "goals_overdue", 0),
        )
        for case in first
    ]
    return steps, total


@dataclass(frozen=True)
class StepCount:
    """Open cases waiting for one next step, linking to the case list showing them."""

    stage: str
    label: str
    count: int
    url: str
    waiting: bool = False


def cases_by_next_step(*, actor: Actor) -> list[StepCount]:
    """The open cases of the actor's jurisdiction by their next step (a closure request
    waiting for the supervisor apart). One query."""
    rows = {
        row["stage"]: row
        for row in case_list(actor=actor)
        .filter(OPEN)
        .order_by()
        .values("stage")
        .annotate(n=Count("pk"), pending=Count("pk", filter=CLOSURE_PENDING))
    }
    found: list[StepCount] = []
    for stage in CaseStage.values:
        if stage == CaseStage.CLOSED:
            continue
        row = rows.get(stage, {"n": 0, "pending": 0})
        if stage == CaseStage.EVALUATION:
            found.append(
                StepCount(
                    stage,
                    next_step_of(stage),
                    row["n"] - row["pending"],
                    _url("cases:case_list", stage=stage, closure_pending="false"),
                )
            )
            found.append(
                StepCount(
                    stage,
                    next_step_of(stage, closure_requested=True),
                    row["pending"],
                    _url("cases:case_list", closure_pending="true"),
                    waiting=True,
                )
            )
        else:
            found.append(
                StepCount(
                    stage, next_step_of(stage), row["n"], _url("cases:case_list", stage=stage)
                )
            )
    return found


def may_approve_closures(actor: Actor) -> bool:
    """Whether the actor's role approves closures: a supervisor (their own cases), the city
    bureau (which may stand in), as cases.selectors.may_approve_closure says case by case."""
    return bool(
        getattr(actor, "is_superuser", False)
        or getattr(actor, "role", None) in (Role.SUPERVISOR, Role.CITY_ADMIN)
    )


def closures_awaiting_approval(*, actor: Actor, limit: int = HOME_CASES) -> tuple[list[Case], int]:
    """The closure requests the actor is to approve, the oldest request first, and how many:
    a supervisor those of the cases they supervise (case_list), the city bureau those of its
    jurisdiction; none for the roles that approve none."""
    if not may_approve_closures(actor):
        return [], 0
    pending = case_list(actor=actor).filter(CLOSURE_PENDING)
    return list(pending.order_by("closure_requested_at", "pk")[:limit]), pending.count()


# --- a station's workload per worker ---------------------------------------------------------


@dataclass(frozen=True)
class WorkerLoad:
    worker: SocialWorker
    open_cases: int
    visits_overdue: int
    assessments_overdue: int
    goals_overdue: int
    other_overdue: int = 0
    """Items overdue of the kinds registered from above (pairings, referrals...)."""

    @property
    def overdue(self) -> int:
        return (
            self.visits_overdue + self.assessments_overdue + self.goals_overdue + self.other_overdue
        )

    @property
    def cases_url(self) -> str:
        return _url("cases:case_list", worker=self.worker.pk, stage=_open_stages())


def _open_stages() -> list[str]:
    return [stage for stage in CaseStage.values if stage != CaseStage.CLOSED]


def open_cases_url() -> str:
    """The case list showing the open cases (every stage but closed)."""
    return _url("cases:case_list", stage=_open_stages())


def _per(queryset: QuerySet[Any], field_name: str) -> dict[int, int]:
    counts = queryset.order_by().values(field_name).annotate(n=Count("pk"))
    return {key: n for key, n in counts.values_list(field_name, "n") if key is not None}


def station_workload(*, actor: Actor, on: date) -> list[WorkerLoad]:
    """The staff of the stations in the actor's jurisdiction still working on ``on``, each with
    their open cases and overdue items (visits of the schedules they hold, reassessments
    they made, goals of their cases): the most overdue first. Six queries."""
    staff = list(
        social_worker_list(actor=actor)
        .filter(station__isnull=False)
        .filter(still_working_q(day=on))
        .order_by("name", "pk")
    )
    cases = _per(case_list(actor=actor).filter(OPEN), "worker")
    visits = _per(
        visit_schedules_with_next_due(actor=actor, on=on).filter(Q(next_due_on__lt=on)), "worker"
    )
    elderly = _per(elderly_assessments_overdue(actor=actor, on=on), "assessor")
    child = _per(child_assessments_overdue(actor=actor, on=on), "assessor")
    goals = _per(_open_goals(actor).filter(target_date__lt=on), "case__worker")
    other: dict[int, int] = {}
    for source in _registered_sources():
        if source.overdue_by_worker is not None:
            for worker_pk, n in source.overdue_by_worker(actor, on).items():
                other[worker_pk] = other.get(worker_pk, 0) + n
    rows = [
        WorkerLoad(
            worker=person,
            open_cases=cases.get(person.pk, 0),
            visits_overdue=visits.get(person.pk, 0),
            assessments_overdue=elderly.get(person.pk, 0) + child.get(person.pk, 0),
            goals_overdue=goals.get(person.pk, 0),
            other_overdue=other.get(person.pk, 0),
        )
        for person in staff
    ]
    return sorted(rows, key=lambda row: (-row.overdue, -row.open_cases, row.worker.name))
