"""The measured values of the automatic indicators (spec/station-evaluation.md §2.3), computed
from the records the platform holds, for many stations at once, as of a round's snapshot.

Each function of :data:`MEASURES` takes all the stations of a round and a
:class:`MeasurePeriod` and answers ``{station pk: Measure}``, with a fixed number of grouped
queries whatever the number of stations (never a query per station): a round of the city's
156 stations is computed in seconds. :func:`measure_stations` runs them all (or some).

The period and the snapshot (spec §2.1, "Period and snapshot"):

- **counts** use records dated in ``[period.start, period.snapshot]`` by their own date
  (``served_on``, ``opened_on``, ``held_on``…) **and created on or before**
  ``period.entered_by`` (``snapshot_date + entry_grace_days``): back-filling after the
  cut-off does not count;
- **states** (staff and their certificates, rooms, the sign, recipients in service, visit
  plans, projects, volunteers) are read as of the snapshot from their validity dates, with no
  entry cut-off (spec §2.1: "states … are read as of snapshot_date from validity dates and
  history"): a city that starts using the platform after a period still evaluates it from the
  staff, rooms and people it registered with their dates.

Values are in the indicator's unit: a share is a percent 0–100 (``Decimal``, two places,
half up), a count a whole number, hours and yuan with two places. A share whose denominator is
0 has the value ``None``: the indicator's ``on_empty`` decides (spec §2.1). ``detail`` says in
a few words what the value was computed from, for the evaluator.

Where a definition is a judgment call (the spec leaves it open, or the records do not hold
exactly what it names), the function's docstring says so. Two sources cannot honour the
``entered_by`` cut-off because they are read through another app's selector, as the
architecture asks: volunteer hours (the volunteers app's hours port) and the actuals of
project indicators (``projects.selectors.projects_progress``); their docstrings say so.

B5 (talent platform sessions) has no measure: training classes and courses have no link to a
station (``TrainingClass.organiser`` is free text), so it stays ``manual`` (spec §2.3).
"""

import calendar
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Cast, Coalesce, Left, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from swstation.cases.models import (
    Case,
    CaseGoal,
    CaseStage,
    ServiceRecord,
    ServiceType,
    VisitSchedule,
)
from swstation.community.models import (
    ActivityKind,
    CommunityActivity,
    Group,
    GroupSession,
    GroupStage,
    Proposal,
    SessionAttendance,
)
from swstation.core.numbers import format_money, format_number
from swstation.funds.models import ContractInstalment, Expense, Grant, PurchaseContract, Tier
from swstation.linkage.models import PartnerKind, Referral, ReferralStatus
from swstation.projects.models import (
    RATE_MEASURES,
    Project,
    ProjectCategory,
    ProjectIndicator,
    ProjectStatus,
)
from swstation.projects.selectors import projects_progress
from swstation.recipients.models import CategoryPeriod, Recipient, RecipientStatus
from swstation.recipients.selectors import in_service_q, years_ago
from swstation.regions.codes import significant_prefix
from swstation.regions.models import Region, RegionLevel
from swstation.stations.models import ConstructionStandard, Room, RoomKind, Station
from swstation.stations.selectors import (
    construction_standards_in_force,
    room_in_use_q,
    sign_up_q,
)
from swstation.volunteers.hours import total_hours
from swstation.volunteers.models import Volunteer
from swstation.workforce.models import Attendance, Certificate, SocialWorker, SupervisionSession
from swstation.workforce.selectors.staffing import working_on_q

__all__ = ["MEASURES", "Measure", "MeasurePeriod", "measure_stations"]

ZERO = Decimal(0)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")

# C4: a service record is entered on time within this many days of the service (spec §2.3).
ENTRY_DAYS = 7
# D2: a group counts once it has held this many sessions with someone present (spec §2.3).
GROUP_MIN_SESSIONS = 4
# B6: the longest run of days below the minimum staff that is still kept (spec §2.3).
STAFF_GAP_DAYS = 30
# D7: the services given away from the station (spec §2.3; "place" is free text, not coded).
OUT_SERVICE_TYPES = (ServiceType.HOME_VISIT, ServiceType.HEALTH_VISIT)
# F1: the kinds of partner that stand for social organisations and for charitable resources,
# as the cockpit's 五社联动 index reads them (dashboard/linkage_figures.py, above this app).
SOCIAL_ORG_KINDS = (PartnerKind.SOCIAL_ORG,)
CHARITY_KINDS = (PartnerKind.CHARITY, PartnerKind.ENTERPRISE)


@dataclass(frozen=True)
class MeasurePeriod:
    """The period of a round (spec §2.1): records dated from ``start`` to ``snapshot``
    (both included) and created by ``entered_by`` (an aware datetime: the end of
    ``snapshot_date + entry_grace_days``) count; states are read on ``snapshot``."""

    start: date
    snapshot: date
    entered_by: datetime

    @property
    def days(self) -> int:
        """The days of the period, both ends included."""
        return (self.snapshot - self.start).days + 1


@dataclass(frozen=True)
class Measure:
    """A measured value in the indicator's unit (percent 0–100 for shares, counts, hours,
    yuan); ``None`` when the denominator is 0 (the rule's ``on_empty`` decides). The
    numerator and denominator of a share, and a short explanation for the evaluator."""

    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    detail: str = ""


Measures = dict[int, Measure]
MeasureFunction = Callable[[Sequence[Station], MeasurePeriod], Measures]


# --- helpers -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Station:
    pk: int
    kind: str
    prefix: str  # the station's region's significant prefix: its area (a township's 9 digits)
    opened_on: date | None


def _stations(stations: Sequence[Station]) -> dict[int, _Station]:
    """The stations' kind, area and opening, in one query (the instances passed may not have
    their region loaded: reading it would be a query per station)."""
    pks = [station.pk for station in stations]
    rows = Station.objects.filter(pk__in=pks).values_list(
        "pk", "kind", "region__code", "region__level", "opened_on"
    )
    found = {
        pk: _Station(pk, kind, significant_prefix(code, level), opened_on)
        for pk, kind, code, level, opened_on in rows
    }
    return {pk: found[pk] for pk in pks if pk in found}


def _pks(stations: Sequence[Station]) -> list[int]:
    return [station.pk for station in stations]


def _entered(period: MeasurePeriod) -> Q:
    """Records created by the cut-off (spec §2.1)."""
    return Q(created_at__lte=period.entered_by)


def _dated(field_name: str, period: MeasurePeriod) -> Q:
    """Records whose own date falls in the period."""
    return Q(**{f"{field_name}__gte": period.start, f"{field_name}__lte": period.snapshot})


def _percent(numerator: int | Decimal, denominator: int | Decimal) -> Decimal | None:
    if not denominator:
        return None
    share = Decimal(numerator) * HUNDRED / Decimal(denominator)
    return share.quantize(CENT, rounding=ROUND_HALF_UP)


def _share(numerator: int | Decimal, denominator: int | Decimal, detail: str) -> Measure:
    return Measure(
        _percent(numerator, denominator), Decimal(numerator), Decimal(denominator), detail
    )


def _count(n: int, detail: str) -> Measure:
    return Measure(Decimal(n), detail=detail)


def _money(value: Any) -> Decimal:
    return Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)


def _by_station(
    queryset: QuerySet[Any], station_path: str, pks: list[int], **aggregates: Any
) -> dict[int, dict[str, Any]]:
    """``aggregates`` of ``queryset`` per station (``station_path`` names its station), one
    query; stations without a row get nothing."""
    rows = (
        queryset.filter(**{f"{station_path}__in": pks})
        .order_by()
        .values(station_path)
        .annotate(**aggregates)
    )
    return {row[station_path]: row for row in rows}


def _by_length(infos: dict[int, _Station]) -> dict[int, dict[str, list[int]]]:
    """The stations' areas by the length of their prefix (a township's 9 digits, a district
    hub's 6): each length is one grouped query, so their number never grows with stations."""
    found: dict[int, dict[str, list[int]]] = {}
    for info in infos.values():
        found.setdefault(len(info.prefix), {}).setdefault(info.prefix, []).append(info.pk)
    return found


def _by_area(
    queryset: QuerySet[Any], code_path: str, infos: dict[int, _Station], **aggregates: Any
) -> dict[int, dict[str, Any]]:
    """``aggregates`` of ``queryset`` per station, the records being those whose division code
    (``code_path``) lies in the station's area."""
    found: dict[int, dict[str, Any]] = {}
    for length, prefixes in _by_length(infos).items():
        rows = (
            queryset.annotate(area_prefix=Left(code_path, length))
            .filter(area_prefix__in=list(prefixes))
            .order_by()
            .values("area_prefix")
            .annotate(**aggregates)
        )
        for row in rows:
            for pk in prefixes[row["area_prefix"]]:
                found[pk] = row
    return found


def _codes_by_area(
    queryset: QuerySet[Any], code_path: str, infos: dict[int, _Station]
) -> dict[int, set[str]]:
    """The distinct division codes (``code_path``) of ``queryset`` in each station's area."""
    found: dict[int, set[str]] = {pk: set() for pk in infos}
    for length, prefixes in _by_length(infos).items():
        rows = (
            queryset.annotate(area_prefix=Left(code_path, length))
            .filter(area_prefix__in=list(prefixes))
            .order_by()
            .values_list("area_prefix", code_path)
            .distinct()
        )
        for prefix, code in rows:
            for pk in prefixes[prefix]:
                found[pk].add(code)
    return found


def _standards(infos: dict[int, _Station], day: date) -> dict[int, ConstructionStandard]:
    """The construction standard in force on ``day`` for each station's kind (one query)."""
    in_force = construction_standards_in_force(day=day)
    return {pk: in_force[info.kind] for pk, info in infos.items() if info.kind in in_force}


def _no_standard() -> str:
    return _("No construction standard in force for this kind of station on the snapshot date.")


# --- A 阵地建设 ----------------------------------------------------------------------------------


def measure_rooms_present(stations: Sequence[Station], period: MeasurePeriod) -> Measures:
    """A1 (spec §2.3): the rooms the construction standard in force on the snapshot requires
    that the station has, its own or shared (``shared_with``), in use on the snapshot
    (``in_use_from``/``in_use_to``, as ``stations.selectors`` reads them). The value is the
    number of required rooms present; the denominator the number required. No standard in
    force for the station's kind: ``None``."""
    infos = _stations(stations)
    standards = _standards(infos, period.snapshot)
    present: dict[int, set[str]] = defaultdict(set)
    for station_pk, kind in (
        Room.objects.filter(room_in_use_q(day=period.snapshot))
        .filter(station_id__in=list(infos))
        .values_list("station_id", "kind")
        .distinct()
    ):
        present[station_pk].add(kind)
    result: Measures = {}
    for pk in infos:
        standard = standards.get(pk)
        if standard is None:
            result[pk] = Measure(None, detail=_no_standard())
            continue
        required = list(dict.fromkeys(standard.required_rooms or []))
        have = [kind for kind in required if kind in present[pk]]
        missing = [str(RoomKind(kind).label) for kind in required if kind not in present[pk]]
        values = {"present": len(have), "required": len(required)}
        if missing:
            detail = _("%(present)s of %(required)s required rooms; missing: %(missing)s") % {
                **values,
                "missing": "、".join(missing),
            }
        else:
            detail = _("%(present)s of %(required)s required rooms") % values
        result[pk] = Measure(Decimal(len(have)), Decimal(len(have)), Decimal(len(required)), detail)
    return result


def measure_name_sign(stations: Sequence[Station], period: MeasurePeriod) -> Measures:
    """A2 (spec §2.3): 1 if the station's name sign was up on the snapshot (``sign_installed_on``
    / ``sign_removed_on``, the rule of ``stations.selectors.sign_up_q``), else 0."""
    pks = _pks(stations)
    up = set(
        Station.objects.filter(sign_up_q(day=period.snapshot), pk__in=pks).values_list(
            "pk", flat=True
        )
    )
    yes, no = _("Name sign up on the snapshot date"), _("No name sign on the snapshot date")
    return {
        pk: Measure(Decimal(1 if pk in up else 0), detail=yes if pk in up else no) for pk in pks
    }


# --- B 队伍建设 ----------------------------------------------------------------------------------


def _fulltime_staff(pks: list[int], period: MeasurePeriod) -> QuerySet[SocialWorker]:
    """The stations' full-time staff on the snapshot: hired by then and not left
    (``workforce.selectors.staffing.working_on_q``)."""
    return SocialWorker.objects.filter(
        working_on_q(day=period.snapshot),
        is_fulltime=True,
        station_id__in=pks,
    )


def _staff_counts(pks: list[int], period: MeasurePeriod) -> dict[int, int]:
    rows = _by_station(_fulltime_staff(pks, period), "station_id", pks, n=Count("pk"))
    return {pk: rows[pk]["n"] if pk in rows else 0 for pk in pks}


def measure_fulltime_staff(stations: Sequence[Station], period: MeasurePeriod) -> Measures:
    """B1 (spec §2.3): full-time social workers of the station on the snapshot
    (``hired_on`` ≤ snapshot or empty, ``left_on`` empty or after it)."""
    counts = _staff_counts(_pks(stations), period)
    return {
        pk: _count(n, _("%(n)s full-time staff on the snapshot date") % {"n": n})
        for pk, n in counts.items()
    }


def measure_certified_fulltime_staff(
    stations: Sequence[Station], period: MeasurePeriod
) -> Measures:
    """B2 (spec §2.3): of the full-time staff of B1, those holding a social worker certificate
    of any level obtained by the snapshot (certificates do not expire)."""
    pks = _pks(stations)
    certified = Certificate.objects.filter(
        social_worker=OuterRef("pk"), obtained_on__lte=period.snapshot
    )
    rows = _by_station(
        _fulltime_staff(pks, period),
        "station_id",
        pks,
        staff=Count("pk"),
        certified=Count("pk", filter=Q(Exists(certified))),
    )
    result: Measures = {}
    for pk in pks:
        staff, n = (rows[pk]["staff"], rows[pk]["certified"]) if pk in rows else (0, 0)
        detail = _("%(certified)s of %(staff)s full-time staff hold a social worker certificate")
        result[pk] = Measure(
            Decimal(n), Decimal(n), Decimal(staff), detail % {"certified": n, "staff": staff}
        )
    return result


def _hours_per_worker(
    pks: list[int], hours: dict[int, Decimal], period: MeasurePeriod, message: str
) -> Measures:
    staff = _staff_counts(pks, period)
    result: Measures = {}
    for pk in pks:
        total = _money(hours.get(pk))
        value = (total / staff[pk]).quantize(CENT, ROUND_HALF_UP) if staff[pk] else None
        detail = message % {"hours": format_number(total), "staff": staff[pk]}
        result[pk] = Measure(value, total, Decimal(staff[pk]), detail)
    return result


def measure_supervision_hours_per_worker(
    stations: Sequence[Station], period: MeasurePeriod
) -> Measures:
    """B3 (spec §2.3): the supervision hours of the station's full-time staff (those of B1)
    in the period — each session held in the period counts its hours once for every one of
    them among its participants — divided by the full-time staff on the snapshot.

    Judgment call: the staff counted are those in post on the snapshot (the denominator's
    people), wherever the session was held; a worker who left during the period is in
    neither side."""
    pks = _pks(stations)
    through = SupervisionSession.participants.through
    rows = (
        through.objects.filter(
            socialworker_id__in=_fulltime_staff(pks, period).values("pk"),
            supervisionsession__held_on__gte=period.start,
            supervisionsession__held_on__lte=period.snapshot,
            supervisionsession__created_at__lte=period.entered_by,
        )
        .order_by()
        .values("socialworker__station_id")
        .annotate(hours=Sum("supervisionsession__hours"))
    )
    hours = {row["socialworker__station_id"]: row["hours"] for row in rows}
    message = _("%(hours)s supervision hours of %(staff)s full-time staff")
    return _hours_per_worker(pks, hours, period, message)


def measure_training_hours_per_worker(
    stations: Sequence[Station], period: MeasurePeriod
) -> Measures:
    """B4 (spec §2.3): the training hours credited (``workforce.Attendance.hours``) to the
    station's full-time staff (those of B1) for courses held in the period, divided by the
    full-time staff on the snapshot. Judgment call: as B3, the staff on the snapshot."""
    pks = _pks(stations)
    rows = (
        Attendance.objects.filter(
            _entered(period),
            social_worker_id__in=_fulltime_staff(pks, period).values("pk"),
            course__held_on__gte=period.start,
            course__held_on__lte=period.snapshot,
        )
        .order_by()
        .values("social_worker__station_id")
        .annotate(hours=Sum("hours"))
    )
    hours = {row["social_worker__station_id"]: row["hours"] for row in rows}
    message = _("%(hours)s training hours of %(staff)s full-time staff")
    return _hours_per_worker(pks, hours, period, message)


def _longest_gap(
    spans: list[tuple[date | None, date | None]], first: date, last: date, minimum: int
) -> int:
    """The longest run of consecutive days in ``[first, last]`` on which fewer than
    ``minimum`` of the ``spans`` (hired on, left on: working from the one, not on the other
    and after; empty: since ever, still) were working."""
    if first > last:
        return 0
    changes: dict[date, int] = defaultdict(int)
    working = 0
    for hired_on, left_on in spans:
        start = hired_on if hired_on is not None and hired_on > first else first
        end = left_on  # the first day no longer working
        if end is not None and end <= start:
            continue
        if start > last:
            continue
        if start <= first:
            working += 1
        else:
            changes[start] += 1
        if end is not None and end <= last:
            changes[end] -= 1
    longest = run = 0
    day = first
    for change_day in [*sorted(changes), last + timedelta(days=1)]:
        # ``working`` holds from ``day`` to the day before ``change_day``.
        days = (change_day - day).days
        if days > 0:
            if working < minimum:
                run += days
                longest = max(longest, run)
            else:
                run = 0
        if change_day <= last:
            working += changes[change_day]
        day = change_day
    return longest


def measure_staff_minimum_kept(stations: Sequence[Station], period: MeasurePeriod) -> Measures:
    """B6 (spec §2.3): 1 if the full-time staff of the station were never fewer than the
    minimum of the construction standard in force on the snapshot for more than 30
    consecutive days within the period, else 0; computed from the hiring and leaving dates of
    every full-time worker of the station (one query). No standard in force: ``None``.

    Judgment calls: the days counted start at the station's opening when it opened during
    the period (a station not yet open had no staff to keep); a worker is counted at the
    station their record names (a transfer between stations is not dated on the platform)."""
    infos = _stations(stations)
    standards = _standards(infos, period.snapshot)
    spans: dict[int, list[tuple[date | None, date | None]]] = defaultdict(list)
    for station_pk, hired_on, left_on in SocialWorker.objects.filter(
        is_fulltime=True, station_id__in=list(infos)
    ).values_list("station_id", "hired_on", "left_on"):
        spans[station_pk].append((hired_on, left_on))
    result: Measures = {}
    for pk, info in infos.items():
        standard = standards.get(pk)
        if standard is None:
            result[pk] = Measure(None, detail=_no_standard())
            continue
        first = period.start
        if info.opened_on is not None and info.opened_on > first:
            first = info.opened_on
        gap = _longest_gap(spans[pk], first, period.snapshot, standard.min_fulltime_staff)
        detail = _("Longest run below the minimum of %(minimum)s full-time staff: %(days)s days")
        result[pk] = Measure(
            Decimal(0 if gap > STAFF_GAP_DAYS else 1),
            detail=detail % {"minimum": standard.min_fulltime_staff, "days": gap},
        )
    return result


# --- C 制度管理 ----------------------------------------------------------------------------------


def _closed_cases(pks: list[int], period: MeasurePeriod) -> QuerySet[Case]:
    """Cases of the stations closed in the period (closed now, ``closed_on`` in the period),
    recorded by the cut-off. Judgment call: a case reopened since is not closed (its closing
    date is cleared by the reopening); a case is the station's it is at now."""
    return Case.objects.filter(
        _dated("closed_on", period), _entered(period), stage=CaseStage.CLOSED, station_id__in=pks
    )


def measure_case_files_complete(stations: Sequence[Station], period: MeasurePeriod) -> Measures:
    """C2 (spec §2.3; MZ/T 094-2017's stages): of the cases closed in the period, the percent
    whose file is complete: an assessment summary (assessment), at least one goal (plan), at
    least one service record of the case (intervention), an evaluation summary and a closing
    summary (evaluation, closing), and the closure approved by the case's supervisor
    (``closure_approved_by``; a case closed on its person's exit has no approval). Goals and
    services count when recorded by the cut-off. Denominator: cases closed in the period."""
    pks = _pks(stations)
    goals = CaseGoal.objects.filter(_entered(period), case=OuterRef("pk"))
    services = ServiceRecord.objects.filter(
        _entered(period), case=OuterRef("pk"), served_on__lte=period.snapshot
    )
    complete = (
        ~Q(assessment_summary="")
        & ~Q(evaluation_summary="")
        & ~Q(closing_summary="")
        & Q(closure_approved_by__isnull=False)
        & Q(Exists(goals))
        & Q(Exists(services))
    )
    rows = _by_station(
        _closed_cases(pks, period),
        "station_id",
        pks,
        closed=Count("pk"),
        complete=Count("pk", filter=complete),
    )
    result: Measures = {}
    for pk in pks:
        closed, n = (rows[pk]["closed"], rows[pk]["complete"]) if pk in rows else (0, 0)
        detail = _("%(closed)s cases closed, %(complete)s with complete files")
        result[pk] = _share(n, closed, detail % {"closed": closed, "complete": n})
    return result


def measure_records_on_time(stations: Sequence[Station], period: MeasurePeriod) -> Measures:
    """C4 (spec §2.3): of the station's service records of services given in the period (and
    recorded by the cut-off), the percent entered within 7 days of the service: the local day
    of ``created_at`` at most ``served_on`` + 7."""
    pks = _pks(stations)
    deadline = Cast(
        ExpressionWrapper(F("served_on") + timedelta(days=ENTRY_DAYS), output_field=DateField()),
        DateField(),
    )
    rows = _by_station(
        ServiceRecord.objects.filter(_dated("served_on", period), _entered(period)).alias(
            deadline=deadline
        ),
        "station_id",
        pks,
        records=Count("pk"),
        on_time=Count("pk", filter=Q(created_at__date__lte=F("deadline"))),
    )
    result: Measures = {}
    for pk in pks:
        records, n = (rows[pk]["records"], rows[pk]["on_time"]) if pk in rows else (0, 0)
        detail = _("%(records)s service records, %(on_time)s entered within %(days)s days")
        result[pk] = _share(
            n, records, detail % {"records": records, "on_time": n, "days": ENTRY_DAYS}
        )
    return result


# --- D 服务开展 ----------------------------------------------------------------------------------


def measure_cases_opened(stations: Sequence[Station], period: MeasurePeriod) -> Measures:
    """D1 (spec §2.3): cases of the station opened in the period (``opened_on``). Judgment
    call: a transferred case counts at the station it is at now."""
    pks = _pks(stations)
    rows = _by_station(
        Case.objects.filter(_dated("opened_on", period), _entered(period)),
        "station_id",
        pks,
        n=Count("pk"),
    )
    result: Measures = {}
    for pk in pks:
        n = rows[pk]["n"] if pk in rows else 0
        result[pk] = _count(n, _("%(n)s cases opened in the period") % {"n": n})
    return result


def measure_groups_completed(stations: Sequence[Station], period: MeasurePeriod) -> Measures:
    """D2 (spec §2.3): the station's groups that ended in the period (``stage`` ended,
    ``ended_on`` in the period) after at least 4 sessions with attendance — a session with a
    member or a named walk-in present (``SessionAttendance``) or walk-ins counted — held by the
    snapshot. Groups, sessions and attendance count when recorded by the cut-off."""
    pks = _pks(stations)
    present = SessionAttendance.objects.filter(_entered(period), session=OuterRef("pk"))
    attended = (
        GroupSession.objects.filter(
            _entered(period), group=OuterRef("pk"), held_on__lte=period.snapshot
        )
        .filter(Q(walk_in_count__gt=0) | Q(Exists(present)))
        .order_by()
        .values("group")
        .annotate(n=Count("pk"))
        .values("n")
    )
    groups = (
        Group.objects.filter(_dated("ended_on", period), _entered(period), stage=GroupStage.ENDED)
        .alias(attended=Coalesce(Subquery(attended, output_field=IntegerField()), 0))
        .filter(attended__gte=GROUP_MIN_SESSIONS)
    )
    rows = _by_station(groups, "station_id", pks, n=Count("pk"))
    result: Measures = {}
    for pk in pks:
        n = rows[pk]["n"] if pk in rows else 0
        detail = _("%(n)s groups ended in the period with at least %(sessions)s sessions attended")
        result[pk] = _count(n, detail % {"n": n, "sessions": GROUP_MIN_SESSIONS})
    return result


def measure_community_activities(stations: Sequence[Station], period: MeasurePeriod) -> Measures:
    """D3 (spec §2.3): the station's community activities held in the period, skills
    trainings apart (``ActivityKind.TRAINING``: the employment aid's courses for job seekers,
    not 社区活动)."""
    pks = _pks(stations)
    rows = _by_station(
        CommunityActivity.objects.filter(_dated("held_on", period), _entered(period)).exclude(
            kind=ActivityKind.TRAINING
        ),
        "station_id",
        pks,
        n=Count("pk"),
    )
    result: Measures = {}
    for pk in pks:
        n = rows[pk]["n"] if pk in rows else 0
        result[pk] = _count(n, _("%(n)s community activities held in the period") % {"n": n})
    return result


def _served_in_period(period: MeasurePeriod) -> QuerySet[ServiceRecord]:
    return ServiceRecord.objects.filter(
        _dated("served_on", period), _entered(period), recipient=OuterRef("pk")
    )


def measure_vulnerable_served(stations: Sequence[Station], period: MeasurePeriod) -> Measures:
    """D4 (spec §2.3): of the recipients living in the station's area (its township) in
    service on the snapshot (registered by then, not exited, not merged:
    ``recipients.selectors.in_service_q``) and holding a vulnerable-group category on it (a
    ``CategoryPeriod`` covering the snapshot, or a category held with no period recorded),
    the percent with at least one service record in the period.

    Judgment calls: every ``Category`` counts as a vulnerable-group category (the reference
    list holds only those: 困难家庭, 特困, 低保, 独居老人, 困境儿童…; there is no flag); a
    service by any station counts (the person was served)."""
    infos = _stations(stations)
    snapshot = period.snapshot
    periods = CategoryPeriod.objects.filter(
        recipient=OuterRef("pk"), valid_from__lte=snapshot
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=snapshot))
    undated = Recipient.categories.through.objects.filter(recipient_id=OuterRef("pk")).filter(
        ~Exists(
            CategoryPeriod.objects.filter(
                recipient=OuterRef("recipient_id"), category=OuterRef("category_id")
            )
        )
    )
    people = (
        Recipient.objects.filter(in_service_q(day=snapshot))
        .filter(Q(Exists(periods)) | Q(Exists(undated)))
        .alias(served=Exists(_served_in_period(period)))
    )
    rows = _by_area(
        people,
        "region__code",
        infos,
        people=Count("pk"),
        served=Count("pk", filter=Q(served=True)),
    )
    result: Measures = {}
    for pk in infos:
        total, n = (rows[pk]["people"], rows[pk]["served"]) if pk in rows else (0, 0)
        detail = _("%(people)s vulnerable recipients in the area, %(served)s served in the period")
        result[pk] = _share(n, total, detail % {"people": total, "served": n})
    return result


def _months(period: MeasurePeriod) -> list[tuple[date, date]]:
    """The calendar months wholly inside the period, as (first day, last day)."""
    months: list[tuple[date, date]] = []
    first = period.start.replace(day=1)
    if first < period.start:
        first = _next_month(first)
    while True:
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        if last > period.snapshot:
            return months
        months.append((first, last))
        first = _next_month(first)


def _next_month(day: date) -> date:
    return date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)


def _plan_runs(row: dict[str, Any], first: date, last: date) -> bool:
    """A visit plan ran every day of ``[first, last]`` for a person in service all along
    (the rules of ``cases.selectors.dated.schedules_running_on`` and
    ``recipients.selectors.in_service_q``, over a month)."""
    if row["starts_on"] > first or (row["ends_on"] is not None and row["ends_on"] < last):
        return False
    deactivated = row["deactivated_on"]
    if deactivated is not None:
        if deactivated <= last:
            return False
    elif not row["active"]:
        return False
    exited = row["recipient__exited_on"]
    if row["recipient__registered_on"] > first:
        return False
    if exited is not None:
        return bool(exited > last)
    return bool(row["recipient__status"] == RecipientStatus.ACTIVE)


def _in_areas(
    queryset: QuerySet[Any], code_path: str, infos: dict[int, _Station]
) -> tuple[QuerySet[Any], dict[str, dict[str, list[int]]]]:
    """``queryset`` cut to the records whose division code (``code_path``) lies in one of the
    stations' areas, annotated ``area_<n>`` (the code's first n digits) for each length of
    prefix, with ``{annotation: {prefix: [station pks]}}`` to map a row to its stations."""
    areas: dict[str, dict[str, list[int]]] = {}
    condition = Q(pk__in=[])
    for length, prefixes in _by_length(infos).items():
        name = f"area_{length}"
        queryset = queryset.annotate(**{name: Left(code_path, length)})
        condition |= Q(**{f"{name}__in": list(prefixes)})
        areas[name] = prefixes
    return queryset.filter(condition), areas


def measure_visits_kept(stations: Sequence[Station], period: MeasurePeriod) -> Measures:
    """D5 (spec §2.3): of the schedule-months in the period — each visit plan
    (``VisitSchedule``) of a person living in the station's area × each calendar month — the
    percent in which the person received at least ``times_per_month`` services of the plan's
    type (by any station, recorded by the cut-off).

    Judgment calls: a schedule-month counts only for a calendar month wholly inside the period
    in which the plan ran every day (started by its first day, not ended, deactivated or its
    person out of service before its last): a plan started on the 25th is not asked for two
    visits in six days; a plan belongs to the station of its person's area."""
    infos = _stations(stations)
    months = _months(period)
    detail = _("%(months)s schedule-months, %(kept)s with the planned visits")
    if not months or not infos:
        return {pk: _share(0, 0, detail % {"months": 0, "kept": 0}) for pk in infos}
    plans, areas = _in_areas(
        VisitSchedule.objects.filter(starts_on__lte=months[-1][0])
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=months[0][1]))
        .exclude(recipient__status=RecipientStatus.MERGED),
        "recipient__region__code",
        infos,
    )
    fields = (
        "recipient_id",
        "service_type",
        "times_per_month",
        "starts_on",
        "ends_on",
        "active",
        "deactivated_on",
        "recipient__registered_on",
        "recipient__exited_on",
        "recipient__status",
    )
    station_plans: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in plans.order_by().values(*fields, *areas):
        for name, prefixes in areas.items():
            for pk in prefixes.get(row[name], ()):
                station_plans[pk].append(row)
    services, _areas = _in_areas(
        ServiceRecord.objects.filter(
            _entered(period), served_on__gte=months[0][0], served_on__lte=months[-1][1]
        ),
        "region_code",
        infos,
    )
    served: dict[tuple[int, str, date], int] = {}
    for row in (
        services.filter(recipient_id__in=plans.values("recipient_id"))
        .order_by()
        .values("recipient_id", "service_type", month=TruncMonth("served_on", DateField()))
        .annotate(n=Count("pk"))
    ):
        month = row["month"]
        month = month.date() if isinstance(month, datetime) else month
        served[(row["recipient_id"], row["service_type"], month)] = row["n"]
    result: Measures = {}
    for pk in infos:
        total = kept = 0
        for plan in station_plans[pk]:
            for first, last in months:
                if not _plan_runs(plan, first, last):
                    continue
                total += 1
                got = served.get((plan["recipient_id"], plan["service_type"], first), 0)
                kept += got >= plan["times_per_month"]
        result[pk] = _share(kept, total, detail % {"months": total, "kept": kept})
    return result


def measure_village_coverage(stations: Sequence[Station], period: MeasurePeriod) -> Measures:
    """D6 (spec §2.3; domain.md §5 village coverage): of the villages and communities of the
    station's area, the percent reached in the 12 months to the snapshot (the day after the
    same day a year before, to the snapshot) by at least one service record of a person
    living there, a group meeting there (``Group.village``, with a session in the window) or
    a community activity held there; each recorded by the cut-off.

    Judgment calls: the window is this one whatever the round's period (the spec says "the
    12 months to the snapshot date"); a service by any station counts; an activity held at
    the township level reaches no one village."""
    infos = _stations(stations)
    first = years_ago(1, today=period.snapshot) + timedelta(days=1)
    window = MeasurePeriod(first, period.snapshot, period.entered_by)
    villages = _codes_by_area(Region.objects.filter(level=RegionLevel.VILLAGE), "code", infos)
    services = _codes_by_area(
        ServiceRecord.objects.filter(_dated("served_on", window), _entered(period)),
        "region_code",
        infos,
    )
    met = GroupSession.objects.filter(
        _dated("held_on", window), _entered(period), group=OuterRef("pk")
    )
    groups = _codes_by_area(
        Group.objects.filter(village__isnull=False).filter(Exists(met)),
        "village__code",
        infos,
    )
    activities = _codes_by_area(
        CommunityActivity.objects.filter(_dated("held_on", window), _entered(period)),
        "region__code",
        infos,
    )
    result: Measures = {}
    for pk in infos:
        reached = villages[pk] & (services[pk] | groups[pk] | activities[pk])
        total, n = len(villages[pk]), len(reached)
        detail = _(
            "%(villages)s villages and communities, %(covered)s reached in the 12 months to the "
            "snapshot date"
        )
        result[pk] = _share(n, total, detail % {"villages": total, "covered": n})
    return result


def measure_service_out(stations: Sequence[Station], period: MeasurePeriod) -> Measures:
    """D7 (spec §2.3; 广州 ≥ 60 %): of the minutes of the station's services in the period,
    the percent given on home visits and health visits (``ServiceRecord.place`` is free text,
    not yet coded, so it is not read)."""
    pks = _pks(stations)
    rows = _by_station(
        ServiceRecord.objects.filter(_dated("served_on", period), _entered(period)),
        "station_id",
        pks,
        total=Sum("duration_minutes"),
        out=Sum("duration_minutes", filter=Q(service_type__in=OUT_SERVICE_TYPES)),
    )
    result: Measures = {}
    for pk in pks:
        total = (rows[pk]["total"] or 0) if pk in rows else 0
        out = (rows[pk]["out"] or 0) if pk in rows else 0
        detail = _("%(out)s of %(total)s service minutes on home and health visits")
        result[pk] = _share(
            out, total, detail % {"out": format_number(out), "total": format_number(total)}
        )
    return result


# --- E 项目运作 ----------------------------------------------------------------------------------


def _active_projects(pks: list[int], period: MeasurePeriod) -> QuerySet[Project]:
    """The stations' projects active in the period: approved (立项) by the snapshot, their
    dates overlapping the period, not terminated before it starts (the rule of
    ``projects.portfolio.running_on_q`` over a period)."""
    return (
        Project.objects.filter(
            station_id__in=pks,
            approved_on__lte=period.snapshot,
            starts_on__lte=period.snapshot,
            ends_on__gte=period.start,
        )
        .exclude(status=ProjectStatus.PROPOSED)
        .filter(Q(terminated_on__isnull=True) | Q(terminated_on__gt=period.start))
    )


def _project_last_day(project: Any, period: MeasurePeriod) -> date:
    """The last day of the period a project ran: its end, the day before its termination, or
    the snapshot, whichever comes first."""
    last = min(project["ends_on"], period.snapshot)
    if project["terminated_on"] is not None:
        last = min(last, project["terminated_on"] - timedelta(days=1))
    return last


def _most_at_once(spans: list[tuple[date, date]]) -> int:
    """The most of ``spans`` (first, last day) running on one day."""
    events = sorted([(first, 1) for first, _last in spans] + [(last, 2) for _f, last in spans])
    most = running = 0
    for _day, kind in events:
        running += 1 if kind == 1 else -1
        most = max(most, running)
    return most


def measure_portfolio_1x1(stations: Sequence[Station], period: MeasurePeriod) -> Measures:
    """E1 (spec §2.3; domain.md §1 "1+X+1"): the number of the three categories the projects
    active in the period satisfy: exactly one ``vulnerable_groups`` project, at least one
    ``regional_feature``, exactly one ``talent_support``.

    Judgment call: "exactly one" is read as at least one in the period and never two of the
    category running on the same day, so that a yearly project followed by the next year's
    (two in a 12-month period, one after the other) still makes one."""
    pks = _pks(stations)
    spans: dict[int, dict[str, list[tuple[date, date]]]] = defaultdict(lambda: defaultdict(list))
    for project in _active_projects(pks, period).values(
        "station_id", "category", "starts_on", "ends_on", "terminated_on"
    ):
        first = max(project["starts_on"], period.start)
        spans[project["station_id"]][project["category"]].append(
            (first, _project_last_day(project, period))
        )
    result: Measures = {}
    for pk in pks:
        mine = spans[pk]
        vulnerable = mine[ProjectCategory.VULNERABLE_GROUPS]
        regional = mine[ProjectCategory.REGIONAL_FEATURE]
        talent = mine[ProjectCategory.TALENT_SUPPORT]
        satisfied = (
            int(bool(vulnerable) and _most_at_once(vulnerable) == 1)
            + int(bool(regional))
            + int(bool(talent) and _most_at_once(talent) == 1)
        )
        detail = _(
            "Projects active in the period: %(vulnerable)s vulnerable groups, %(regional)s "
            "regional feature, %(talent)s talent support"
        ) % {"vulnerable": len(vulnerable), "regional": len(regional), "talent": len(talent)}
        result[pk] = _count(satisfied, detail)
    return result


def measure_project_design_complete(stations: Sequence[Station], period: MeasurePeriod) -> Measures:
    """E2 (spec §2.3): of the projects active in the period, the percent whose design was
    complete before their start:

    - needs assessment: the project's description is written (the project holds no separate
      needs assessment; its description is where the need is set out);
    - objectives and output targets: at least one ``ProjectIndicator`` (each names its
      objective and its target) recorded on or before the start date;
    - budget: money for the project decided on or before the start date — a grant naming it
      (``funds.Grant.project``, granted by then) or a purchase contract of it (signed by then).

    Judgment call: these three checks map the spec's four items to the records there are;
    the description cannot be dated, so it is read as it is now."""
    pks = _pks(stations)
    indicators = ProjectIndicator.objects.filter(
        _entered(period), project=OuterRef("pk"), created_at__date__lte=OuterRef("starts_on")
    )
    grants = Grant.objects.filter(
        _entered(period), project=OuterRef("pk"), granted_on__lte=OuterRef("starts_on")
    )
    contracts = PurchaseContract.objects.filter(
        _entered(period), project=OuterRef("pk"), signed_on__lte=OuterRef("starts_on")
    )
    complete = (
        ~Q(description="") & Q(Exists(indicators)) & (Q(Exists(grants)) | Q(Exists(contracts)))
    )
    rows = _by_station(
        _active_projects(pks, period),
        "station_id",
        pks,
        projects=Count("pk"),
        complete=Count("pk", filter=complete),
    )
    result: Measures = {}
    for pk in pks:
        total, n = (rows[pk]["projects"], rows[pk]["complete"]) if pk in rows else (0, 0)
        detail = _(
            "%(projects)s projects active in the period, %(complete)s designed completely "
            "before their start"
        )
        result[pk] = _share(n, total, detail % {"projects": total, "complete": n})
    return result


def _elapsed_share(project: Project, period: MeasurePeriod) -> Decimal:
    """The share of the project's own period run by the snapshot (to its termination when it
    was terminated before), 0–1."""
    last = min(project.ends_on, period.snapshot)
    if project.terminated_on is not None:
        last = min(last, project.terminated_on - timedelta(days=1))
    length = (project.ends_on - project.starts_on).days + 1
    gone = (last - project.starts_on).days + 1
    if length <= 0 or gone <= 0:
        return ZERO
    return min(Decimal(1), Decimal(gone) / Decimal(length))


def measure_project_outputs_achieved(
    stations: Sequence[Station], period: MeasurePeriod
) -> Measures:
    """E3 (spec §2.3): the mean over the station's projects active in the period of the mean
    over their output indicators of min(1, actual ÷ prorated target), as a percent.

    The actuals are the projects app's own (``projects.selectors.projects_progress`` as of the
    snapshot: services, people, hours, visits done, enrolments, supervision sessions,
    assessments counted from the records, or the manual actual); they are not cut off at
    ``entered_by`` (that selector does not take it). The prorated target is the target × the
    share of the project's period run by the snapshot; a rate (visits done %) keeps its
    target. An indicator not reported (no actual) achieves 0. Projects without indicators are
    left out (E2 counts them); none left: ``None``."""
    pks = _pks(stations)
    projects = list(_active_projects(pks, period).select_related("station__region"))
    progress = projects_progress(projects, on=period.snapshot)
    means: dict[int, list[Decimal]] = defaultdict(list)
    indicator_counts: dict[int, int] = defaultdict(int)
    for project in projects:
        share = _elapsed_share(project, period)
        scores = []
        for row in progress[project.pk].indicators:
            target = row.indicator.target
            expected = target if row.indicator.measure in RATE_MEASURES else target * share
            if expected <= 0:
                continue
            actual = row.actual if row.actual is not None else ZERO
            scores.append(min(Decimal(1), actual / expected))
        if scores:
            means[project.station_id].append(sum(scores, ZERO) / len(scores))
            indicator_counts[project.station_id] += len(scores)
    result: Measures = {}
    for pk in pks:
        mine = means[pk]
        value = (
            (sum(mine, ZERO) / len(mine) * HUNDRED).quantize(CENT, ROUND_HALF_UP) if mine else None
        )
        detail = _("%(projects)s projects with %(indicators)s output indicators") % {
            "projects": len(mine),
            "indicators": indicator_counts[pk],
        }
        result[pk] = Measure(value, detail=detail)
    return result


# --- F 资源联动 ----------------------------------------------------------------------------------


def _volunteer_hours(
    pks: list[int], period: MeasurePeriod
) -> tuple[dict[int, Decimal], dict[int, int]]:
    """Hours by station and volunteers with hours by station, through the volunteers app's
    hours port (``volunteers.hours.total_hours``: service records, activities and group
    sessions, every registered source)."""
    volunteers = dict(Volunteer.objects.filter(station_id__in=pks).values_list("pk", "station_id"))
    totals = total_hours(list(volunteers), (period.start, period.snapshot))
    hours: dict[int, Decimal] = defaultdict(lambda: ZERO)
    people: dict[int, int] = defaultdict(int)
    for volunteer_pk, given in totals.items():
        station_pk = volunteers[volunteer_pk]
        hours[station_pk] += given
        people[station_pk] += 1 if given > 0 else 0
    return hours, people


def measure_volunteer_hours(stations: Sequence[Station], period: MeasurePeriod) -> Measures:
    """F2 (spec §2.3): the hours the station's volunteers (attached to it, recorded by the
    cut-off) gave in the period, summed over every source of the volunteers app's hours port
    (a volunteer's hours count where their station is, as ``volunteers.selectors.hours_by_area``
    counts them).

    Not cut off at ``entered_by``: the port answers by the date the hours were given and
    takes no creation date; an hours record back-filled after the cut-off still counts."""
    pks = _pks(stations)
    hours, people = _volunteer_hours(pks, period)
    result: Measures = {}
    for pk in pks:
        total = _money(hours.get(pk))
        detail = _(
            "%(hours)s volunteer hours (the station's volunteers who gave hours: %(volunteers)s)"
        ) % {
            "hours": format_number(total),
            "volunteers": people.get(pk, 0),
        }
        result[pk] = Measure(total, detail=detail)
    return result


FIVE_KINDS = ("community", "social_org", "social_workers", "volunteers", "charity")


def _five_kind_labels() -> dict[str, str]:
    return {
        "community": pgettext("five kinds", "Community"),
        "social_org": pgettext("five kinds", "Social organisations"),
        "social_workers": pgettext("five kinds", "Social workers"),
        "volunteers": pgettext("five kinds", "Community volunteers"),
        "charity": pgettext("five kinds", "Charitable resources"),
    }


def measure_partner_kinds(stations: Sequence[Station], period: MeasurePeriod) -> Measures:
    """F1 (spec §2.3): how many of the five kinds of 五社联动 took part in the station's work in
    the period, by the rule of the cockpit's 五社联动 index (``dashboard.linkage_figures
    .five_kinds``, which sits above this app and is restated here per station):

    - 社区 community: a community activity or a group session held by the station, or a
      residents' proposal of the station under way (raised by the snapshot, not closed before
      the period);
    - 社会组织 social organisations: a partner of kind ``social_org`` (the service agencies
      among them) in an activity of the station, or referred to by the station;
    - 社会工作者 social workers: a service recorded, a case opened or a group session held;
    - 社区志愿者 volunteers: hours given by the station's volunteers (F2);
    - 社会慈善资源 charitable resources: a charity, foundation or enterprise in an activity or
      referred to, or a grant of the social tier to the station.

    Every record dated in the period and recorded by the cut-off. Judgment call: the spec's
    five kinds (村/居委会, 社会组织, 社工, 志愿者队伍, 慈善) are read as the platform's index
    reads them; ``linkage.PartnerKind`` has no kind for each of the five."""
    pks = _pks(stations)
    kinds: dict[int, set[str]] = defaultdict(set)
    activities = CommunityActivity.objects.filter(_dated("held_on", period), _entered(period))
    sessions = GroupSession.objects.filter(_dated("held_on", period), _entered(period))
    for pk in activities.filter(station_id__in=pks).values_list("station_id", flat=True).distinct():
        kinds[pk].add("community")
    for pk in (
        sessions.filter(group__station_id__in=pks)
        .values_list("group__station_id", flat=True)
        .distinct()
    ):
        kinds[pk] |= {"community", "social_workers"}
    for pk in (
        Proposal.objects.filter(
            _entered(period), station_id__in=pks, raised_on__lte=period.snapshot
        )
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=period.start))
        .values_list("station_id", flat=True)
        .distinct()
    ):
        kinds[pk].add("community")
    partner_kinds: list[tuple[int, str]] = list(
        CommunityActivity.partners.through.objects.filter(
            communityactivity__in=activities.filter(station_id__in=pks)
        )
        .values_list("communityactivity__station_id", "partner__kind")
        .distinct()
    )
    partner_kinds += list(
        Referral.objects.filter(_dated("sent_on", period), _entered(period), station_id__in=pks)
        .values_list("station_id", "partner__kind")
        .distinct()
    )
    for pk, kind in partner_kinds:
        if kind in SOCIAL_ORG_KINDS:
            kinds[pk].add("social_org")
        if kind in CHARITY_KINDS:
            kinds[pk].add("charity")
    for pk in (
        Grant.objects.filter(
            _dated("granted_on", period), _entered(period), tier=Tier.SOCIAL, station_id__in=pks
        )
        .values_list("station_id", flat=True)
        .distinct()
    ):
        kinds[pk].add("charity")
    for model, field_name in ((ServiceRecord, "served_on"), (Case, "opened_on")):
        # One EXISTS per station (an index probe that stops at the first record) rather than
        # a DISTINCT over every record of the period: 3 million service records at scale 10.
        records = model.objects.filter(
            _dated(field_name, period), _entered(period), station_id=OuterRef("pk")
        )
        for pk in (
            Station.objects.filter(pk__in=pks)
            .filter(Exists(records))
            .order_by()
            .values_list("pk", flat=True)
        ):
            kinds[pk].add("social_workers")
    hours, _people = _volunteer_hours(pks, period)
    for pk, given in hours.items():
        if given > 0:
            kinds[pk].add("volunteers")
    labels = _five_kind_labels()
    result: Measures = {}
    for pk in pks:
        present = [labels[kind] for kind in FIVE_KINDS if kind in kinds[pk]]
        detail = _("Kinds taking part: %(kinds)s") % {
            "kinds": "、".join(present) if present else _("none")
        }
        result[pk] = _count(len(present), detail)
    return result


def _kept_amounts(
    grants: QuerySet[Grant], pks: list[int], period: MeasurePeriod
) -> dict[int, Decimal]:
    """What the ``grants`` keep for each station: their amounts less the shares split from
    them (a programme's donation counted once, its shares where they went; the funds app's
    rule, ``funds.selectors.funds_figures``). Two queries."""
    kept: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for row in _by_station(grants, "station_id", pks, total=Sum("amount")).values():
        kept[row["station_id"]] += _money(row["total"])
    for share in (
        Grant.objects.filter(_entered(period), parent__in=grants.values("pk"))
        .order_by()
        .values("parent__station_id")
        .annotate(total=Sum("amount"))
    ):
        kept[share["parent__station_id"]] -= _money(share["total"])
    return kept


def measure_social_money(stations: Sequence[Station], period: MeasurePeriod) -> Measures:
    """F3 (spec §2.3: 社会资源链接一点): the yuan of the social tier granted to the station in
    the period (``funds.Grant`` of a funder of tier ``social``, ``granted_on`` in the period,
    recorded by the cut-off), less the shares split from them to other stations.

    Judgment call: goods and services offered through ``linkage.Resource`` have no value in
    yuan and the money pledged to residents' proposals is not the station's; neither is
    counted."""
    pks = _pks(stations)
    grants = Grant.objects.filter(
        _dated("granted_on", period), _entered(period), tier=Tier.SOCIAL, station_id__in=pks
    )
    counts = _by_station(grants, "station_id", pks, n=Count("pk"))
    kept = _kept_amounts(grants, pks, period)
    result: Measures = {}
    for pk in pks:
        amount = _money(kept.get(pk))
        detail = _("Social money granted in the period: %(amount)s (grants: %(grants)s)") % {
            "grants": counts[pk]["n"] if pk in counts else 0,
            "amount": format_money(amount),
        }
        result[pk] = Measure(amount, detail=detail)
    return result


def measure_referral_outcomes(stations: Sequence[Station], period: MeasurePeriod) -> Measures:
    """F4 (spec §2.3): of the referrals the station sent in the period (recorded by the
    cut-off), the percent whose result was recorded by the cut-off: completed with an
    outcome (need met, partly, not met), or declined by the partner (the answer and its reason
    are the result).

    Judgment call: a referral the station withdrew has no result to record and is left out of
    both sides."""
    pks = _pks(stations)
    by = timezone.localdate(period.entered_by)
    recorded = Q(status=ReferralStatus.COMPLETED, completed_on__lte=by) & ~Q(outcome="")
    recorded |= Q(status=ReferralStatus.DECLINED, answered_on__lte=by)
    rows = _by_station(
        Referral.objects.filter(_dated("sent_on", period), _entered(period)).exclude(
            status=ReferralStatus.WITHDRAWN
        ),
        "station_id",
        pks,
        referrals=Count("pk"),
        recorded=Count("pk", filter=recorded),
    )
    result: Measures = {}
    for pk in pks:
        total, n = (rows[pk]["referrals"], rows[pk]["recorded"]) if pk in rows else (0, 0)
        detail = _(
            "%(referrals)s referrals made in the period, %(closed)s with an outcome recorded"
        )
        result[pk] = _share(n, total, detail % {"referrals": total, "closed": n})
    return result


# --- G 资金管理 ----------------------------------------------------------------------------------


def _year_fraction(year: int, period: MeasurePeriod) -> Decimal:
    """The share of ``year`` inside the period (a budget year's money prorated to it)."""
    first = max(period.start, date(year, 1, 1))
    last = min(period.snapshot, date(year, 12, 31))
    if last < first:
        return ZERO
    days_in_year = 366 if calendar.isleap(year) else 365
    return Decimal((last - first).days + 1) / Decimal(days_in_year)


def measure_budget_execution(stations: Sequence[Station], period: MeasurePeriod) -> Measures:
    """G1 (spec §2.3): the money spent in the period ÷ the station's budget of the period, as
    a percent.

    - budget: the grants to the station (every tier, ``funds.Grant.station``) of each budget
      year, less the shares split from them, prorated to the days of that year inside the
      period (a 12-month period from July takes half of each year's money), plus the
      instalments of the station's purchase contracts falling due in the period;
    - spent: the expense lines dated in the period against those grants and contracts.

    Each recorded by the cut-off. No budget: ``None``. Judgment call: the same money as the
    funds app's figures of a year (``funds.selectors.funds_figures``), taken over the round's
    period instead of a calendar year."""
    pks = _pks(stations)
    grants = Grant.objects.filter(
        _entered(period),
        station_id__in=pks,
        year__gte=period.start.year,
        year__lte=period.snapshot.year,
    )
    budget: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for row in grants.order_by().values("station_id", "year").annotate(total=Sum("amount")):
        budget[row["station_id"]] += _money(row["total"]) * _year_fraction(row["year"], period)
    for share in (
        Grant.objects.filter(_entered(period), parent__in=grants.values("pk"))
        .order_by()
        .values("parent__station_id", "parent__year")
        .annotate(total=Sum("amount"))
    ):
        fraction = _year_fraction(share["parent__year"], period)
        budget[share["parent__station_id"]] -= _money(share["total"]) * fraction
    for due in _by_station(
        ContractInstalment.objects.filter(_dated("due_on", period), _entered(period)),
        "contract__station_id",
        pks,
        total=Sum("amount"),
    ).values():
        budget[due["contract__station_id"]] += _money(due["total"])
    spent: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for expense in (
        Expense.objects.filter(_dated("spent_on", period), _entered(period))
        .filter(Q(grant__station_id__in=pks) | Q(contract__station_id__in=pks))
        .order_by()
        .values(station=Coalesce("grant__station_id", "contract__station_id"))
        .annotate(total=Sum("amount"))
    ):
        spent[expense["station"]] += _money(expense["total"])
    result: Measures = {}
    for pk in pks:
        money_in, money_out = _money(budget.get(pk)), _money(spent.get(pk))
        detail = _("Spent %(spent)s of a budget of %(budget)s for the period") % {
            "spent": format_money(money_out),
            "budget": format_money(money_in),
        }
        value = _percent(money_out, money_in) if money_in > 0 else None
        result[pk] = Measure(value, money_out, money_in, detail)
    return result


def measure_funds_tiers(stations: Sequence[Station], period: MeasurePeriod) -> Measures:
    """G2 (spec §2.3, 四个一): the number of tiers of money present —

    - ``city``: a grant of the city's tier to the station (the one-time subsidy per built
      station, ``funds.Grant.policy``, or any other city money) paid on or before the
      snapshot, ever;
    - ``county``, ``township``, ``social``: a grant of that tier to the station granted in the
      period, or (county, township) a purchase contract of that tier buying the station's
      running or one of its projects, signed by the snapshot, its service overlapping the
      period.

    Each recorded by the cut-off."""
    pks = _pks(stations)
    tiers: dict[int, set[str]] = defaultdict(set)
    for pk in (
        Grant.objects.filter(
            _entered(period),
            station_id__in=pks,
            tier=Tier.CITY,
            paid_on__lte=period.snapshot,
        )
        .values_list("station_id", flat=True)
        .distinct()
    ):
        tiers[pk].add(Tier.CITY)
    for pk, tier in (
        Grant.objects.filter(
            _dated("granted_on", period),
            _entered(period),
            station_id__in=pks,
            tier__in=(Tier.COUNTY, Tier.TOWNSHIP, Tier.SOCIAL),
        )
        .values_list("station_id", "tier")
        .distinct()
    ):
        tiers[pk].add(tier)
    for pk, tier in (
        PurchaseContract.objects.filter(
            _entered(period),
            station_id__in=pks,
            tier__in=(Tier.COUNTY, Tier.TOWNSHIP),
            signed_on__lte=period.snapshot,
            starts_on__lte=period.snapshot,
            ends_on__gte=period.start,
        )
        .values_list("station_id", "tier")
        .distinct()
    ):
        tiers[pk].add(tier)
    result: Measures = {}
    for pk in pks:
        present = [str(Tier(tier).label) for tier in Tier.values if tier in tiers[pk]]
        detail = _("Tiers present: %(tiers)s") % {
            "tiers": "、".join(present) if present else _("none")
        }
        result[pk] = _count(len(present), detail)
    return result


# --- H 服务成效 ----------------------------------------------------------------------------------


def measure_case_goals_met(stations: Sequence[Station], period: MeasurePeriod) -> Measures:
    """H4 (spec §2.3): of the goals (recorded by the cut-off) of the station's cases closed in
    the period (those of C2), the percent achieved."""
    pks = _pks(stations)
    rows = _by_station(
        CaseGoal.objects.filter(_entered(period), case__in=_closed_cases(pks, period)),
        "case__station_id",
        pks,
        goals=Count("pk"),
        achieved=Count("pk", filter=Q(achieved=True)),
    )
    result: Measures = {}
    for pk in pks:
        total, n = (rows[pk]["goals"], rows[pk]["achieved"]) if pk in rows else (0, 0)
        detail = _("%(goals)s goals of cases closed in the period, %(achieved)s achieved")
        result[pk] = _share(n, total, detail % {"goals": total, "achieved": n})
    return result


# --- all of them ---------------------------------------------------------------------------------

# The key of each automatic indicator (``Indicator.source``) → its measure. B5 (talent
# platform sessions) has none: training classes are not linked to a station (module docstring).
MEASURES: dict[str, MeasureFunction] = {
    "rooms_present": measure_rooms_present,
    "name_sign": measure_name_sign,
    "fulltime_staff": measure_fulltime_staff,
    "certified_fulltime_staff": measure_certified_fulltime_staff,
    "supervision_hours_per_worker": measure_supervision_hours_per_worker,
    "training_hours_per_worker": measure_training_hours_per_worker,
    "staff_minimum_kept": measure_staff_minimum_kept,
    "case_files_complete": measure_case_files_complete,
    "records_on_time": measure_records_on_time,
    "cases_opened": measure_cases_opened,
    "groups_completed": measure_groups_completed,
    "community_activities": measure_community_activities,
    "vulnerable_served": measure_vulnerable_served,
    "visits_kept": measure_visits_kept,
    "village_coverage": measure_village_coverage,
    "service_out": measure_service_out,
    "portfolio_1x1": measure_portfolio_1x1,
    "project_design_complete": measure_project_design_complete,
    "project_outputs_achieved": measure_project_outputs_achieved,
    "partner_kinds": measure_partner_kinds,
    "volunteer_hours": measure_volunteer_hours,
    "social_money": measure_social_money,
    "referral_outcomes": measure_referral_outcomes,
    "budget_execution": measure_budget_execution,
    "funds_tiers": measure_funds_tiers,
    "case_goals_met": measure_case_goals_met,
}


def measure_stations(
    stations: Sequence[Station], period: MeasurePeriod, keys: Iterable[str] | None = None
) -> dict[int, dict[str, Measure]]:
    """``{station pk: {key: Measure}}`` for every key of :data:`MEASURES` (or only ``keys``),
    each measure computed for all the stations at once (a fixed number of queries whatever
    their number). An unknown key raises ``KeyError``."""
    chosen = list(MEASURES) if keys is None else list(keys)
    functions = {key: MEASURES[key] for key in chosen}
    stations = list(stations)
    result: dict[int, dict[str, Measure]] = {station.pk: {} for station in stations}
    for key, function in functions.items():
        for pk, measure in function(stations, period).items():
            result[pk][key] = measure
    return result


# --- H5, from the evaluation's own records (evaluation/models/surveys.py) -----------------------


def measure_substantiated_complaints(
    stations: Sequence[Station], period: MeasurePeriod
) -> Measures:
    """H5 (spec §2.3): the complaints about the station received in the period (registered by
    the cut-off) and found substantiated by the district or the city. Judgment call: a
    complaint still undecided counts as not substantiated (the detail says how many are
    undecided; the city may recompute once they are)."""
    # Imported here so that this addition stays at the end of the module.
    from swstation.evaluation.models.surveys import Complaint

    pks = _pks(stations)
    rows = _by_station(
        Complaint.objects.filter(_dated("received_on", period), _entered(period)),
        "station_id",
        pks,
        n_received=Count("pk"),
        n_substantiated=Count("pk", filter=Q(substantiated=True)),
        n_undecided=Count("pk", filter=Q(substantiated__isnull=True)),
    )
    result: Measures = {}
    for pk in pks:
        found = rows.get(pk, {})
        row = {key: found.get(f"n_{key}", 0) for key in ("received", "substantiated", "undecided")}
        detail = (
            _(
                "%(received)s complaints received in the period, %(substantiated)s substantiated, "
                "%(undecided)s undecided"
            )
            % row
        )
        result[pk] = _count(row["substantiated"], detail)
    return result


MEASURES["substantiated_complaints"] = measure_substantiated_complaints
