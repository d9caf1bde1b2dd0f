"""Cases and visit plans as they were on a day (issue 18): the lists the cockpit's figures of a
past period link to, counted by the same rules as its tallies (dashboard/tallies.py).

- A case on day D: opened on or before D, at the ``to_stage`` of its last stage change dated on
  or before D (by date, then by the order they were written; a case without a stage log is at
  its current stage from its opening), at the station it was at on D — the ``to_station`` of
  its last transfer on or before D, else the ``from_station`` of its first transfer, else its
  station.
- A visit plan overdue on day D: running on D (started, not ended before D, not deactivated on
  or before D), its person served on D (not merged, not deceased or moved away on or before D),
  and the last service of its type to its person since the plan started, by D (else the
  start), plus the plan's interval, before D.
"""

from datetime import date, timedelta

from django.db.models import Case as Choose
from django.db.models import (
    CharField,
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
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest

from swstation.cases.models import Case, CaseStageChange, CaseTransfer, ServiceRecord, VisitSchedule
from swstation.recipients.models import ExitReason, RecipientStatus

__all__ = [
    "GONE_EXITS",
    "GONE_STATUSES",
    "cases_as_of",
    "schedules_overdue_on",
    "schedules_running_on",
]

DAYS_PER_MONTH = 30
# Exits after which a person has no visits due; a status written without an exit date stands
# for one from the day the record was last changed.
GONE_EXITS = (ExitReason.DECEASED, ExitReason.MOVED_AWAY)
GONE_STATUSES = (RecipientStatus.DECEASED, RecipientStatus.MOVED)


def cases_as_of(queryset: QuerySet[Case], on: date) -> QuerySet[Case]:
    """The cases of ``queryset`` that existed on ``on``, each annotated with ``stage_on`` (its
    stage that day) and ``region_code_on`` (the region code of its station that day)."""
    log = CaseStageChange.objects.filter(case=OuterRef("pk"))
    last_change = (
        log.filter(changed_on__lte=on).order_by("-changed_on", "-pk").values("to_stage")[:1]
    )
    transfers = CaseTransfer.objects.filter(case=OuterRef("pk"))
    station_after = (
        transfers.filter(transferred_on__lte=on)
        .order_by("-transferred_on", "-pk")
        .values("to_station__region__code")[:1]
    )
    station_before = transfers.order_by("transferred_on", "pk").values(
        "from_station__region__code"
    )[:1]
    return (
        queryset.filter(opened_on__lte=on)
        .annotate(
            stage_on=Coalesce(
                Subquery(last_change, output_field=CharField()),
                Choose(When(~Exists(log), then=F("stage")), default=None, output_field=CharField()),
            ),
            region_code_on=Coalesce(
                Subquery(station_after, output_field=CharField()),
                Subquery(station_before, output_field=CharField()),
                F("station__region__code"),
            ),
        )
        .filter(stage_on__isnull=False)
    )


def schedules_running_on(on: date, prefix: str = "") -> Q:
    """Visit plans running on ``on`` for a person served that day."""
    person = f"{prefix}recipient__"
    gone = Q(**{f"{person}exited_on__lte": on, f"{person}exit_reason__in": GONE_EXITS}) | Q(
        **{
            f"{person}exited_on__isnull": True,
            f"{person}status__in": GONE_STATUSES,
            f"{person}updated_at__date__lte": on,
        }
    )
    return (
        Q(**{f"{prefix}starts_on__lte": on})
        & (Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": on}))
        & (
            Q(**{f"{prefix}deactivated_on__gt": on})
            | Q(**{f"{prefix}deactivated_on__isnull": True, f"{prefix}active": True})
        )
        & ~Q(**{f"{person}status": RecipientStatus.MERGED})
        & ~gone
    )


def schedules_overdue_on(queryset: QuerySet[VisitSchedule], on: date) -> QuerySet[VisitSchedule]:
    """The plans of ``queryset`` overdue on ``on``, each with ``last_served_on`` (by then) and
    ``next_due_on``; the longest overdue first."""
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
    return (
        queryset.filter(schedules_running_on(on))
        .annotate(last_served_on=Subquery(last_served, output_field=DateField()))
        .annotate(
            next_due_on=Cast(
                ExpressionWrapper(
                    Coalesce(F("last_served_on"), F("starts_on")) + interval,
                    output_field=DateField(),
                ),
                DateField(),
            )
        )
        .filter(next_due_on__lt=on)
        .order_by(F("next_due_on").asc(), "recipient__name", "pk")
    )
