"""What each family of tallies counts (domain.md §5), computed from its source records.

Every function takes a region-code prefix ("" for everything, 9 digits for one partition) and
returns unsaved :class:`~swstation.dashboard.models.Tally` rows at the township (partition) level,
plus village rows where a figure needs villages. Each reads its records with a handful of grouped
queries; none of them loads records one by one except where a rule needs a person's whole
history (certificates, visit schedules), and then only ids, dates and codes.

The families and their metrics:

``services`` (service records, by the recipient's village)
    ``services``: records by service type and month (``total`` = minutes);
    ``people_served``: distinct recipients served in the month;
    ``project_people``: distinct recipients served within a project in the year (``period``
    1 January): the cockpit's "people served by projects" of a calendar year. A person
    belongs to one village, so the township rows add up to the district's and the city's;
    ``project_services``: each project's records by service type and month (``key``
    "<project pk>|<type>", ``total`` = minutes); ``project_first_served``: each project's
    people by the month they were first served in it (``key`` "<project pk>" for any type,
    "<project pk>|<type>" for each type), whose running sum is the number of distinct people
    served up to a month (the cockpit's projects behind schedule, dashboard/project_work.py);
    ``village_months`` (village rows): per village and year (``period`` 1 January), the months
    with at least one service as a bit mask in ``count`` (bit 0 = January), for village
    coverage over any run of months.
``recipients`` (people in service: registered by a day and not exited on or before it)
    ``recipients``: net change by month (``period``) of the people in service, all (``key``
    "") or in a category (``key``: its code, over the periods the person held it): +1 in the
    month they entered, -1 in the month they left; the number on a day is the sum up to that
    day's month.
``cases`` (cases, by their station's region, from the stage log ``CaseStageChange``)
    ``cases``: net change by month of the cases at stage ``key`` (a change moves a case from
    one stage to the next); ``cases_opened``: by month opened; ``cases_closed``: closures by
    month closed (a case closed twice, reopened between, counts twice).
``visits`` (visit schedules, over the days they ran)
    ``visits_overdue``: net change by day (``period``) of the schedules overdue: a schedule is
    overdue on a day when its last visit by then (or its start) plus its interval is before
    that day, while it runs and its person is served; the number on a day is the sum up to it.
``workforce`` (certificate holders, by the person's region)
    ``certified``: net change, by month (``period``), of the people whose highest level held is
    ``key``: the number on a day is the sum up to that day's month;
    ``newly_certified``: people whose first certificate is of that year (``period`` 1 January).

Every count is rebuilt from the records of the partition, whatever the dates: a record
back-dated or corrected puts every past period of its partition right at the next refresh.
``funds`` (money: rewards and allowances, and the "four ones" of issue 12)
    ``payments_paid``: rewards and allowances of paid batches by kind and month paid
    (``total`` = yuan); ``subsidies_paid``: subsidies (grants under a policy) paid, by month
    paid; ``grants``, ``spent``, ``instalments_due``, ``instalments_open``: the funds of a
    year by tier, spending and contract instalments (:func:`_grant_rows`,
    :func:`_contract_rows`), read by ``dashboard.funds_figures``.
``linkage`` (五社联动, issue 13: :mod:`swstation.dashboard.linkage_figures` reads them)
    ``volunteer_hours``: hours given, by source (``key``: ``services`` for service records
    naming volunteers, ``activities``, ``sessions``) and month of the occasion, where the
    volunteer's station is (``count`` rows, ``total`` hours), as ``volunteers.selectors.
    hours_by_area`` counts them (volunteers without a station count nowhere);
    ``activities``: community activities by month held, where held (``total`` participants
    counted); ``participants``: counted participants by group (``key`` elder, child, other);
    ``activity_partners``: activities with a partner of kind ``key``;
    ``sessions``: group sessions by month held, at the group's station (``total``
    attendances: named rows and walk-ins counted);
    ``referrals``: referrals by status (``key``) and month sent, at the referring station;
    ``referral_outcomes``: the completed and answered by outcome; ``referral_partners``: by
    the kind of partner referred to; ``answer_days``: answered referrals by the days from
    sending to the answer (``key``, a number), so the median of any run of months is read
    from the rows.
``assessments`` (elderly capability assessments of people in service)
    ``elderly_level``: net change, by month (``period``), of the elders in service whose latest
    assessment is of the standard and level ``key`` ("GB/T 42195-2022|2"): the number at the
    end of a month is the sum up to that month. The standard is part of the key, so levels of
    two standards are never counted together (spec/elderly-assessment-gbt42195.md §8).
"""

from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from itertools import chain
from typing import Any

from django.db.models import Count, DateField, Exists, Min, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Substr, TruncMonth, TruncYear
from django.utils import timezone

from swstation.cases.models import (
    Case,
    CaseStage,
    CaseStageChange,
    CaseTransfer,
    ElderlyAssessment,
    ServiceRecord,
    VisitSchedule,
)
from swstation.cases.selectors.records import visit_interval_days
from swstation.community.models import (
    ActivityVolunteer,
    CommunityActivity,
    GroupSession,
    SessionAttendance,
)
from swstation.dashboard.models import Tally, TallyLevel
from swstation.funds.models import ContractInstalment, Expense, Grant
from swstation.linkage.models import ANSWERED_STATUSES, Referral, ReferralStatus
from swstation.recipients.models import CategoryPeriod, ExitReason, Recipient, RecipientStatus
from swstation.regions.codes import LEVEL_DIGITS, code_of_prefix
from swstation.volunteers.models import ServiceVolunteer
from swstation.workforce.models import BatchStatus, Certificate, Payment

PARTITION_DIGITS = LEVEL_DIGITS["township"]
DISTRICT_DIGITS = LEVEL_DIGITS["county"]
CITY_DIGITS = LEVEL_DIGITS["city"]


def partition_of(code: str) -> str:
    """The partition of a record registered at ``code``: its town or street (or its county,
    for records kept at county level)."""
    return code[:PARTITION_DIGITS]


def month_bit(month: int) -> int:
    return 1 << (month - 1)


def _scoped(queryset: QuerySet[Any], path: str, prefix: str) -> QuerySet[Any]:
    queryset = queryset.order_by()
    return queryset.filter(**{f"{path}__startswith": prefix}) if prefix else queryset


def _row(
    family: str,
    metric: str,
    part: str,
    *,
    key: str = "",
    period: date | None = None,
    count: int = 0,
    total: Any = None,
    level: str = TallyLevel.TOWNSHIP,
) -> Tally:
    return Tally(
        family=family,
        metric=metric,
        level=level,
        region_code=code_of_prefix(part) if level != TallyLevel.VILLAGE else part,
        key=key or "",
        period=period,
        count=count,
        total=Decimal(total or 0),
    )


def services(prefix: str) -> list[Tally]:
    path = "recipient__region__code"
    records = _scoped(ServiceRecord.objects.all(), path, prefix)
    part = Substr(path, 1, PARTITION_DIGITS)
    month = TruncMonth("served_on", output_field=DateField())
    rows = [
        _row(
            "services",
            "services",
            r["part"],
            key=r["service_type"],
            period=r["month"],
            count=r["n"],
            total=r["minutes"],
        )
        for r in records.values("service_type", part=part, month=month).annotate(
            n=Count("pk"), minutes=Sum("duration_minutes")
        )
    ]
    rows += [
        _row("services", "people_served", r["part"], period=r["month"], count=r["n"])
        for r in records.values(part=part, month=month).annotate(
            n=Count("recipient_id", distinct=True)
        )
    ]
    year = TruncYear("served_on", output_field=DateField())
    rows += [
        _row("services", "project_people", r["part"], period=r["year"], count=r["n"])
        for r in records.filter(project__isnull=False)
        .values(part=part, year=year)
        .annotate(n=Count("recipient_id", distinct=True))
    ]
    rows += _project_work(records.filter(project__isnull=False), part, month)
    masks: dict[tuple[str, int], int] = defaultdict(int)
    for village, served_month in records.values_list(path, month).distinct():
        masks[(village, served_month.year)] |= month_bit(served_month.month)
    rows += [
        _row(
            "services",
            "village_months",
            village,
            period=date(year, 1, 1),
            count=mask,
            level=TallyLevel.VILLAGE,
        )
        for (village, year), mask in masks.items()
    ]
    return rows


def project_key(project: int, service_type: str = "") -> str:
    """The key of a project's rows (``project_services``, ``project_first_served``): its pk,
    and the service type after a bar ("" for every type)."""
    return f"{project}|{service_type}" if service_type else str(project)


def _project_work(records: QuerySet[Any], part: Any, month: Any) -> list[Tally]:
    """Each project's services and minutes by type and month, and its people by the month they
    were first served in it (all types, and each type): the running sum of the latter up to a
    month is the exact number of distinct people served by then, which monthly distinct
    counts could not give (dashboard/project_work.py reads them). Kept at level ``project``:
    never rolled up, and never read by a region's figures."""
    rows = [
        _row(
            "services",
            "project_services",
            r["part"],
            key=project_key(r["project_id"], r["service_type"]),
            period=r["month"],
            count=r["n"],
            total=r["minutes"],
            level=TallyLevel.PROJECT,
        )
        for r in records.values("project_id", "service_type", part=part, month=month).annotate(
            n=Count("pk"), minutes=Sum("duration_minutes")
        )
    ]
    firsts: dict[tuple[str, int, int], date] = {}
    by_type: Counter[tuple[str, str, date]] = Counter()
    for code, project, person, kind, first in (
        records.values_list(part, "project_id", "recipient_id", "service_type")
        .annotate(first=Min("served_on"))
        .iterator(chunk_size=5_000)
    ):
        by_type[(code, project_key(project, kind), _month(first))] += 1
        known = firsts.get((code, project, person))
        if known is None or first < known:
            firsts[(code, project, person)] = first
    by_project = Counter(
        (code, project_key(project), _month(first))
        for (code, project, _person), first in firsts.items()
    )
    rows += [
        _row(
            "services",
            "project_first_served",
            code,
            key=key,
            period=period,
            count=n,
            level=TallyLevel.PROJECT,
        )
        for (code, key, period), n in chain(by_type.items(), by_project.items())
    ]
    return rows


def _month(day: date) -> date:
    return day.replace(day=1)


def _span(
    changes: Counter[tuple[str, str, date]], part: str, key: str, start: date, end: Any
) -> None:
    """+1 in the month of ``start``, -1 in the month of ``end`` (the first day out, or None)."""
    changes[(part, key, _month(start))] += 1
    if end is not None:
        changes[(part, key, _month(end))] -= 1


# Statuses of people no longer served; a record written in bulk with such a status but no
# exit date left service on the day it was last changed.
EXITED_STATUSES = frozenset(
    {RecipientStatus.INACTIVE, RecipientStatus.MOVED, RecipientStatus.DECEASED}
)
# Exits after which a person has no visits due (as in cases.selectors.records).
NO_VISIT_EXITS = frozenset({ExitReason.DECEASED, ExitReason.MOVED_AWAY})
NO_VISIT_STATUSES = frozenset({RecipientStatus.DECEASED, RecipientStatus.MOVED})


def exit_day(status: str, exited_on: date | None, updated_at: Any) -> date | None:
    """The first day a person was no longer served (None: still served)."""
    if exited_on is not None:
        return exited_on
    if status in EXITED_STATUSES and updated_at is not None:
        return timezone.localtime(updated_at).date()
    return None


def recipients(prefix: str) -> list[Tally]:
    """People in service (``Recipient.in_service_on``), and in each category over the periods
    they held it while in service (``CategoryPeriod``), as net changes by month. Merged records
    never count (the record kept carries the person)."""
    path = "region__code"
    people = _scoped(Recipient.objects.exclude(status=RecipientStatus.MERGED), path, prefix)
    changes: Counter[tuple[str, str, date]] = Counter()
    served: dict[int, tuple[str, date, date | None]] = {}
    for pk, code, registered_on, exited_on, status, updated_at in people.values_list(
        "pk", path, "registered_on", "exited_on", "status", "updated_at"
    ).iterator(chunk_size=5_000):
        end = exit_day(status, exited_on, updated_at)
        if end is not None and end <= registered_on:
            continue
        part = partition_of(code)
        served[pk] = (part, registered_on, end)
        _span(changes, part, "", registered_on, end)
    periods = _scoped(CategoryPeriod.objects.all(), f"recipient__{path}", prefix).values_list(
        "recipient_id", "category__code", "valid_from", "valid_to"
    )
    # A category held (Recipient.categories) with no period recorded, as a bulk writer may
    # leave it, is held from the registration.
    through = Recipient.categories.through
    undated = (
        _scoped(through.objects.all(), f"recipient__{path}", prefix)
        .filter(
            ~Exists(
                CategoryPeriod.objects.filter(
                    recipient=OuterRef("recipient"), category=OuterRef("category")
                )
            )
        )
        .values_list(
            "recipient_id",
            "category__code",
            "recipient__registered_on",
            Value(None, output_field=DateField()),
        )
    )
    for recipient_id, category, valid_from, valid_to in chain(
        periods.iterator(chunk_size=5_000), undated.iterator(chunk_size=5_000)
    ):
        if recipient_id not in served:
            continue
        part, registered_on, left_on = served[recipient_id]
        start = max(valid_from, registered_on)
        end = valid_to + timedelta(days=1) if valid_to is not None else None
        if left_on is not None and (end is None or left_on < end):
            end = left_on
        if end is None or end > start:
            _span(changes, part, category, start, end)
    return [
        _row("recipients", "recipients", part, key=key, period=month, count=n)
        for (part, key, month), n in changes.items()
        if n
    ]


def cases(prefix: str) -> list[Tally]:
    """Cases by stage on a day from the stage log: each change takes a case out of its stage
    (-1) into the next (+1) in the month it was made. A case without a log (written in bulk)
    is at its current stage from its opening. A case ever transferred counts at the station
    it was at on each day (:func:`_transferred_cases`), as the case list ``as_of`` a day lists
    it (cases.selectors.dated)."""
    path = "station__region__code"
    transferred = CaseTransfer.objects.filter(case=OuterRef("pk"))
    all_cases = _scoped(Case.objects.filter(~Exists(transferred)), path, prefix)
    log = _scoped(
        CaseStageChange.objects.filter(~Exists(CaseTransfer.objects.filter(case=OuterRef("case")))),
        f"case__{path}",
        prefix,
    )
    part = Substr(f"case__{path}", 1, PARTITION_DIGITS)
    month = TruncMonth("changed_on", output_field=DateField())
    changes: Counter[tuple[str, str, date]] = Counter()
    for r in log.values("to_stage", part=part, month=month).annotate(n=Count("pk")):
        changes[(r["part"], r["to_stage"], r["month"])] += r["n"]
    for r in (
        log.exclude(from_stage="")
        .values("from_stage", part=part, month=month)
        .annotate(n=Count("pk"))
    ):
        changes[(r["part"], r["from_stage"], r["month"])] -= r["n"]
    unlogged = all_cases.filter(~Exists(CaseStageChange.objects.filter(case=OuterRef("pk"))))
    case_part = Substr(path, 1, PARTITION_DIGITS)
    for r in unlogged.values(
        "stage", part=case_part, month=TruncMonth("opened_on", output_field=DateField())
    ).annotate(n=Count("pk")):
        changes[(r["part"], r["stage"], r["month"])] += r["n"]
    opened: Counter[tuple[str, date]] = Counter()
    for r in all_cases.values(
        part=case_part, month=TruncMonth("opened_on", output_field=DateField())
    ).annotate(n=Count("pk")):
        opened[(r["part"], r["month"])] += r["n"]
    closures: Counter[tuple[str, date]] = Counter()
    for r in (
        log.filter(to_stage=CaseStage.CLOSED).values(part=part, month=month).annotate(n=Count("pk"))
    ):
        closures[(r["part"], r["month"])] += r["n"]
    for r in (
        unlogged.filter(closed_on__isnull=False)
        .values(part=case_part, month=TruncMonth("closed_on", output_field=DateField()))
        .annotate(n=Count("pk"))
    ):
        closures[(r["part"], r["month"])] += r["n"]
    _transferred_cases(prefix, changes, opened, closures)
    rows = [
        _row("cases", "cases", part, key=stage, period=when, count=n)
        for (part, stage, when), n in changes.items()
        if n and part.startswith(prefix)
    ]
    rows += [
        _row("cases", "cases_opened", part, period=when, count=n)
        for (part, when), n in opened.items()
        if n and part.startswith(prefix)
    ]
    rows += [
        _row("cases", "cases_closed", part, period=when, count=n)
        for (part, when), n in closures.items()
        if n and part.startswith(prefix)
    ]
    return rows


def _transferred_cases(
    prefix: str,
    changes: Counter[tuple[str, str, date]],
    opened: Counter[tuple[str, date]],
    closures: Counter[tuple[str, date]],
) -> None:
    """The cases ever transferred that were in the partition ``prefix`` at some time, one by
    one (they are few): on each day a stage change or a transfer is dated, the case's state
    (its station's partition and its stage after that day's records, in the order they were
    written) replaces the one before. Opened where it was opened, closed where it was then."""
    moves = CaseTransfer.objects.filter(case=OuterRef("pk"))
    cases = Case.objects.filter(Exists(moves)).order_by()
    if prefix:
        here = Q(from_station__region__code__startswith=prefix) | Q(
            to_station__region__code__startswith=prefix
        )
        cases = cases.filter(
            Q(station__region__code__startswith=prefix) | Exists(moves.filter(here))
        )
    info = {
        pk: (code, stage, opened_on, closed_on)
        for pk, code, stage, opened_on, closed_on in cases.values_list(
            "pk", "station__region__code", "stage", "opened_on", "closed_on"
        )
    }
    if not info:
        return
    ids = cases.values("pk")
    # (day, order, pk) → what happened: ("stage", to_stage) or ("station", region code).
    events: dict[int, list[tuple[date, int, int, str, str]]] = defaultdict(list)
    first_station: dict[int, str] = {}
    for case_id, pk, day, from_code, to_code in (
        CaseTransfer.objects.filter(case_id__in=ids)
        .order_by("case_id", "transferred_on", "pk")
        .values_list(
            "case_id",
            "pk",
            "transferred_on",
            "from_station__region__code",
            "to_station__region__code",
        )
    ):
        first_station.setdefault(case_id, from_code)
        events[case_id].append((day, 1, pk, "station", to_code))
    logged: set[int] = set()
    for case_id, pk, day, to_stage in (
        CaseStageChange.objects.filter(case_id__in=ids)
        .order_by()
        .values_list("case_id", "pk", "changed_on", "to_stage")
    ):
        logged.add(case_id)
        events[case_id].append((day, 0, pk, "stage", to_stage))
    for case_id, (code, stage, opened_on, closed_on) in info.items():
        station = first_station.get(case_id, code)
        if case_id not in logged:  # at its current stage from its opening
            events[case_id].append((opened_on, 0, 0, "stage", stage))
            if closed_on is not None:
                closures[
                    (
                        partition_of(_station_on(events[case_id], station, closed_on)),
                        _month(closed_on),
                    )
                ] += 1
        opened[
            (partition_of(_station_on(events[case_id], station, opened_on)), _month(opened_on))
        ] += 1
        state: tuple[str, str] | None = None
        current_stage: str | None = None
        current_station = station
        timeline = sorted(events[case_id])
        for index, (day, _order, _pk, kind, value) in enumerate(timeline):
            if kind == "stage":
                if value == CaseStage.CLOSED and case_id in logged:
                    closures[(partition_of(_station_on(timeline, station, day)), _month(day))] += 1
                current_stage = value
            else:
                current_station = value
            if index + 1 < len(timeline) and timeline[index + 1][0] == day:
                continue  # the day's state is the one after all its records
            if current_stage is None:
                continue
            new = (partition_of(current_station), current_stage)
            if new != state:
                if state is not None:
                    changes[(state[0], state[1], _month(day))] -= 1
                changes[(new[0], new[1], _month(day))] += 1
                state = new


def _station_on(timeline: list[tuple[date, int, int, str, str]], first: str, day: date) -> str:
    """The region code of the case's station at the end of ``day``."""
    code = first
    for when, _order, _pk, kind, value in sorted(timeline):
        if when > day:
            break
        if kind == "station":
            code = value
    return code


def visits(prefix: str) -> list[Tally]:
    """The days each schedule was overdue, by the rule of
    :func:`swstation.cases.selectors.dated.schedules_overdue_on` applied on every day: overdue
    on a day when the last service of the schedule's type to its person since the schedule
    started (or its start) plus the interval is before that day — until the next service, the
    day after the schedule ends, the day it was deactivated (a plan since switched off still
    counts in the periods it ran), or the day its person died or moved away. A plan switched
    off with no date (written so in bulk) never counts."""
    path = "recipient__region__code"
    schedules = list(
        _scoped(
            VisitSchedule.objects.exclude(recipient__status=RecipientStatus.MERGED).exclude(
                active=False, deactivated_on__isnull=True
            ),
            path,
            prefix,
        ).values_list(
            "recipient_id",
            "service_type",
            Substr(path, 1, PARTITION_DIGITS),
            "starts_on",
            "ends_on",
            "deactivated_on",
            "times_per_month",
            "recipient__status",
            "recipient__exited_on",
            "recipient__exit_reason",
            "recipient__updated_at",
        )
    )
    if not schedules:
        return []
    # The services of the scheduled people, a batch of people at a time (an index look-up per
    # person, whatever the number of service records around them).
    wanted = {(schedule[0], schedule[1]) for schedule in schedules}
    people = sorted({person for person, _type in wanted})
    types = sorted({service_type for _person, service_type in wanted})
    served: dict[tuple[int, str], set[date]] = defaultdict(set)
    for first in range(0, len(people), 2_000):
        for person, service_type, served_on in (
            ServiceRecord.objects.filter(
                recipient_id__in=people[first : first + 2_000], service_type__in=types
            )
            .order_by()
            .values_list("recipient_id", "service_type", "served_on")
            .iterator(chunk_size=5_000)
        ):
            if (person, service_type) in wanted:
                served[(person, service_type)].add(served_on)
    counts: Counter[tuple[str, date]] = Counter()
    for (
        person,
        service_type,
        part,
        starts_on,
        ends_on,
        deactivated_on,
        times,
        status,
        exited_on,
        reason,
        changed,
    ) in schedules:
        interval = timedelta(days=visit_interval_days(times))
        stop = ends_on + timedelta(days=1) if ends_on else None
        if deactivated_on is not None:
            stop = deactivated_on if stop is None else min(stop, deactivated_on)
        gone = exit_day(status, exited_on, changed)
        if gone is not None and (
            reason in NO_VISIT_EXITS or (not reason and status in NO_VISIT_STATUSES)
        ):
            stop = gone if stop is None else min(stop, gone)
        later = sorted(d for d in served[(person, service_type)] if d > starts_on)
        anchors = [starts_on, *later]
        for anchor, following in zip(anchors, [*anchors[1:], None], strict=True):
            begin = anchor + interval + timedelta(days=1)
            end = following
            if stop is not None:
                end = stop if end is None else min(end, stop)
            if end is not None and end <= begin:
                continue
            counts[(part, begin)] += 1
            if end is not None:
                counts[(part, end)] -= 1
    return [
        _row("visits", "visits_overdue", part, period=day, count=n)
        for (part, day), n in counts.items()
        if n
    ]


def workforce(prefix: str) -> list[Tally]:
    """Certificate holders by the highest level they held at each month's end, as net changes,
    and newly certified people by year: the rules of
    :func:`swstation.workforce.selectors.people.certification_statistics`."""
    path = "social_worker__region__code"
    certificates = (
        _scoped(Certificate.objects.all(), path, prefix)
        .order_by("social_worker_id", "obtained_on")
        .values_list("social_worker_id", path, "level", "obtained_on")
    )
    changes: Counter[tuple[str, str, date]] = Counter()
    newly: Counter[tuple[str, int]] = Counter()
    held: dict[int, tuple[str, dict[date, str]]] = {}
    for person, code, level, obtained_on in certificates:
        part, best_by_month = held.setdefault(person, (partition_of(code), {}))
        month = _month(obtained_on)
        best_by_month[month] = max(best_by_month.get(month, level), level)
    for part, best_by_month in held.values():
        top: str | None = None
        for month in sorted(best_by_month):
            if top is None:
                newly[(part, month.year)] += 1
            if top is None or best_by_month[month] > top:
                if top is not None:
                    changes[(part, top, month)] -= 1
                top = best_by_month[month]
                changes[(part, top, month)] += 1
    rows = [
        _row("workforce", "certified", part, key=level, period=month, count=n)
        for (part, level, month), n in changes.items()
        if n
    ]
    rows += [
        _row("workforce", "newly_certified", part, period=date(year, 1, 1), count=n)
        for (part, year), n in newly.items()
    ]
    return rows


def funds(prefix: str) -> list[Tally]:
    path = "social_worker__region__code"
    payments = _scoped(
        Payment.objects.filter(batch__status=BatchStatus.PAID, batch__paid_on__isnull=False),
        path,
        prefix,
    )
    rows = [
        _row(
            "funds",
            "payments_paid",
            r["part"],
            key=r["kind"],
            period=r["paid_month"],
            count=r["n"],
            total=r["yuan"],
        )
        for r in payments.values(
            "kind",
            part=Substr(path, 1, PARTITION_DIGITS),
            paid_month=TruncMonth("batch__paid_on", output_field=DateField()),
        ).annotate(n=Count("pk"), yuan=Sum("amount"))
    ]
    rows += _grant_rows(prefix) + _contract_rows(prefix)
    return rows


def _grant_rows(prefix: str) -> list[Tally]:
    """The grants of the "four ones" (funds.selectors.funds_figures counts them so) by the
    region the money went to: ``grants`` by tier and budget year (``period`` 1 January;
    ``count`` grants, ``total`` what they keep: their amounts less the shares split from them,
    which count where they went); ``subsidies_paid`` the subsidies (grants under a policy) by
    month paid; ``spent`` the expense lines by month (``total`` yuan), by the region of the
    grant or contract spent from."""
    path = "region__code"
    part = Substr(path, 1, PARTITION_DIGITS)
    grants = _scoped(Grant.objects.all(), path, prefix)
    kept: dict[tuple[str, str, date], list[Any]] = defaultdict(lambda: [0, Decimal(0)])
    for r in grants.values("tier", "year", part=part).annotate(n=Count("pk"), yuan=Sum("amount")):
        cell = kept[(r["part"], r["tier"], date(r["year"], 1, 1))]
        cell[0] += r["n"]
        cell[1] += r["yuan"] or 0
    shares = _scoped(Grant.objects.filter(parent__isnull=False), f"parent__{path}", prefix)
    for r in shares.values(
        "parent__tier", "parent__year", part=Substr(f"parent__{path}", 1, PARTITION_DIGITS)
    ).annotate(yuan=Sum("amount")):
        kept[(r["part"], r["parent__tier"], date(r["parent__year"], 1, 1))][1] -= r["yuan"] or 0
    rows = [
        _row("funds", "grants", p, key=tier, period=year, count=n, total=yuan)
        for (p, tier, year), (n, yuan) in kept.items()
        if n or yuan
    ]
    rows += [
        _row("funds", "subsidies_paid", r["part"], period=r["month"], count=r["n"], total=r["yuan"])
        for r in grants.filter(policy__isnull=False, paid_on__isnull=False)
        .values(part=part, month=TruncMonth("paid_on", output_field=DateField()))
        .annotate(n=Count("pk"), yuan=Sum("amount"))
    ]
    rows += [
        _row("funds", "spent", r["part"], period=r["month"], count=r["n"], total=r["yuan"])
        for r in _scoped(Expense.objects.all(), path, prefix)
        .values(part=part, month=TruncMonth("spent_on", output_field=DateField()))
        .annotate(n=Count("pk"), yuan=Sum("amount"))
    ]
    return rows


def _contract_rows(prefix: str) -> list[Tally]:
    """Purchase contracts' instalments: ``instalments_due`` by the purchaser's tier (``key``)
    and month due, where the station bought for is (a town's figures read the township tier,
    a district's also the county's, the city's every tier: the purchaser is in the region);
    ``instalments_open`` the instalments not paid yet, where the purchaser is, by due day
    (``key`` "held" for a final payment held pending evaluation)."""
    path = "contract__station__region__code"
    due = _scoped(ContractInstalment.objects.filter(contract__station__isnull=False), path, prefix)
    rows = [
        _row(
            "funds",
            "instalments_due",
            r["part"],
            key=r["contract__tier"],
            period=r["month"],
            count=r["n"],
            total=r["yuan"],
        )
        for r in due.values(
            "contract__tier",
            part=Substr(path, 1, PARTITION_DIGITS),
            month=TruncMonth("due_on", output_field=DateField()),
        ).annotate(n=Count("pk"), yuan=Sum("amount"))
    ]
    path = "contract__region__code"
    still_open = _scoped(ContractInstalment.objects.filter(paid_on__isnull=True), path, prefix)
    rows += [
        _row(
            "funds",
            "instalments_open",
            r["part"],
            key="held" if r["held"] else "",
            period=r["due_on"],
            count=r["n"],
            total=r["yuan"],
        )
        for r in still_open.values(
            "held", "due_on", part=Substr(path, 1, PARTITION_DIGITS)
        ).annotate(n=Count("pk"), yuan=Sum("amount"))
    ]
    return rows


def elderly_level_key(standard: str, level: int) -> str:
    return f"{standard}|{level}"


def assessments(prefix: str) -> list[Tally]:
    """Each elder in service moves, at each assessment, from the standard and level of their
    previous one to this one's (the latest of a day by its id, as the due lists read it), and
    leaves the count when they leave service (``exit_day``); an assessment after that is not
    counted. Merged records never count."""
    path = "recipient__region__code"
    rows = (
        _scoped(
            ElderlyAssessment.objects.exclude(recipient__status=RecipientStatus.MERGED),
            path,
            prefix,
        )
        .order_by("recipient_id", "assessed_on", "pk")
        .values_list(
            "recipient_id",
            path,
            "standard",
            "level",
            "assessed_on",
            "recipient__status",
            "recipient__exited_on",
            "recipient__updated_at",
        )
    )
    changes: Counter[tuple[str, str, date]] = Counter()
    current: dict[int, tuple[str, str, date | None]] = {}
    for person, code, standard, level, assessed_on, status, exited_on, updated_at in rows:
        end = exit_day(status, exited_on, updated_at)
        if end is not None and assessed_on >= end:
            continue
        key = elderly_level_key(standard, level)
        part = partition_of(code)
        before = current.get(person)
        if before is not None and before[1] == key:
            continue
        if before is not None:
            changes[(part, before[1], _month(assessed_on))] -= 1
        changes[(part, key, _month(assessed_on))] += 1
        current[person] = (part, key, end)
    for part, key, end in current.values():
        if end is not None:
            changes[(part, key, _month(end))] -= 1
    return [
        _row("assessments", "elderly_level", part, key=key, period=month, count=n)
        for (part, key, month), n in changes.items()
        if n
    ]


def _grouped(
    family: str, metric: str, rows: Any, *, key: str = "", count: str = "n", total: str = ""
) -> list[Tally]:
    return [
        _row(
            family,
            metric,
            r["part"],
            key=r[key] if key else "",
            period=r["month"],
            count=r[count],
            total=r[total] if total else None,
        )
        for r in rows
    ]


def linkage(prefix: str) -> list[Tally]:
    """The 五社联动 figures of issue 13 (see the module's docstring): a dozen grouped queries."""
    rows: list[Tally] = []
    station = "volunteer__station__region__code"
    month_of = {
        "services": "record__served_on",
        "activities": "activity__held_on",
        "sessions": "session__held_on",
    }
    for source, held in month_of.items():
        model: Any = ServiceVolunteer if source == "services" else ActivityVolunteer
        given = _scoped(model.objects.filter(volunteer__station__isnull=False), station, prefix)
        if source != "services":
            given = given.filter(**{f"{held}__isnull": False})
        found = given.values(
            part=Substr(station, 1, PARTITION_DIGITS),
            month=TruncMonth(held, output_field=DateField()),
        ).annotate(n=Count("pk"), hours=Sum("hours"))
        rows += [
            _row(
                "linkage",
                "volunteer_hours",
                r["part"],
                key=source,
                period=r["month"],
                count=r["n"],
                total=r["hours"],
            )
            for r in found
        ]
    rows += _activity_rows(prefix) + _session_rows(prefix) + _referral_rows(prefix)
    return rows


def _activity_rows(prefix: str) -> list[Tally]:
    path = "region__code"
    activities = _scoped(CommunityActivity.objects.all(), path, prefix)
    part = Substr(path, 1, PARTITION_DIGITS)
    month = TruncMonth("held_on", output_field=DateField())
    rows: list[Tally] = []
    counted = activities.values(part=part, month=month).annotate(
        n=Count("pk"),
        elder=Sum("elders_count"),
        child=Sum("children_count"),
        other=Sum("others_count"),
    )
    for r in counted:
        rows.append(
            _row(
                "linkage",
                "activities",
                r["part"],
                period=r["month"],
                count=r["n"],
                total=(r["elder"] or 0) + (r["child"] or 0) + (r["other"] or 0),
            )
        )
        rows += [
            _row("linkage", "participants", r["part"], key=group, period=r["month"], count=r[group])
            for group in ("elder", "child", "other")
            if r[group]
        ]
    by_kind = activities.values("partners__kind", part=part, month=month).annotate(
        n=Count("pk", distinct=True)
    )
    rows += _grouped(
        "linkage",
        "activity_partners",
        [r for r in by_kind if r["partners__kind"]],
        key="partners__kind",
    )
    return rows


def _session_rows(prefix: str) -> list[Tally]:
    path = "group__station__region__code"
    sessions = _scoped(GroupSession.objects.all(), path, prefix)
    cells: dict[tuple[str, date], list[int]] = defaultdict(lambda: [0, 0])
    for r in sessions.values(
        part=Substr(path, 1, PARTITION_DIGITS),
        month=TruncMonth("held_on", output_field=DateField()),
    ).annotate(n=Count("pk"), walk_ins=Sum("walk_in_count")):
        cell = cells[(r["part"], r["month"])]
        cell[0] += r["n"]
        cell[1] += r["walk_ins"] or 0
    present = _scoped(SessionAttendance.objects.all(), f"session__{path}", prefix)
    for r in present.values(
        part=Substr(f"session__{path}", 1, PARTITION_DIGITS),
        month=TruncMonth("session__held_on", output_field=DateField()),
    ).annotate(n=Count("pk")):
        cells[(r["part"], r["month"])][1] += r["n"]
    return [
        _row("linkage", "sessions", part, period=month, count=n, total=attended)
        for (part, month), (n, attended) in cells.items()
        if n or attended
    ]


def _referral_rows(prefix: str) -> list[Tally]:
    path = "station__region__code"
    referrals = _scoped(Referral.objects.all(), path, prefix)
    part = Substr(path, 1, PARTITION_DIGITS)
    month = TruncMonth("sent_on", output_field=DateField())
    rows = _grouped(
        "linkage",
        "referrals",
        referrals.values("status", part=part, month=month).annotate(n=Count("pk")),
        key="status",
    )
    answered = referrals.filter(status__in=ANSWERED_STATUSES, answered_on__isnull=False)
    rows += _grouped(
        "linkage",
        "referral_outcomes",
        answered.filter(status=ReferralStatus.COMPLETED)
        .values("outcome", part=part, month=month)
        .annotate(n=Count("pk")),
        key="outcome",
    )
    rows += _grouped(
        "linkage",
        "referral_partners",
        referrals.values("partner__kind", part=part, month=month).annotate(n=Count("pk")),
        key="partner__kind",
    )
    days: Counter[tuple[str, date, int]] = Counter()
    for code, sent_on, answered_on in answered.values_list(path, "sent_on", "answered_on"):
        days[(partition_of(code), _month(sent_on), (answered_on - sent_on).days)] += 1
    rows += [
        _row("linkage", "answer_days", p, key=str(n_days), period=when, count=n)
        for (p, when, n_days), n in days.items()
    ]
    return rows


FAMILIES: dict[str, Callable[[str], list[Tally]]] = {
    "services": services,
    "recipients": recipients,
    "cases": cases,
    "visits": visits,
    "workforce": workforce,
    "funds": funds,
    "assessments": assessments,
    "linkage": linkage,
}
