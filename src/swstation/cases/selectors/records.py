"""Reads on standard assessments, service records and visit schedules, and the due and overdue
lists of domain.md §3 ("a visit schedule produces due and overdue lists"; the elderly are
reassessed every 6 months, spec/elderly-assessment-mzt039.md).

Visits. For each active schedule (started, not ended, of a recipient still served) the interval
is ``max(1, 30 // times_per_month)`` days — 15 for "twice a month", 7 for "four times" — and
the next visit is due that long after the last service of the schedule's type to the
recipient on or after the schedule's start (any worker's), or after the start when there is
none. Due = due today or in the next 2 days; overdue = the due date has passed. The last
service date and the due date are computed in SQL (a correlated subquery per schedule over the
(recipient, served_on) index), so the lists stay quick with hundreds of thousands of records.

Assessments. The latest assessment of each recipient (an older one is superseded) is due when
its ``next_due`` is within 14 days and overdue once it has passed.

Whose. A social worker sees the schedules they are responsible for and the assessments they
made; everyone else sees what their jurisdiction holds (``visible_to``).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import (
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from swstation.cases.instruments.registry import (
    ItemError,
    child_instrument,
    elderly_instrument,
    elderly_level_label,
)
from swstation.cases.models import (
    ChildNeedsAssessment,
    ElderlyAssessment,
    ElderlyAssessmentPolicy,
    ElderlyStandard,
    ServiceRecord,
    VisitSchedule,
)
from swstation.core.actors import Actor
from swstation.core.roles import Role
from swstation.recipients.models import Recipient, RecipientStatus
from swstation.recipients.selectors import (
    ADULT_AGE,
    recipient_list,
    user_sees_sensitive_data,
    years_ago,
)
from swstation.stations.models import Station
from swstation.workforce.models import SocialWorker

__all__ = [
    "ASSESSMENT_DUE_WINDOW_DAYS",
    "VISIT_DUE_WINDOW_DAYS",
    "DueAssessments",
    "DueItem",
    "actor_social_worker",
    "assessments_due",
    "assessments_overdue",
    "child_assessments_due",
    "child_assessments_overdue",
    "child_needs_assessment_list",
    "child_needs_breakdown",
    "due_in_region",
    "due_items_for_visits",
    "elderly_assessment_breakdown",
    "elderly_assessment_list",
    "elderly_assessment_policy",
    "elderly_assessment_policy_list",
    "elderly_assessments_due",
    "elderly_assessments_overdue",
    "elderly_level_label",
    "elderly_standards_for",
    "quick_entry_recipients",
    "recent_recipients",
    "recipient_assessments",
    "recipient_search",
    "service_record_list",
    "visible_station",
    "visit_interval_days",
    "visit_schedule_list",
    "visit_schedule_list_with_next_due",
    "visit_schedules_with_next_due",
    "visits_due",
    "visits_overdue",
    "with_next_due",
]

VISIT_DUE_WINDOW_DAYS = 2
ASSESSMENT_DUE_WINDOW_DAYS = 14
DAYS_PER_MONTH = 30
# Recipients no longer served have no visits or reassessments due.
NOT_SERVED = (RecipientStatus.DECEASED, RecipientStatus.MERGED, RecipientStatus.MOVED)


# --- lists -------------------------------------------------------------------------------


def elderly_assessment_list(*, actor: Actor) -> QuerySet[ElderlyAssessment]:
    queryset: QuerySet[ElderlyAssessment] = ElderlyAssessment.objects.visible_to(actor)
    return queryset.select_related(
        "recipient", "recipient__region", "case", "assessor", "second_assessor"
    )


def elderly_assessment_policy_list(*, actor: Actor) -> QuerySet[ElderlyAssessmentPolicy]:
    queryset: QuerySet[ElderlyAssessmentPolicy] = ElderlyAssessmentPolicy.objects.visible_to(actor)
    return queryset.prefetch_related("mzt039_stations")


def elderly_assessment_policy(*, on: date) -> ElderlyAssessmentPolicy | None:
    """The city's elderly assessment policy valid on ``on`` (the latest to start when several
    overlap), or None. Policy data: the same for every reader."""
    policy: ElderlyAssessmentPolicy | None = (
        ElderlyAssessmentPolicy.objects.valid_on(on).order_by("-valid_from", "-pk").first()
    )
    return policy


def elderly_standards_for(*, on: date, station: Station | None) -> list[str]:
    """The standards a new assessment made on ``on`` for ``station`` may be made under, the
    default first: the policy's standard of new assessments, and MZ/T 039-2013 too at a station
    the policy lists as still assessing under it. Without a policy: GB/T 42195-2022 (spec
    §8: new assessments default to the current standard)."""
    policy = elderly_assessment_policy(on=on)
    if policy is None:
        return [ElderlyStandard.GBT42195_2022]
    allowed = [policy.default_standard]
    if (
        ElderlyStandard.MZT039_2013 not in allowed
        and station is not None
        and policy.mzt039_stations.filter(pk=station.pk).exists()
    ):
        allowed.append(ElderlyStandard.MZT039_2013)
    return allowed


def child_needs_assessment_list(*, actor: Actor) -> QuerySet[ChildNeedsAssessment]:
    queryset: QuerySet[ChildNeedsAssessment] = ChildNeedsAssessment.objects.visible_to(actor)
    return queryset.select_related("recipient", "recipient__region", "case", "assessor")


def _without_minors_unless_sensitive[M: (ServiceRecord, VisitSchedule)](
    queryset: QuerySet[M], actor: Actor
) -> QuerySet[M]:
    """Minors' records only for the roles that may see minors (recipients.selectors: not
    auditors), as the recipient lists do."""
    if user_sees_sensitive_data(actor):
        return queryset
    return queryset.exclude(recipient__birth_date__gt=years_ago(ADULT_AGE))


def service_record_list(*, actor: Actor) -> QuerySet[ServiceRecord]:
    queryset: QuerySet[ServiceRecord] = ServiceRecord.objects.visible_to(actor)
    return _without_minors_unless_sensitive(queryset, actor).select_related(
        "recipient", "recipient__region", "case", "station", "worker", "project"
    )


def visit_schedule_list(*, actor: Actor) -> QuerySet[VisitSchedule]:
    queryset: QuerySet[VisitSchedule] = VisitSchedule.objects.visible_to(actor)
    return _without_minors_unless_sensitive(queryset, actor).select_related(
        "recipient", "recipient__region", "worker", "project"
    )


def recipient_assessments[M: (ElderlyAssessment, ChildNeedsAssessment)](
    *, actor: Actor, assessment: M
) -> QuerySet[M]:
    """The recipient's assessments of the same kind, newest first (their course over time)."""
    model = type(assessment)
    queryset: QuerySet[M] = model.objects.visible_to(actor)
    return queryset.filter(recipient_id=assessment.recipient_id).order_by("-assessed_on", "-pk")


def elderly_assessment_breakdown(
    *, assessment: ElderlyAssessment, health_data: dict[str, Any] | None = None
) -> dict[str, Any]:
    """What the assessment page and its report show, read with the assessment's own standard:
    each item's score and meaning, each dimension's total (and MZ/T 039 grade), the conditions
    (GB/T 42195: the base information), the level before and after adjustment and why it was
    changed (GB/T 42195: C.4's three items, ticked as they held), and the rules applied.

    Health data (the conditions the instrument marks private: diagnoses) is shown only when
    ``health_data`` is given — what services.elderly_assessment_reveal_health_data returned,
    the view logged; otherwise those lines say "hidden" (whether or not anything is recorded)
    and C.4's diagnosis item is ticked without its codes."""
    try:
        instrument = elderly_instrument(assessment.standard)
    except KeyError:
        return {"known": False}
    items = assessment.items or {}
    stored_conditions = assessment.all_conditions()  # scored with everything, shown below
    revealed = health_data is not None
    try:
        outcome = instrument.evaluate(items, stored_conditions, assessment.rules or None)
    except ItemError:
        outcome = None
    dimensions = []
    for dimension in instrument.dimensions:
        given = items.get(dimension.key) or {}
        dimensions.append(
            {
                "key": dimension.key,
                "label": dimension.label,
                "grade_rule": dimension.grade_rule,
                "graded": bool(dimension.grade_field),
                "grade": getattr(assessment, dimension.grade_field, None)
                if dimension.grade_field
                else None,
                "total": outcome.totals.get(dimension.key) if outcome else None,
                "max_total": sum(max(item.scores) for item in dimension.items),
                "rows": [
                    {
                        "label": item.label,
                        "score": given.get(item.name),
                        "meaning": item.meaning(given.get(item.name)),
                    }
                    for item in dimension.items
                ],
            }
        )
    conditions = []
    for condition in instrument.conditions:
        if condition.private and not revealed:
            conditions.append(
                {
                    "name": condition.name,
                    "label": condition.label,
                    "value": None,
                    "meaning": _("Hidden: health data"),
                    "present": False,
                    "hidden": True,
                }
            )
            continue
        value = stored_conditions.get(condition.name, condition.default)
        conditions.append(
            {
                "name": condition.name,
                "label": condition.label,
                "value": value,
                "meaning": condition.meaning(value),
                "present": condition.present(value),
                "hidden": False,
            }
        )
    reasons = instrument.raise_reasons
    held = {r.get("key"): r.get("detail", "") for r in assessment.change_reasons or []}
    if revealed and outcome is not None:  # the codes C.4 read, from the health data
        held.update(
            {r["key"]: r.get("detail", "") for r in outcome.change_reasons if r["key"] in held}
        )
    change_items = [
        {"key": key, "label": label, "held": key in held, "detail": held.get(key, "")}
        for key, label in reasons.items()
    ]
    return {
        "known": True,
        "standard_label": ElderlyStandard(assessment.standard).label
        if assessment.standard in ElderlyStandard.values
        else assessment.standard,
        "has_total": assessment.total is not None or not instrument.dimensions[0].grade_field,
        "max_level": instrument.max_level,
        "dimensions": dimensions,
        "conditions": conditions,
        "coma": bool(outcome and outcome.coma),
        "level_name": instrument.level_names.get(assessment.level, ""),
        "base_level_name": instrument.level_names.get(assessment.base_level, ""),
        "levels": [(level, name) for level, name in instrument.level_names.items()],
        "raised": assessment.level != assessment.base_level,
        "raised_by": [reasons.get(name, name) for name in (outcome.raised_by if outcome else ())],
        "change_items": change_items,
        "rules": assessment.rules or {},
        "has_private": any(c.private for c in instrument.conditions),
        "revealed": revealed,
    }


def child_needs_breakdown(*, assessment: ChildNeedsAssessment) -> dict[str, Any]:
    """Each domain's score, meaning and note, the total and the risk level's name."""
    try:
        instrument = child_instrument(assessment.instrument)
    except KeyError:
        return {"known": False}
    needs = assessment.needs or {}
    rows = []
    for domain in instrument.domains:
        entry = needs.get(domain.name) or {}
        score = entry.get("score") if isinstance(entry, dict) else entry
        rows.append(
            {
                "label": domain.label,
                "score": score,
                "meaning": domain.meaning(score),
                "note": entry.get("note", "") if isinstance(entry, dict) else "",
            }
        )
    return {
        "known": True,
        "rows": rows,
        "total": sum(row["score"] or 0 for row in rows),
        "risk_name": instrument.risk_names.get(assessment.risk_level, ""),
    }


# --- who is the actor, and whom may they pick --------------------------------------------


def actor_social_worker(*, actor: Actor) -> SocialWorker | None:
    """The social worker record linked to ``actor``'s login account, if any."""
    if not getattr(actor, "is_authenticated", False):
        return None
    found: SocialWorker | None = (
        SocialWorker.objects.filter(user_id=actor.pk)
        .select_related("station", "station__region")
        .first()
    )
    return found


def visible_station(*, actor: Actor, pk: int) -> Station | None:
    found: Station | None = Station.objects.visible_to(actor).filter(pk=pk).first()
    return found


def recipient_search(
    *, actor: Actor, query: str = "", station: Any = None, limit: int = 20
) -> list[Recipient]:
    """Recipients ``actor`` may see whose name contains ``query``, still served; with a
    station, only those it serves (its recipients, or living in its area)."""
    queryset = recipient_list(actor=actor).exclude(status__in=NOT_SERVED)
    if station is not None:
        queryset = queryset.filter(
            Q(station=station) | Q(region__code__startswith=station.region.prefix)
        )
    query = query.strip()
    if query:
        queryset = queryset.filter(name__icontains=query)
    return list(queryset.order_by("name", "pk")[:limit])


def quick_entry_recipients(*, actor: Actor, worker: SocialWorker | None) -> QuerySet[Recipient]:
    """The recipients a quick service entry may name: visible to the actor, still served and,
    for a worker on a station, served by that station."""
    queryset = recipient_list(actor=actor).exclude(status__in=NOT_SERVED)
    station = getattr(worker, "station", None)
    if station is not None:
        queryset = queryset.filter(
            Q(station=station) | Q(region__code__startswith=station.region.prefix)
        )
    return queryset


def recent_recipients(
    *, actor: Actor, worker: SocialWorker | None, limit: int = 5
) -> list[Recipient]:
    """The last few distinct recipients ``worker`` served, for one-tap quick entry."""
    if worker is None:
        return []
    recent_ids: list[int] = []
    for recipient_id in (
        service_record_list(actor=actor)
        .filter(worker=worker)
        .order_by("-served_on", "-pk")
        .values_list("recipient_id", flat=True)[:50]
    ):
        if recipient_id not in recent_ids:
            recent_ids.append(recipient_id)
        if len(recent_ids) == limit:
            break
    found = {
        r.pk: r
        for r in quick_entry_recipients(actor=actor, worker=worker).filter(pk__in=recent_ids)
    }
    return [found[pk] for pk in recent_ids if pk in found]


# --- visits due --------------------------------------------------------------------------


def visit_interval_days(times_per_month: int) -> int:
    """The days between visits of a schedule: about 30 / times per month, at least 1."""
    return max(1, DAYS_PER_MONTH // max(1, times_per_month))


def _own(actor: Actor, *fields: str) -> Q | None:
    """The condition that keeps a social worker to their own records; None for other roles."""
    if getattr(actor, "is_superuser", False) or getattr(actor, "role", None) != Role.SOCIAL_WORKER:
        return None
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__user": actor})
    return condition


def with_next_due(queryset: QuerySet[VisitSchedule], *, on: date) -> QuerySet[VisitSchedule]:
    """``queryset`` with each schedule's ``last_served_on`` (the last service of its type to its
    recipient since it started, by anyone) and ``next_due_on``, computed in SQL. Whether the
    schedule still runs is the caller's to say."""
    last_served = (
        ServiceRecord.objects.filter(
            recipient=OuterRef("recipient"),
            service_type=OuterRef("service_type"),
            served_on__gte=OuterRef("starts_on"),
            served_on__lte=on,
        )
        .order_by("-served_on")
        .values("served_on")[:1]
    )
    interval = ExpressionWrapper(
        Greatest(Value(1), Value(DAYS_PER_MONTH) / F("times_per_month")) * Value(timedelta(days=1)),
        output_field=DurationField(),
    )
    return queryset.annotate(
        last_served_on=Subquery(last_served, output_field=DateField()),
    ).annotate(
        next_due_on=Cast(
            ExpressionWrapper(
                Coalesce(F("last_served_on"), F("starts_on")) + interval,
                output_field=DateField(),
            ),
            DateField(),
        )
    )


def visit_schedules_with_next_due(
    *, actor: Actor, on: date, everyone: bool = False
) -> QuerySet[VisitSchedule]:
    """The actor's active schedules on ``on``, each with ``last_served_on`` and ``next_due_on``
    (:func:`with_next_due`). A social worker's are their own (their due lists); with
    ``everyone``, every schedule they may see — a colleague's plan for the same person shows
    its next visit too (issue 10)."""
    queryset = (
        visit_schedule_list(actor=actor)
        .filter(active=True, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .exclude(recipient__status__in=NOT_SERVED)
    )
    own = _own(actor, "worker")
    if own is not None and not everyone:
        queryset = queryset.filter(own)
    return with_next_due(queryset, on=on)


def visit_schedule_list_with_next_due(*, actor: Actor) -> QuerySet[VisitSchedule]:
    """The visit plans list (every plan the actor may see, a colleague's too), each with its
    next visit due as of today (shown for the plans still running)."""
    return with_next_due(visit_schedule_list(actor=actor), on=timezone.localdate())


def visits_due(*, actor: Actor, on: date) -> QuerySet[VisitSchedule]:
    """Schedules whose next visit falls today or in the next 2 days, soonest first."""
    return (
        visit_schedules_with_next_due(actor=actor, on=on)
        .filter(
            Q(next_due_on__gte=on) & Q(next_due_on__lte=on + timedelta(days=VISIT_DUE_WINDOW_DAYS))
        )
        .order_by(F("next_due_on").asc(), "recipient__name", "pk")
    )


def visits_overdue(*, actor: Actor, on: date) -> QuerySet[VisitSchedule]:
    """Schedules whose next visit date has passed, the longest overdue first."""
    return (
        visit_schedules_with_next_due(actor=actor, on=on)
        .filter(Q(next_due_on__lt=on))
        .order_by(F("next_due_on").asc(), "recipient__name", "pk")
    )


# --- assessments due ---------------------------------------------------------------------


def _latest_only[M: (ElderlyAssessment, ChildNeedsAssessment)](
    queryset: QuerySet[M], model: type[M]
) -> QuerySet[M]:
    """Only each recipient's latest assessment of this kind: a newer one supersedes it."""
    newer = model.objects.filter(recipient=OuterRef("recipient")).filter(
        Q(assessed_on__gt=OuterRef("assessed_on"))
        | Q(assessed_on=OuterRef("assessed_on"), pk__gt=OuterRef("pk"))
    )
    return queryset.filter(~Exists(newer)).exclude(recipient__status__in=NOT_SERVED)


def _current_elderly(actor: Actor) -> QuerySet[ElderlyAssessment]:
    queryset = _latest_only(elderly_assessment_list(actor=actor), ElderlyAssessment)
    own = _own(actor, "assessor", "second_assessor")
    return queryset if own is None else queryset.filter(own)


def _current_child(actor: Actor) -> QuerySet[ChildNeedsAssessment]:
    queryset = _latest_only(child_needs_assessment_list(actor=actor), ChildNeedsAssessment)
    own = _own(actor, "assessor")
    return queryset if own is None else queryset.filter(own)


def _due_window(on: date) -> Q:
    return Q(next_due__gte=on, next_due__lte=on + timedelta(days=ASSESSMENT_DUE_WINDOW_DAYS))


def elderly_assessments_due(*, actor: Actor, on: date) -> QuerySet[ElderlyAssessment]:
    return _current_elderly(actor).filter(_due_window(on)).order_by("next_due", "pk")


def elderly_assessments_overdue(*, actor: Actor, on: date) -> QuerySet[ElderlyAssessment]:
    return _current_elderly(actor).filter(next_due__lt=on).order_by("next_due", "pk")


def child_assessments_due(*, actor: Actor, on: date) -> QuerySet[ChildNeedsAssessment]:
    return _current_child(actor).filter(_due_window(on)).order_by("next_due", "pk")


def child_assessments_overdue(*, actor: Actor, on: date) -> QuerySet[ChildNeedsAssessment]:
    return _current_child(actor).filter(next_due__lt=on).order_by("next_due", "pk")


# --- due items: one shape for visits and assessments, for pages and the home page ---------


@dataclass(frozen=True)
class DueItem:
    kind: str  # "visit", "elderly" or "child"
    title: str
    recipient: Recipient
    due_on: date
    on: date
    url: str  # the schedule or the assessment
    action_url: str  # record the visit, or reassess
    worker: str = ""
    last_on: date | None = None
    action_label: str = ""
    """The button to ``action_url`` for kinds registered from above (e.g. 记录回复)."""

    @property
    def overdue(self) -> bool:
        return self.due_on < self.on

    @property
    def days(self) -> int:
        """Days overdue (positive) or days left (zero or negative)."""
        return (self.on - self.due_on).days

    @property
    def days_late(self) -> int:
        return max(0, self.days)

    @property
    def days_left(self) -> int:
        return max(0, -self.days)


def due_items_for_visits(schedules: Any, on: date) -> list[DueItem]:
    """DueItems of schedules read through :func:`visit_schedules_with_next_due`."""
    quick = reverse("cases:servicerecord_quick")
    return [
        DueItem(
            kind="visit",
            title=_("%(type)s × %(times)s a month")
            % {"type": schedule.get_service_type_display(), "times": schedule.times_per_month},
            recipient=schedule.recipient,
            due_on=schedule.next_due_on,
            on=on,
            url=schedule.get_absolute_url(),
            action_url=f"{quick}?recipient={schedule.recipient_id}"
            f"&service_type={schedule.service_type}",
            worker=schedule.worker.name,
            last_on=schedule.last_served_on,
        )
        for schedule in schedules
    ]


def _elderly_title(assessment: ElderlyAssessment) -> str:
    """What is due, with the level it replaces read with its standard ("… · GB/T 42195-2022 ·
    2 能力中度受损（中度失能）"): levels of two standards are never read as one scale. A change
    of condition reported makes it an immediate reassessment (A.1.3 即时评估)."""
    if assessment.condition_changed_on is not None:
        title = _("Immediate reassessment: change of condition on %(day)s") % {
            "day": assessment.condition_changed_on.isoformat()
        }
    else:
        title = _("Elderly capability reassessment")
    return f"{title} · {assessment.level_label}"


def _elderly_items(assessments: Any, on: date) -> list[DueItem]:
    add = reverse("cases:elderlyassessment_add")
    return [
        DueItem(
            kind="elderly",
            title=_elderly_title(a),
            recipient=a.recipient,
            due_on=a.next_due,
            on=on,
            url=a.get_absolute_url(),
            action_url=f"{add}?recipient={a.recipient_id}"
            f"&reason={'change' if a.condition_changed_on else 'routine'}",
            worker=a.assessor.name,
            last_on=a.assessed_on,
        )
        for a in assessments
    ]


def _child_items(assessments: Any, on: date) -> list[DueItem]:
    add = reverse("cases:childneedsassessment_add")
    return [
        DueItem(
            kind="child",
            title=_("Child needs reassessment"),
            recipient=a.recipient,
            due_on=a.next_due,
            on=on,
            url=a.get_absolute_url(),
            action_url=f"{add}?recipient={a.recipient_id}",
            worker=a.assessor.name,
            last_on=a.assessed_on,
        )
        for a in assessments
    ]


@dataclass
class DueAssessments:
    """Due (or overdue) assessments of both kinds, counted and listed without loading all."""

    elderly: QuerySet[ElderlyAssessment]
    child: QuerySet[ChildNeedsAssessment]
    on: date
    _counts: dict[str, int] = field(default_factory=dict)

    def count(self) -> int:
        return self.count_elderly() + self.count_child()

    def count_elderly(self) -> int:
        if "elderly" not in self._counts:
            self._counts["elderly"] = self.elderly.count()
        return self._counts["elderly"]

    def count_child(self) -> int:
        if "child" not in self._counts:
            self._counts["child"] = self.child.count()
        return self._counts["child"]

    def items(self, limit: int = 100) -> list[DueItem]:
        """The first ``limit`` of both kinds, the earliest due first."""
        merged = _elderly_items(self.elderly[:limit], self.on) + _child_items(
            self.child[:limit], self.on
        )
        return sorted(merged, key=lambda item: (item.due_on, item.recipient.name))[:limit]


def assessments_due(*, actor: Actor, on: date) -> DueAssessments:
    """Assessments due within 14 days of ``on`` (not yet overdue)."""
    return DueAssessments(
        elderly=elderly_assessments_due(actor=actor, on=on),
        child=child_assessments_due(actor=actor, on=on),
        on=on,
    )


def assessments_overdue(*, actor: Actor, on: date) -> DueAssessments:
    """Assessments whose reassessment date has passed."""
    return DueAssessments(
        elderly=elderly_assessments_overdue(actor=actor, on=on),
        child=child_assessments_overdue(actor=actor, on=on),
        on=on,
    )


def due_in_region(
    prefix: str,
    visits_overdue: QuerySet[VisitSchedule],
    visits_due: QuerySet[VisitSchedule],
    assessments_overdue: DueAssessments,
    assessments_due: DueAssessments,
) -> tuple[QuerySet[VisitSchedule], QuerySet[VisitSchedule], DueAssessments, DueAssessments]:
    """The due and overdue lists narrowed to recipients living under a region prefix."""
    lookup = {"recipient__region__code__startswith": prefix}

    def narrow(due: DueAssessments) -> DueAssessments:
        return DueAssessments(
            elderly=due.elderly.filter(**lookup), child=due.child.filter(**lookup), on=due.on
        )

    return (
        visits_overdue.filter(**lookup),
        visits_due.filter(**lookup),
        narrow(assessments_overdue),
        narrow(assessments_due),
    )
