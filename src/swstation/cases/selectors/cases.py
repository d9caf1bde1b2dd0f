"""Reads on cases (domain.md §3, §4; MZ/T 094-2017): who sees which case, what a user may do
with a case now, and the case's timeline.

Jurisdiction comes from ``visible_to`` (the case's station region); on top of it a social worker
sees only the cases they are responsible for and a supervisor only the cases they supervise
(domain.md §4: "social_worker — own cases", "supervisor — read cases, approve closures").
Station managers, district and city officers and auditors see every case of their jurisdiction.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.translation import gettext as _

from swstation.cases.models import (
    STAGE_ORDER,
    Case,
    CaseGoal,
    CaseStage,
    CaseStageChange,
    CaseTransfer,
    ChildNeedsAssessment,
    ElderlyAssessment,
    ServiceRecord,
)
from swstation.core.actors import Actor
from swstation.core.permissions import user_can
from swstation.core.roles import Role
from swstation.workforce.models import SocialWorker, Supervisor

__all__ = [
    "CaseActions",
    "StageStep",
    "TimelineEvent",
    "case_actions",
    "case_assessments",
    "case_goal_list",
    "case_goals",
    "case_has_assessment",
    "case_list",
    "case_service_records",
    "case_stage_change_list",
    "case_stage_steps",
    "case_timeline",
    "case_transfer_list",
    "case_transfers",
    "case_visible",
    "is_case_supervisor",
    "may_approve_closure",
    "next_stage",
    "register_timeline_source",
    "transfer_worker_choices",
    "url_of",
    "worker_choices",
]

# The stages the stage machine walks through with case_advance (closure goes through a request
# and the supervisor's approval instead).
ADVANCE_STAGES = STAGE_ORDER[:-1]


def _own_cases_filter(actor: Actor, prefix: str = "") -> Q | None:
    """The extra condition of domain.md §4 for roles that see only some cases of their scope:
    a social worker their own cases, a supervisor the cases they supervise; None for the
    others (every case of the jurisdiction)."""
    if getattr(actor, "is_superuser", False):
        return None
    role = getattr(actor, "role", None)
    if role == Role.SOCIAL_WORKER:
        return Q(**{f"{prefix}worker__user": actor})
    if role == Role.SUPERVISOR:
        return Q(**{f"{prefix}supervisor__user": actor})
    return None


def case_list(*, actor: Actor) -> QuerySet[Case]:
    """The cases ``actor`` may see, with what a list row shows."""
    queryset: QuerySet[Case] = Case.objects.visible_to(actor)
    condition = _own_cases_filter(actor)
    if condition is not None:
        queryset = queryset.filter(condition)
    return queryset.select_related(
        "recipient", "station", "station__region", "worker", "supervisor"
    )


def case_visible(*, actor: Actor, case: Case) -> bool:
    """Whether ``actor`` sees ``case`` (jurisdiction and, for some roles, ownership)."""
    return case_list(actor=actor).filter(pk=case.pk).exists()


def case_goal_list(*, actor: Actor) -> QuerySet[CaseGoal]:
    """The goals of the cases ``actor`` may see."""
    queryset: QuerySet[CaseGoal] = CaseGoal.objects.visible_to(actor)
    condition = _own_cases_filter(actor, "case__")
    if condition is not None:
        queryset = queryset.filter(condition)
    return queryset.select_related("case", "case__recipient")


def case_stage_change_list(*, actor: Actor) -> QuerySet[CaseStageChange]:
    """The stage log of the cases ``actor`` may see (read-only: the case services write it)."""
    queryset: QuerySet[CaseStageChange] = CaseStageChange.objects.visible_to(actor)
    condition = _own_cases_filter(actor, "case__")
    if condition is not None:
        queryset = queryset.filter(condition)
    return queryset.select_related("case", "case__recipient", "case__station", "changed_by")


def case_transfer_list(*, actor: Actor) -> QuerySet[CaseTransfer]:
    """The transfers of the cases ``actor`` may see."""
    queryset: QuerySet[CaseTransfer] = CaseTransfer.objects.visible_to(actor)
    condition = _own_cases_filter(actor, "case__")
    if condition is not None:
        queryset = queryset.filter(condition)
    return queryset.select_related(
        "case", "case__recipient", "from_worker", "to_worker", "from_station", "to_station"
    )


def case_goals(*, actor: Actor, case: Case) -> QuerySet[CaseGoal]:
    return case_goal_list(actor=actor).filter(case=case)


def case_transfers(*, actor: Actor, case: Case) -> QuerySet[CaseTransfer]:
    return case_transfer_list(actor=actor).filter(case=case).order_by("transferred_on", "pk")


def case_assessments(*, actor: Actor, case: Case) -> dict[str, list[Any]]:
    """The standard assessments linked to the case that ``actor`` may read (child needs
    assessments are not shown to auditors: ChildNeedsAssessment.role_permissions)."""
    elderly: QuerySet[ElderlyAssessment] = case.elderly_assessments.visible_to(actor)
    child: QuerySet[ChildNeedsAssessment] = case.child_assessments.visible_to(actor)
    return {
        "elderly": list(
            elderly.select_related("assessor", "second_assessor").order_by("assessed_on", "pk")
        ),
        "child": list(child.select_related("assessor").order_by("assessed_on", "pk")),
    }


def case_service_records(*, actor: Actor, case: Case) -> QuerySet[ServiceRecord]:
    services: QuerySet[ServiceRecord] = case.services.visible_to(actor)
    return services.select_related("worker").order_by("served_on", "pk")


def case_has_assessment(*, case: Case) -> bool:
    """Whether the case has its assessment (预估): a summary written on the case, or a standard
    assessment (elderly capability, child needs) linked to it. Scope-free: a rule, not a view."""
    if case.assessment_summary.strip():
        return True
    return (
        ElderlyAssessment.objects.filter(case=case).exists()
        or ChildNeedsAssessment.objects.filter(case=case).exists()
    )


def next_stage(stage: str) -> str | None:
    """The stage after ``stage`` in MZ/T 094-2017's order, or None after the last."""
    index = STAGE_ORDER.index(stage)
    return STAGE_ORDER[index + 1] if index + 1 < len(STAGE_ORDER) else None


def is_case_supervisor(*, actor: Actor, case: Case) -> bool:
    """Whether ``actor`` is the case's supervisor (their login is linked to the case's
    workforce.Supervisor profile)."""
    if case.supervisor_id is None or not getattr(actor, "is_authenticated", False):
        return False
    supervisor: Supervisor | None = case.supervisor
    return supervisor is not None and supervisor.user_id == actor.pk


def may_approve_closure(*, actor: Actor, case: Case) -> bool:
    """Closure needs supervisor approval (domain.md §3): the case's own supervisor approves;
    the city bureau (and a superuser) may stand in. Scope is checked apart."""
    if getattr(actor, "is_superuser", False) or getattr(actor, "role", None) == Role.CITY_ADMIN:
        return True
    return getattr(actor, "role", None) == Role.SUPERVISOR and is_case_supervisor(
        actor=actor, case=case
    )


@dataclass(frozen=True)
class CaseActions:
    """What ``actor`` may do with a case now: drives the buttons of the case page."""

    advance_to: str | None = None
    request_closure: bool = False
    approve_closure: bool = False
    return_closure: bool = False
    reopen: bool = False
    transfer: bool = False
    add_goal: bool = False

    @property
    def any(self) -> bool:
        return bool(
            self.advance_to
            or self.request_closure
            or self.approve_closure
            or self.reopen
            or self.transfer
        )


def case_actions(*, actor: Actor, case: Case) -> CaseActions:
    """The actions shown on the case page (the services check the same rules again)."""
    can_change = user_can(actor, "change", Case)
    stage = case.stage
    closed = stage == CaseStage.CLOSED
    pending = case.closure_requested_at is not None and stage == CaseStage.EVALUATION
    advance_to = next_stage(stage) if stage in ADVANCE_STAGES[:-1] else None
    approver = pending and may_approve_closure(actor=actor, case=case)
    return CaseActions(
        advance_to=advance_to if can_change else None,
        request_closure=can_change and stage == CaseStage.EVALUATION,
        approve_closure=approver,
        return_closure=approver,
        reopen=can_change and closed,
        transfer=can_change and not closed,
        add_goal=user_can(actor, "add", CaseGoal) and not closed,
    )


@dataclass(frozen=True)
class StageStep:
    value: str
    label: str
    state: str  # "done", "current" or "todo"


def case_stage_steps(case: Case) -> list[StageStep]:
    """The stage progress bar: stages before the current one are done."""
    current = STAGE_ORDER.index(case.stage)
    steps = []
    for index, stage in enumerate(CaseStage):
        if index < current or (stage == CaseStage.CLOSED and index == current):
            state = "done"
        elif index == current:
            state = "current"
        else:
            state = "todo"
        steps.append(StageStep(value=stage.value, label=str(stage.label), state=state))
    return steps


def worker_choices(*, actor: Actor) -> QuerySet[SocialWorker]:
    """Social workers a case may be given to: on a station, still working, visible to the
    actor; a social worker opens cases for themself only."""
    today = timezone.localdate()
    queryset: QuerySet[SocialWorker] = SocialWorker.objects.visible_to(actor, for_write=True)
    queryset = queryset.filter(station__isnull=False).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=today)
    )
    if getattr(actor, "role", None) == Role.SOCIAL_WORKER and not actor.is_superuser:
        queryset = queryset.filter(user_id=actor.pk)
    return queryset.order_by("name")


def transfer_worker_choices(*, actor: Actor) -> QuerySet[SocialWorker]:
    """Workers a case may be transferred to: anyone on a station in the actor's jurisdiction."""
    today = timezone.localdate()
    queryset: QuerySet[SocialWorker] = SocialWorker.objects.visible_to(actor, for_write=True)
    return (
        queryset.filter(station__isnull=False)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=today))
        .select_related("station")
        .order_by("station__name", "name")
    )


# --- timeline ------------------------------------------------------------------------------


@dataclass
class TimelineEvent:
    """One line of a case's timeline: what happened, when, by whom, with a link."""

    day: date
    at: datetime | None
    kind: str  # stage, change, goal, transfer, assessment, service
    title: str
    detail: str = ""
    user: Any = None
    url: str = ""
    order: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def sort_key(self) -> tuple[date, datetime, int]:
        moment = self.at or timezone.make_aware(datetime.combine(self.day, time.min))
        return (self.day, moment, self.order)


def url_of(obj: Any) -> str:
    """The record's page, or "" while its page does not exist (records of other parts of the
    app are linked as soon as their pages are mounted)."""
    try:
        url: str = obj.get_absolute_url()
    except NoReverseMatch:
        return ""
    return url


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def _stage_label(stage: str) -> str:
    return str(CaseStage(stage).label) if stage in CaseStage.values else stage


# Fields whose change is told by its own line (stage, closure), or that are bookkeeping.
_QUIET_FIELDS = frozenset(
    {
        "stage",
        "updated_at",
        "created_at",
        "closure_requested_at",
        "closure_approved_by",
        "closed_on",
        "reopened_count",
        "worker",
        "station",
    }
)


def _verbose_name(name: str) -> str:
    return str(getattr(Case._meta.get_field(name), "verbose_name", name))


def _case_history_events(case: Case) -> list[TimelineEvent]:
    """Lines from the case's change history: opening, stage changes, closure requests and
    approvals, reopenings and other edits, each with who and when."""
    records = list(
        case.history.select_related("history_user").order_by("history_date", "history_id")
    )
    events: list[TimelineEvent] = []
    previous = None
    for record in records:
        moment = _local(record.history_date)
        reason = record.history_change_reason or ""
        base = {"day": moment.date(), "at": moment, "user": record.history_user}
        if record.history_type == "+":
            # Dated by the opening date the worker gave (a case may be entered days later).
            opened_on = record.opened_on
            events.append(
                TimelineEvent(
                    kind="stage",
                    title=_("Case opened (%(stage)s)") % {"stage": _stage_label(record.stage)},
                    detail=record.presenting_problem,
                    day=opened_on,
                    at=moment if moment.date() == opened_on else None,
                    user=record.history_user,
                    order=-1,
                )
            )
        elif record.history_type == "~" and previous is not None:
            if record.stage != previous.stage:
                if record.stage == CaseStage.CLOSED:
                    title = _("Closure approved: case closed")
                elif previous.stage == CaseStage.CLOSED:
                    title = _("Case reopened (%(stage)s)") % {"stage": _stage_label(record.stage)}
                else:
                    title = _("Stage: %(old)s → %(new)s") % {
                        "old": _stage_label(previous.stage),
                        "new": _stage_label(record.stage),
                    }
                events.append(TimelineEvent(kind="stage", title=title, detail=reason, **base))
            elif record.closure_requested_at and not previous.closure_requested_at:
                events.append(
                    TimelineEvent(kind="stage", title=_("Closure requested"), detail=reason, **base)
                )
            elif previous.closure_requested_at and not record.closure_requested_at:
                events.append(
                    TimelineEvent(
                        kind="stage",
                        title=_("Closure request returned for more work"),
                        detail=reason,
                        **base,
                    )
                )
            elif (record.worker_id, record.station_id) != (previous.worker_id, previous.station_id):
                pass  # told by the transfer's own line
            else:
                delta = record.diff_against(previous)
                names = [
                    _verbose_name(c.field) for c in delta.changes if c.field not in _QUIET_FIELDS
                ]
                if names:
                    events.append(
                        TimelineEvent(
                            kind="change",
                            title=_("Case record updated"),
                            detail=", ".join(names),
                            **base,
                        )
                    )
        previous = record
    return events


def _goal_events(case: Case) -> list[TimelineEvent]:
    """Goals added, achieved and removed, read from the goals' history (so that a removed
    goal still shows)."""
    records = list(
        CaseGoal.history.filter(case_id=case.pk)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    events: list[TimelineEvent] = []
    previous: dict[int, Any] = {}
    for record in records:
        moment = _local(record.history_date)
        before = previous.get(record.id)
        base = {"day": moment.date(), "at": moment, "user": record.history_user, "kind": "goal"}
        if record.history_type == "+":
            detail = (
                _("target date %(date)s") % {"date": record.target_date.isoformat()}
                if record.target_date
                else ""
            )
            events.append(
                TimelineEvent(
                    title=_("Goal added: %(goal)s") % {"goal": record.description},
                    detail=detail,
                    **base,
                )
            )
            if record.achieved:
                events.append(
                    TimelineEvent(
                        title=_("Goal achieved: %(goal)s") % {"goal": record.description}, **base
                    )
                )
        elif record.history_type == "~" and before is not None:
            if record.achieved != before.achieved:
                title = (
                    _("Goal achieved: %(goal)s")
                    if record.achieved
                    else _("Goal reopened: %(goal)s")
                )
                events.append(TimelineEvent(title=title % {"goal": record.description}, **base))
        elif record.history_type == "-":
            events.append(
                TimelineEvent(
                    title=_("Goal removed: %(goal)s") % {"goal": record.description}, **base
                )
            )
        previous[record.id] = record
    return events


TimelineSource = Callable[[Actor, Case], list[TimelineEvent]]
"""``(actor, case) -> events``: what an app above ``cases`` recorded about the case (a
referral sent and answered...), as ``actor`` may read it. A fixed number of queries."""

_timeline_sources: dict[str, TimelineSource] = {}


def register_timeline_source(key: str, source: TimelineSource) -> None:
    """Called by an app above ``cases`` from its ``AppConfig.ready()`` (e.g. ``linkage`` for a
    case's referrals): its events join the case's timeline; ``cases`` never imports it. A
    second registration under the same ``key`` replaces the first."""
    _timeline_sources[key] = source


def case_timeline(*, actor: Actor, case: Case) -> list[TimelineEvent]:
    """Everything that happened to the case, oldest first: its history (opening, stages,
    closure, reopening, edits, with who and when), its goals, its transfers, and the
    assessments and service records linked to it that ``actor`` may read.

    A fixed number of queries whatever the number of events."""
    events = _case_history_events(case) + _goal_events(case)
    for transfer in case_transfers(actor=actor, case=case):
        created = _local(transfer.created_at)
        events.append(
            TimelineEvent(
                day=transfer.transferred_on,
                at=created if created.date() == transfer.transferred_on else None,
                kind="transfer",
                title=_(
                    "Transferred: %(from_worker)s (%(from_station)s) → %(to_worker)s "
                    "(%(to_station)s)"
                )
                % {
                    "from_worker": transfer.from_worker.name,
                    "from_station": transfer.from_station.name,
                    "to_worker": transfer.to_worker.name,
                    "to_station": transfer.to_station.name,
                },
                detail=transfer.reason,
            )
        )
    assessments = case_assessments(actor=actor, case=case)
    for elderly in assessments["elderly"]:
        events.append(
            TimelineEvent(
                day=elderly.assessed_on,
                at=None,
                kind="assessment",
                title=_("Elderly capability assessment: %(level)s")
                % {"level": elderly.level_label},
                detail=elderly.assessor.name,
                url=url_of(elderly),
                order=1,
                extra={"object": elderly},
            )
        )
    for child in assessments["child"]:
        events.append(
            TimelineEvent(
                day=child.assessed_on,
                at=None,
                kind="assessment",
                title=_("Child needs assessment: risk level %(level)s")
                % {"level": child.risk_level},
                detail=child.assessor.name,
                url=url_of(child),
                order=1,
                extra={"object": child},
            )
        )
    for record in case_service_records(actor=actor, case=case):
        events.append(
            TimelineEvent(
                day=record.served_on,
                at=None,
                kind="service",
                title=_("Service: %(type)s, %(minutes)d min")
                % {"type": record.get_service_type_display(), "minutes": record.duration_minutes},
                detail=f"{record.worker.name}" + (f" · {record.notes}" if record.notes else ""),
                url=url_of(record),
                order=2,
                extra={"object": record},
            )
        )
    for source in _timeline_sources.values():
        events.extend(source(actor, case))
    events.sort(key=lambda event: event.sort_key)
    return events
