"""Reads on stations: every function takes the actor and returns only what they may see.

Compliance (domain.md §5 "Station compliance") is computed in SQL from the construction standard
in force, so that the list filter and the API field are always current: a station that drops
below its minimum of full-time staff turns non-compliant at once, with no stored flag to refresh.

The staff of a station live in the ``workforce`` app, above this one; they are counted through
the port in ``stations.staffing``, which that app fills, never by importing ``workforce`` or
naming its relations.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from swstation.core.actors import Actor
from swstation.core.policies import NOTICE_DAYS, Ending, policies_ending
from swstation.regions.models import Region, RegionLevel
from swstation.stations.models import (
    ConstructionStandard,
    Room,
    RoomKind,
    ServiceAgency,
    Station,
    StationKind,
    StationStatus,
    SubsidyPolicy,
)
from swstation.stations.portfolio import active_minimums, portfolio_source
from swstation.stations.staffing import agency_staff_count, station_fulltime_count
from swstation.stations.subsidies import policy_subsidy_count

# A township station counts as built from the year it opened while it operates or is suspended
# (a suspended station was built; it just does not serve at the moment).
BUILT_STATUSES = (StationStatus.OPERATING, StationStatus.SUSPENDED)


def _related_count(model: Any, relation: str, condition: Q | None = None) -> Coalesce:
    """A correlated subquery counting ``relation`` rows of the outer record.

    A subquery rather than an outer ``Count`` keeps the list query free of GROUP BY, so that
    filters and sorting on the count (and on what is derived from it) stay plain WHERE clauses,
    and two counts never multiply each other.
    """
    inner = (
        model._default_manager.filter(pk=OuterRef("pk"))
        .order_by()
        .values("pk")
        .annotate(n=Count(relation, filter=condition, distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(inner, output_field=IntegerField()), 0)


# --- construction standards and compliance ------------------------------------------------------


def construction_standards_in_force(*, day: date | None = None) -> dict[str, ConstructionStandard]:
    """For each station kind, the newest construction standard valid on ``day`` naming it.

    A kind that no standard in force names is not assessed. (Standards are a handful of rows;
    choosing in Python keeps the rule the same on SQLite, whose JSON has no "contains".)
    """
    day = day or timezone.localdate()
    chosen: dict[str, ConstructionStandard] = {}
    for standard in ConstructionStandard.objects.valid_on(day).order_by("-valid_from", "-pk"):
        for kind in standard.station_kinds or []:
            chosen.setdefault(kind, standard)
    return chosen


def sign_up_q(*, day: date, prefix: str = "") -> Q:
    """Stations whose name sign was up on ``day`` (issue 18): put up on or before it (no date
    and a sign up now: since ever) and not taken down by it (no date: while the sign is up)."""
    return (
        Q(**{f"{prefix}sign_installed_on__lte": day})
        | Q(**{f"{prefix}sign_installed_on__isnull": True, f"{prefix}has_sign": True})
    ) & (
        Q(**{f"{prefix}sign_removed_on__gt": day})
        | Q(**{f"{prefix}sign_removed_on__isnull": True, f"{prefix}has_sign": True})
    )


def room_in_use_q(*, day: date) -> Q:
    """Rooms in use on ``day``: from ``in_use_from`` (no date: since the station opened) to
    ``in_use_to`` included (no date: still)."""
    return (Q(in_use_from__isnull=True) | Q(in_use_from__lte=day)) & (
        Q(in_use_to__isnull=True) | Q(in_use_to__gte=day)
    )


def operating_on_q(*, day: date) -> Q:
    """Stations operating on ``day``: opened by then, and operating now or suspended only after
    that day (``suspended_on`` is the first day of a suspension; a suspension without a date
    counts from ever)."""
    return Q(opened_on__lte=day) & (
        Q(status=StationStatus.OPERATING) | Q(status=StationStatus.SUSPENDED, suspended_on__gt=day)
    )


def _standard_met_q(standard: ConstructionStandard, day: date) -> Q:
    condition = Q(fulltime_staff_count__gte=standard.min_fulltime_staff)
    if standard.requires_sign:
        condition &= sign_up_q(day=day)
    rooms = Room.objects.filter(room_in_use_q(day=day), station=OuterRef("pk"))
    for room_kind in standard.required_rooms or []:
        condition &= Q(Exists(rooms.filter(kind=room_kind)))
    source, minimums = portfolio_source(), active_minimums(standard.portfolio_minimums)
    if standard.requires_portfolio and minimums and source is not None:
        condition &= source.complete_q(minimums, day)
    return condition


def annotate_compliance(
    queryset: QuerySet[Station], *, day: date | None = None
) -> QuerySet[Station]:
    """Add ``fulltime_staff_count`` and ``compliant`` (True, False, or None = not assessed), as
    on ``day`` (today by default): the standard in force then, with the staff, rooms and sign
    the station had then."""
    day = day or timezone.localdate()
    standards = construction_standards_in_force(day=day)
    whens: list[When] = []
    for kind, standard in sorted(standards.items()):
        whens.append(When(Q(kind=kind) & _standard_met_q(standard, day), then=Value(True)))
        whens.append(When(kind=kind, then=Value(False)))
    return queryset.annotate(fulltime_staff_count=station_fulltime_count(day=day)).annotate(
        compliant=Case(*whens, default=Value(None), output_field=BooleanField(null=True)),
    )


def station_list(*, actor: Actor) -> QuerySet[Station]:
    """Stations in the actor's jurisdiction, with full-time staff count and compliance."""
    queryset: QuerySet[Station] = Station.objects.visible_to(actor)
    return annotate_compliance(
        queryset.select_related("region", "region__parent", "agency", "parent_station")
    )


MET = "met"
MISSING = "missing"
NOT_ASSESSED = "not_assessed"


@dataclass
class ComplianceCheck:
    """One line of a station's compliance checklist."""

    label: str
    status: str  # MET, MISSING or NOT_ASSESSED
    detail: str


@dataclass
class StationCompliance:
    standard: ConstructionStandard | None
    fulltime_staff_count: int
    checks: list[ComplianceCheck] = field(default_factory=list)

    @property
    def compliant(self) -> bool | None:
        """None when no standard applies; otherwise whether every assessed check is met."""
        if self.standard is None:
            return None
        return all(check.status != MISSING for check in self.checks)

    @property
    def missing(self) -> list[ComplianceCheck]:
        return [check for check in self.checks if check.status == MISSING]


def station_compliance(*, station: Station, day: date | None = None) -> StationCompliance:
    """The checklist of the station page: each requirement of the standard in force for the
    station's kind, met or missing (and what is missing). Same rule as
    :func:`annotate_compliance`, evaluated for one station."""
    return stations_compliance(stations=[station], day=day)[station.pk]


def stations_compliance(
    *, stations: Sequence[Station], day: date | None = None
) -> dict[int, StationCompliance]:
    """:func:`station_compliance` for several stations at once, in three queries (the
    cockpit lists every non-compliant station with what it misses)."""
    day = day or timezone.localdate()
    standards = construction_standards_in_force(day=day)
    pks = [station.pk for station in stations]
    staff_counts: dict[int, int] = dict(
        Station.objects.filter(pk__in=pks)
        .order_by()
        .annotate(n=station_fulltime_count(day=day))
        .values_list("pk", "n")
    )
    room_areas: dict[int, dict[str, Decimal]] = {pk: {} for pk in pks}
    for station_id, kind, area in Room.objects.filter(
        room_in_use_q(day=day), station_id__in=pks
    ).values_list("station_id", "kind", "area_m2"):
        room_areas[station_id][kind] = room_areas[station_id].get(kind, Decimal(0)) + area
    source = portfolio_source()
    portfolios = source.running_counts(pks, day) if source is not None and pks else {}
    return {
        station.pk: _checklist(
            station,
            standards.get(station.kind),
            staff_counts.get(station.pk, 0),
            room_areas[station.pk],
            day,
            portfolios.get(station.pk, {}),
        )
        for station in stations
    }


def _checklist(
    station: Station,
    standard: ConstructionStandard | None,
    staff_count: int,
    room_areas: dict[str, Decimal],
    day: date,
    portfolio: dict[str, int] | None = None,
) -> StationCompliance:
    result = StationCompliance(standard=standard, fulltime_staff_count=staff_count)
    if standard is None:
        return result
    for room_kind in standard.required_rooms or []:
        label = str(RoomKind(room_kind).label) if room_kind in RoomKind.values else room_kind
        if room_kind in room_areas:
            detail = _("Present (%(area)s m²).") % {"area": room_areas[room_kind]}
            result.checks.append(ComplianceCheck(label, MET, detail))
        else:
            detail = _("Missing: the station has no %(room)s.") % {"room": label}
            result.checks.append(ComplianceCheck(label, MISSING, detail))
    if standard.requires_sign:
        label = _("Name sign outside")
        if station.sign_up_on(day):
            result.checks.append(ComplianceCheck(label, MET, _("The sign is up.")))
        else:
            result.checks.append(ComplianceCheck(label, MISSING, _("Missing: no name sign.")))
    label = _("Full-time staff")
    counts = {"count": staff_count, "minimum": standard.min_fulltime_staff}
    if staff_count >= standard.min_fulltime_staff:
        detail = _("%(count)s full-time staff (at least %(minimum)s required).") % counts
        result.checks.append(ComplianceCheck(label, MET, detail))
    else:
        detail = _("Missing: %(count)s full-time staff, at least %(minimum)s required.") % counts
        result.checks.append(ComplianceCheck(label, MISSING, detail))
    if standard.requires_portfolio:
        result.checks.append(_portfolio_check(standard, station, day, portfolio or {}))
    return result


def _portfolio_check(
    standard: ConstructionStandard, station: Station, day: date, running: dict[str, int]
) -> ComplianceCheck:
    """The "1+X+1" rule of the standard's data: the projects of each category the station runs
    on ``day`` against the minimums (stations.portfolio)."""
    label = _("1+X+1 project portfolio")
    source, minimums = portfolio_source(), active_minimums(standard.portfolio_minimums)
    if source is None or not minimums:
        return ComplianceCheck(
            label, NOT_ASSESSED, _("Not checked: the standard sets no minimum by category.")
        )
    names = dict(source.categories())
    counts = "、".join(
        _("%(category)s %(count)s") % {"category": names.get(code, code), "count": n}
        for code, n in sorted(running.items())
        if n
    )
    short = [
        _("%(category)s (%(count)s of at least %(minimum)s)")
        % {"category": names.get(code, code), "count": running.get(code, 0), "minimum": n}
        for code, n in sorted(minimums.items())
        if running.get(code, 0) < n
    ]
    year = {"day": day.isoformat()}
    if short:
        detail = _("Missing on %(day)s: %(missing)s.") % {**year, "missing": "、".join(short)}
        return ComplianceCheck(label, MISSING, detail)
    detail = _("Running on %(day)s: %(counts)s.") % {**year, "counts": counts or "—"}
    return ComplianceCheck(label, MET, detail)


def station_rooms(*, actor: Actor, station: Station) -> QuerySet[Room]:
    return room_list(actor=actor).filter(station=station).order_by("kind", "name")


def station_outposts(*, actor: Actor, station: Station) -> QuerySet[Station]:
    return station_list(actor=actor).filter(parent_station=station).order_by("region__code")


# --- rooms, agencies, policies ------------------------------------------------------------------


def room_list(*, actor: Actor) -> QuerySet[Room]:
    queryset: QuerySet[Room] = Room.objects.visible_to(actor)
    return queryset.select_related("station", "station__region")


def service_agency_list(*, actor: Actor) -> QuerySet[ServiceAgency]:
    """Agencies with the number of stations they run and of their staff still working."""
    day = timezone.localdate()
    queryset: QuerySet[ServiceAgency] = ServiceAgency.objects.visible_to(actor)
    return queryset.select_related("region").annotate(
        station_count=_related_count(ServiceAgency, "stations"),
        staff_count=agency_staff_count(day=day),
    )


def agency_stations(*, actor: Actor, agency: ServiceAgency) -> QuerySet[Station]:
    return station_list(actor=actor).filter(agency=agency)


def construction_standard_list(*, actor: Actor) -> QuerySet[ConstructionStandard]:
    queryset: QuerySet[ConstructionStandard] = ConstructionStandard.objects.visible_to(actor)
    return queryset


def subsidy_policy_list(*, actor: Actor) -> QuerySet[SubsidyPolicy]:
    queryset: QuerySet[SubsidyPolicy] = SubsidyPolicy.objects.visible_to(actor)
    # The subsidies under a policy are grants, counted through the port (stations.subsidies).
    return queryset.annotate(subsidy_count=policy_subsidy_count())


# --- rollout: stations built per year, township coverage (domain.md §5) --------------------------


@dataclass
class RolloutRow:
    """One district (or the whole jurisdiction) of the rollout table."""

    code: str
    name: str
    built_by_year: dict[int, int]
    townships: int
    operating: int

    @property
    def built(self) -> int:
        return sum(self.built_by_year.values())

    def cumulative(self, year: int) -> int:
        return sum(n for y, n in self.built_by_year.items() if y <= year)

    def cumulative_coverage(self, year: int) -> float | None:
        """Share of towns and streets with a township station built by the end of ``year``."""
        return self.cumulative(year) / self.townships if self.townships else None

    @property
    def coverage(self) -> float | None:
        """Share of towns and streets with an operating township station today."""
        return self.operating / self.townships if self.townships else None

    @property
    def coverage_percent(self) -> float | None:
        coverage = self.coverage
        return None if coverage is None else round(coverage * 100, 1)


@dataclass
class Rollout:
    years: list[int]
    rows: list[RolloutRow]
    total: RolloutRow

    def year_cells(self, row: RolloutRow) -> list[dict[str, Any]]:
        return [
            {
                "year": year,
                "built": row.built_by_year.get(year, 0),
                "cumulative": row.cumulative(year),
                "coverage": row.cumulative_coverage(year),
                "percent": _percent(row.cumulative_coverage(year)),
            }
            for year in self.years
        ]


def _percent(share: float | None) -> float | None:
    return None if share is None else round(share * 100, 1)


def station_rollout(*, actor: Actor) -> Rollout:
    """Township stations built per year and district, and township coverage, in the actor's
    jurisdiction. Towns and streets count; development zones do not (domain.md §5).

    Built: a township station operating or suspended, in the year of ``opened_on``.
    Coverage: towns and streets with an operating township station ÷ all towns and streets.
    Three aggregate queries, whatever the number of stations.
    """
    stations = (
        Station.objects.visible_to(actor)
        .filter(kind=StationKind.TOWNSHIP, region__is_development_zone=False)
        .order_by()
    )
    built = (
        stations.filter(status__in=BUILT_STATUSES, opened_on__isnull=False)
        .values("region__parent__code", year=ExtractYear("opened_on"))
        .annotate(n=Count("id"))
    )
    operating = (
        stations.filter(status=StationStatus.OPERATING)
        .values("region__parent__code")
        .annotate(n=Count("region", distinct=True))
    )
    townships = (
        Region.objects.visible_to(actor)
        .filter(level=RegionLevel.TOWNSHIP, is_development_zone=False)
        .order_by()
        .values("parent__code", "parent__name")
        .annotate(n=Count("id"))
    )
    rows: dict[str, RolloutRow] = {}

    def row_for(code: str, name: str = "") -> RolloutRow:
        if code not in rows:
            rows[code] = RolloutRow(code, name, {}, 0, 0)
        return rows[code]

    for district in townships:
        row_for(district["parent__code"], district["parent__name"]).townships = district["n"]
    years: set[int] = set()
    for cell in built:
        row = row_for(cell["region__parent__code"])
        row.built_by_year[cell["year"]] = cell["n"]
        years.add(cell["year"])
    for operated in operating:
        row_for(operated["region__parent__code"]).operating = operated["n"]
    unnamed = [code for code, row in rows.items() if not row.name]
    if unnamed:
        names = dict(Region.objects.filter(code__in=unnamed).values_list("code", "name"))
        for code in unnamed:
            rows[code].name = names.get(code, code)
    ordered = [rows[code] for code in sorted(rows)]
    total = RolloutRow(
        code="",
        name=_("Total"),
        built_by_year={
            year: sum(row.built_by_year.get(year, 0) for row in ordered) for year in years
        },
        townships=sum(row.townships for row in ordered),
        operating=sum(row.operating for row in ordered),
    )
    return Rollout(years=sorted(years), rows=ordered, total=total)


# --- home pages: what a manager or a bureau must see to (issue 10) -----------------------------


def home_stations(*, actor: Actor) -> list[Station]:
    """The township stations of the actor's jurisdiction (a station manager's own station),
    with ``compliant`` and ``fulltime_staff_count`` as on the station list."""
    return list(
        station_list(actor=actor)
        .filter(kind=StationKind.TOWNSHIP)
        .exclude(status=StationStatus.PLANNED)
        .order_by("region__code")[:3]
    )


def station_contracts_ending(
    *, actor: Actor, on: date, within_days: int = NOTICE_DAYS
) -> list[Ending]:
    """Stations run by an agency (operating or suspended) whose contract has ended, or ends
    within ``within_days`` of ``on``: an ended contract with the agency still named is a
    station served without a contract. The earliest end first."""
    stations = (
        Station.objects.visible_to(actor)
        .filter(
            status__in=BUILT_STATUSES,
            agency__isnull=False,
            contract_end__isnull=False,
            contract_end__lte=on + timedelta(days=within_days),
        )
        .select_related("agency", "region")
        .order_by("contract_end", "pk")
    )
    return [Ending(s, s.contract_end, on) for s in stations if s.contract_end is not None]


def station_policies_ending(*, on: date, within_days: int = NOTICE_DAYS) -> list[Ending]:
    """Construction standards and subsidy rules (policy data: the same for every reader) that
    end within ``within_days`` of ``on`` with nothing to take over (core.policies)."""
    lapsing = policies_ending(
        ConstructionStandard.objects.all(), on=on, within_days=within_days
    ) + policies_ending(
        SubsidyPolicy.objects.all(), on=on, same=("source",), within_days=within_days
    )
    return sorted(lapsing, key=lambda ending: ending.ends_on)
