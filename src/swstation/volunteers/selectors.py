"""Reads of the volunteers (issue 13, "Volunteers"). Every function starts from
``Model.objects.visible_to(actor)``; the figures are sums in SQL over the records, a fixed number
of queries whatever their number.

For the cockpit (wired later, not here):

- :func:`volunteers_active` — volunteers attached to the stations of an area and volunteering on
  a day (registered by then, not left);
- :func:`hours_by_area` — the hours the volunteers of an area gave in a period, by the next
  level down (the districts of the city, the towns of a district, the villages of a town), over
  every hours source (hours.py), each volunteer counted where their station is;
- :func:`pairings_on_schedule` — of the pairings running on a day in an area, how many are on
  schedule (their next visit not overdue) and how many in all.
"""

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from swstation.cases.models import ServiceRecord
from swstation.cases.selectors.home import AgendaGroup
from swstation.cases.selectors.records import (
    DAYS_PER_MONTH,
    NOT_SERVED,
    VISIT_DUE_WINDOW_DAYS,
    DueItem,
)
from swstation.core.actors import Actor
from swstation.core.permissions import user_can
from swstation.core.roles import Role
from swstation.recipients.selectors import user_may_reveal_identity
from swstation.regions.models import Region
from swstation.stations.models import Station
from swstation.volunteers.hours import Period, hours_by_source, hours_sources, total_hours
from swstation.volunteers.models import Pairing, ServiceVolunteer, Volunteer, VolunteerTeam
from swstation.workforce.models import SocialWorker

ZERO = Decimal("0.00")

__all__ = [
    "hours_by_area",
    "may_reveal_identity",
    "pairing_agenda_group",
    "pairing_list",
    "pairing_overdue_by_worker",
    "pairings_on_schedule",
    "pairings_with_next_due",
    "record_volunteers",
    "service_record_hours",
    "service_volunteer_list",
    "volunteer_hours_by_year",
    "volunteer_list",
    "volunteer_team_list",
    "volunteers_active",
]


# --- lists -------------------------------------------------------------------------------------


def volunteer_list(*, actor: Actor) -> QuerySet[Volunteer]:
    queryset: QuerySet[Volunteer] = Volunteer.objects.visible_to(actor)
    return queryset.select_related("region", "station")


def volunteer_team_list(*, actor: Actor) -> QuerySet[VolunteerTeam]:
    queryset: QuerySet[VolunteerTeam] = VolunteerTeam.objects.visible_to(actor)
    return queryset.select_related("region", "station", "project", "leader").annotate(
        member_count=Count("members", distinct=True)
    )


def pairing_list(*, actor: Actor) -> QuerySet[Pairing]:
    queryset: QuerySet[Pairing] = Pairing.objects.visible_to(actor)
    return queryset.select_related(
        "volunteer", "volunteer__station", "recipient", "recipient__region", "worker", "team"
    )


def service_volunteer_list(*, actor: Actor) -> QuerySet[ServiceVolunteer]:
    queryset: QuerySet[ServiceVolunteer] = ServiceVolunteer.objects.visible_to(actor)
    return queryset.select_related(
        "record", "record__recipient", "record__recipient__region", "record__station", "volunteer"
    )


def may_reveal_identity(actor: Actor) -> bool:
    """As for recipients: the station's manager and social workers, each view logged."""
    return user_may_reveal_identity(actor)


def station_choices(*, actor: Actor) -> QuerySet[Station]:
    queryset: QuerySet[Station] = Station.objects.visible_to(actor)
    return queryset.select_related("region").order_by("region__code", "name")


def worker_choices(*, actor: Actor) -> QuerySet[SocialWorker]:
    """Social workers on a station and still working."""
    queryset: QuerySet[SocialWorker] = SocialWorker.objects.visible_to(actor)
    today = timezone.localdate()
    return (
        queryset.filter(station__isnull=False)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=today))
        .order_by("name")
    )


# --- hours -------------------------------------------------------------------------------------


def service_record_hours(volunteer_ids: Collection[int], period: Period) -> dict[int, Decimal]:
    """The hours source of this app (hours.py): the service records naming each volunteer,
    dated in the period. One query."""
    start, end = period
    rows = (
        ServiceVolunteer.objects.filter(
            volunteer_id__in=list(volunteer_ids),
            record__served_on__gte=start,
            record__served_on__lte=end,
        )
        .order_by()
        .values("volunteer_id")
        .annotate(total=Sum("hours"))
    )
    return {row["volunteer_id"]: row["total"] or ZERO for row in rows}


def year_period(year: int) -> Period:
    return (date(year, 1, 1), date(year, 12, 31))


@dataclass
class YearHours:
    year: int
    by_source: list[tuple[str, Decimal]]
    total: Decimal


def volunteer_years(volunteer: Volunteer, on: date | None = None) -> list[int]:
    """The years a volunteer may have hours in: from registration to this year (newest first)."""
    today = on or timezone.localdate()
    first = min(volunteer.registered_on.year, today.year)
    return list(range(today.year, first - 1, -1))


def volunteer_hours_by_year(volunteer: Volunteer, on: date | None = None) -> list[YearHours]:
    """The volunteer's hours per year and source (each source once per year)."""
    labels = [(s.key, str(s.label)) for s in hours_sources()]
    found = []
    for year in volunteer_years(volunteer, on):
        by_source = hours_by_source([volunteer.pk], year_period(year))
        rows = [(label, by_source.get(key, {}).get(volunteer.pk, ZERO)) for key, label in labels]
        found.append(YearHours(year, rows, sum((h for _, h in rows), ZERO)))
    return found


def volunteer_services(
    *, actor: Actor, volunteer: Volunteer, year: int
) -> QuerySet[ServiceVolunteer]:
    """The service records naming the volunteer in ``year`` that the reader may see."""
    start, end = year_period(year)
    return (
        service_volunteer_list(actor=actor)
        .filter(volunteer=volunteer, record__served_on__gte=start, record__served_on__lte=end)
        .order_by("-record__served_on", "-pk")
    )


def record_volunteers(*, actor: Actor, record: ServiceRecord) -> list[ServiceVolunteer]:
    return list(
        service_volunteer_list(actor=actor).filter(record=record).order_by("volunteer__name")
    )


def record_volunteer_choices(*, actor: Actor, record: ServiceRecord) -> QuerySet[Volunteer]:
    """Volunteers that may be named on ``record``: of its station, volunteering that day, not
    named yet."""
    day = record.served_on
    return (
        volunteer_list(actor=actor)
        .filter(station_id=record.station_id, registered_on__lte=day)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=day))
        .exclude(pk__in=ServiceVolunteer.objects.filter(record=record).values("volunteer_id"))
        .order_by("name")
    )


# --- pairings due (the home agenda, the pairing list) -----------------------------------------


def running_pairings(queryset: QuerySet[Pairing], on: date) -> QuerySet[Pairing]:
    return (
        queryset.filter(active=True, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .exclude(recipient__status__in=NOT_SERVED)
    )


def with_next_due(queryset: QuerySet[Pairing], *, on: date) -> QuerySet[Pairing]:
    """``queryset`` with each pairing's ``last_visit_on`` (the last service record to the
    paired person naming the volunteer, since the pairing started) and ``next_due_on``
    (that day, or the start, plus 30 ÷ visits per month days), in SQL."""
    last_visit = (
        ServiceVolunteer.objects.filter(
            volunteer=OuterRef("volunteer"),
            record__recipient=OuterRef("recipient"),
            record__served_on__gte=OuterRef("starts_on"),
            record__served_on__lte=on,
        )
        .order_by("-record__served_on")
        .values("record__served_on")[:1]
    )
    interval = ExpressionWrapper(
        Greatest(Value(1), Value(DAYS_PER_MONTH) / F("times_per_month")) * Value(timedelta(days=1)),
        output_field=DurationField(),
    )
    return queryset.annotate(last_visit_on=Subquery(last_visit, output_field=DateField())).annotate(
        next_due_on=Cast(
            ExpressionWrapper(
                Coalesce(F("last_visit_on"), F("starts_on")) + interval, output_field=DateField()
            ),
            DateField(),
        )
    )


def _own_only(actor: Actor) -> bool:
    return getattr(actor, "role", None) == Role.SOCIAL_WORKER and not getattr(
        actor, "is_superuser", False
    )


def pairings_with_next_due(*, actor: Actor, on: date, everyone: bool = False) -> QuerySet[Pairing]:
    """The pairings running on ``on`` with their next visit due; a social worker's own (those
    they answer for) unless ``everyone``."""
    queryset = running_pairings(pairing_list(actor=actor), on)
    if _own_only(actor) and not everyone:
        queryset = queryset.filter(Q(worker__user=actor))
    return with_next_due(queryset, on=on)


def pairing_list_with_next_due(*, actor: Actor) -> QuerySet[Pairing]:
    return with_next_due(pairing_list(actor=actor), on=timezone.localdate())


def pairing_agenda_group(actor: Actor, on: date, limit: int) -> AgendaGroup:
    """The home agenda's group of pairing visits (registered with cases'
    ``register_agenda_source`` in apps.py): overdue, due today, due within 2 days, and the
    first items, the longest overdue first. Two queries."""
    window = on + timedelta(days=VISIT_DUE_WINDOW_DAYS)
    pairings = pairings_with_next_due(actor=actor, on=on)
    counts = pairings.order_by().aggregate(
        overdue=Count("pk", filter=Q(next_due_on__lt=on)),
        today=Count("pk", filter=Q(next_due_on=on)),
        soon=Count("pk", filter=Q(next_due_on__gt=on, next_due_on__lte=window)),
    )
    first = pairings.filter(Q(next_due_on__lte=window)).order_by(
        F("next_due_on").asc(), "recipient__name", "pk"
    )[:limit]
    items = [
        DueItem(
            kind="pairing",
            title=_("Pairing visit by %(volunteer)s × %(times)s a month")
            % {"volunteer": pairing.volunteer.name, "times": pairing.times_per_month},
            recipient=pairing.recipient,
            due_on=getattr(pairing, "next_due_on"),  # noqa: B009 (annotated)
            on=on,
            url=pairing.get_absolute_url(),
            action_url=reverse("volunteers:pairing_visit", args=[pairing.pk]),
            worker=pairing.worker.name,
            last_on=getattr(pairing, "last_visit_on"),  # noqa: B009 (annotated)
            action_label=_("Record the visit"),
        )
        for pairing in first
    ]
    return AgendaGroup(
        kind="pairings",
        label=_("Pairing visits"),
        overdue=counts["overdue"] or 0,
        today=counts["today"] or 0,
        soon=counts["soon"] or 0,
        soon_days=VISIT_DUE_WINDOW_DAYS,
        items=items,
        url=reverse("volunteers:pairing_list") + "?due=overdue",
    )


def pairing_overdue_by_worker(actor: Actor, on: date) -> dict[int, int]:
    """``{social worker pk: pairings overdue}`` for the station's workload (one query)."""
    rows = (
        with_next_due(running_pairings(pairing_list(actor=actor), on), on=on)
        .filter(Q(next_due_on__lt=on))
        .order_by()
        .values("worker_id")
        .annotate(n=Count("pk"))
    )
    return {row["worker_id"]: row["n"] for row in rows}


# --- figures for the cockpit (later) -----------------------------------------------------------


def _in_area(queryset: QuerySet[Any], region: Region, path: str) -> QuerySet[Any]:
    return queryset.filter(**{f"{path}__startswith": region.prefix})


def volunteers_active(*, actor: Actor, region: Region, on: date) -> int:
    """Volunteers attached to a station of ``region`` and volunteering on ``on``. One query."""
    queryset = _in_area(volunteer_list(actor=actor), region, "station__region__code")
    return (
        queryset.filter(registered_on__lte=on)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=on))
        .count()
    )


@dataclass
class AreaHours:
    code: str
    name: str
    hours: Decimal = ZERO
    volunteers: int = 0


@dataclass
class HoursFigures:
    region: Region
    period: Period
    total: Decimal = ZERO
    areas: list[AreaHours] = field(default_factory=list)


def hours_by_area(*, actor: Actor, region: Region, period: Period) -> HoursFigures:
    """The hours given in ``period`` by the volunteers of the stations of ``region``, in all
    and by the next level down (a volunteer counted in the area of their station), over every
    hours source. Two queries plus one per source; areas with no volunteer are left out."""
    volunteers = _in_area(volunteer_list(actor=actor), region, "station__region__code")
    area_of = dict(volunteers.order_by().values_list("pk", "station__region__code"))
    totals = total_hours(list(area_of), period)
    children = {
        child.code: child
        for child in Region.objects.filter(parent=region).only("code", "name", "level")
    }
    by_area: dict[str, AreaHours] = {}
    for pk, code in area_of.items():
        child = next((c for c in children.values() if code.startswith(c.prefix)), None)
        key, name = (child.code, child.name) if child is not None else (region.code, region.name)
        area = by_area.setdefault(key, AreaHours(key, name))
        hours = totals.get(pk, ZERO)
        area.hours += hours
        area.volunteers += 1 if hours > 0 else 0
    areas = sorted(by_area.values(), key=lambda a: a.code)
    return HoursFigures(region, period, sum((a.hours for a in areas), ZERO), areas)


@dataclass(frozen=True)
class PairingSchedule:
    on_schedule: int
    total: int

    @property
    def rate(self) -> float | None:
        return self.on_schedule / self.total if self.total else None


def pairings_on_schedule(*, actor: Actor, region: Region, on: date) -> PairingSchedule:
    """Of the pairings running on ``on`` with the paired person in ``region``, how many are on
    schedule (next visit due today or later). One query."""
    queryset = _in_area(
        with_next_due(running_pairings(pairing_list(actor=actor), on), on=on),
        region,
        "recipient__region__code",
    )
    counts = queryset.order_by().aggregate(
        total=Count("pk"), kept=Count("pk", filter=Q(next_due_on__gte=on))
    )
    return PairingSchedule(counts["kept"] or 0, counts["total"] or 0)


def pairing_due_state(pairing: Pairing, on: date) -> str:
    """``overdue``, ``due`` (within 2 days), ``ok`` or ``ended`` for a pairing read through
    :func:`with_next_due`."""
    running = (
        pairing.active
        and pairing.starts_on <= on
        and (pairing.ends_on is None or pairing.ends_on >= on)
    )
    due = getattr(pairing, "next_due_on", None)
    if not running or due is None:
        return "ended"
    if due < on:
        return "overdue"
    if due <= on + timedelta(days=VISIT_DUE_WINDOW_DAYS):
        return "due"
    return "ok"


def may_record_visit(actor: Actor) -> bool:
    return user_can(actor, "add", ServiceRecord) and user_can(actor, "add", ServiceVolunteer)


def hours_by_volunteer_in_year(volunteer_ids: Collection[int], year: int) -> dict[int, Decimal]:
    return total_hours(volunteer_ids, year_period(year))
