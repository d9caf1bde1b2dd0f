"""Reads for the cockpit (数据驾驶舱), the district report and the stats API (domain.md §5).

Every figure of a region is read from the tallies (``tallies.py``) at the region's own level,
and its breakdown by child region from the level below, so a request reads a few hundred
aggregate rows whatever the number of records. Every figure says what was true in the period
(issue 18): flows (services, cases opened and closed, money paid) within it, stocks (people in
service, cases by stage, overdue visits, certified people, stations operating and their
compliance) as of its end — today while it runs. Station figures are read from the stations
themselves: there is at most one township station per town and street, so they do not grow with
activity. The selectors refresh any partition still marked dirty before reading
(read-your-writes), which costs one ``EXISTS`` query when nothing changed.
"""

import calendar
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import BigIntegerField, Case, Count, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Substr
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from swstation.cases.instruments.registry import elderly_instrument, elderly_standards
from swstation.cases.models import Case as CaseRecord
from swstation.cases.models import (
    CaseStage,
    CaseTransfer,
    ServiceRecord,
    ServiceType,
    VisitSchedule,
)
from swstation.cases.selectors.dated import cases_as_of, schedules_overdue_on
from swstation.core.actors import Actor
from swstation.core.scoping import get_object_for_user
from swstation.dashboard.funds_figures import METRICS as FUNDS_METRICS
from swstation.dashboard.models import Tally, TallyLevel
from swstation.dashboard.services import tally_refresh
from swstation.dashboard.tallies import elderly_level_key, month_bit
from swstation.funds.selectors import funds_by_tier_in
from swstation.recipients.models import Category, Recipient
from swstation.recipients.selectors import in_service_q, minors_q, user_sees_sensitive_data
from swstation.regions.codes import LEVEL_DIGITS, LEVEL_ORDER, code_of_prefix
from swstation.regions.models import Population, Region, RegionLevel
from swstation.regions.selectors import user_home_region
from swstation.stations.models import Station, StationKind, StationStatus
from swstation.stations.selectors import (
    BUILT_STATUSES,
    annotate_compliance,
    operating_on_q,
    stations_compliance,
)
from swstation.workforce.models import CertificateLevel, PaymentKind

# The tally level that holds a region's own figures, by the region's level.
OWN_LEVEL = {
    RegionLevel.CITY: TallyLevel.CITY,
    RegionLevel.COUNTY: TallyLevel.DISTRICT,
    RegionLevel.TOWNSHIP: TallyLevel.TOWNSHIP,
}
NON_COMPLIANT_LISTED = 30


# --- the period ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A run of whole months. Figures "as of" the period are taken at its end, or today when
    the period has not ended yet."""

    start: date
    end: date

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def months(cls, first: date, last: date) -> "Period":
        end_day = calendar.monthrange(last.year, last.month)[1]
        return cls(first.replace(day=1), last.replace(day=end_day))

    @property
    def as_of(self) -> date:
        return min(self.end, timezone.localdate())

    @property
    def coverage_window(self) -> "Period":
        """The 12 months up to :attr:`as_of` (village coverage, domain.md §5)."""
        last = self.as_of.replace(day=1)
        first = date(last.year - 1, last.month + 1, 1) if last.month < 12 else date(last.year, 1, 1)
        return Period.months(first, last)

    @property
    def year_of_end(self) -> int:
        return self.as_of.year

    @property
    def is_calendar_year(self) -> bool:
        return self.start == date(self.start.year, 1, 1) and self.end == date(
            self.start.year, 12, 31
        )

    def months_in(self) -> list[date]:
        months = []
        month = self.start
        while month <= self.end:
            months.append(month)
            month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        return months

    def __str__(self) -> str:
        if self.is_calendar_year:
            return _("%(year)s") % {"year": self.start.year}
        return f"{self.start:%Y-%m} – {self.end:%Y-%m}"


def default_period(today: date | None = None) -> Period:
    return Period.year((today or timezone.localdate()).year)


# --- figures ---------------------------------------------------------------------------------


def _rate(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def _per_10k(count: int, population: int | None) -> Decimal | None:
    if not population:
        return None
    return (Decimal(count) * 10_000 / Decimal(population)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


@dataclass
class AreaFigures:
    """The headline figures of one region (the cockpit's own region, or one of its children)."""

    code: str
    name: str
    region: Region | None = None
    townships: int = 0
    stations_operating: int = 0
    stations_built: int = 0
    stations_assessed: int = 0
    stations_compliant: int = 0
    villages: int = 0
    villages_served: int = 0
    certified: int = 0
    population: int | None = None
    population_year: int | None = None
    newly_certified: int = 0
    recipients: int = 0
    services: int = 0
    service_minutes: Decimal = Decimal(0)
    cases_opened: int = 0
    cases_closed: int = 0
    cases_open: int = 0
    visits_overdue: int = 0
    payments_paid: Decimal = Decimal(0)
    subsidies_paid: Decimal = Decimal(0)

    @property
    def prefix(self) -> str:
        return self.region.prefix if self.region is not None else self.code

    @property
    def township_coverage(self) -> Decimal | None:
        return _rate(self.stations_operating, self.townships)

    @property
    def compliance_rate(self) -> Decimal | None:
        return _rate(self.stations_compliant, self.stations_assessed)

    @property
    def village_coverage(self) -> Decimal | None:
        return _rate(self.villages_served, self.villages)

    @property
    def certified_per_10k(self) -> Decimal | None:
        return _per_10k(self.certified, self.population)


@dataclass
class Slice:
    """One bar, slice or point of a chart: a code, its label, and its figures."""

    key: str
    label: str
    count: int = 0
    total: Decimal = Decimal(0)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class NonCompliantStation:
    station: Station
    missing: list[str]


@dataclass
class Cockpit:
    region: Region
    period: Period
    today: date
    totals: AreaFigures
    areas: list[AreaFigures]
    built_by_year: dict[int, int]
    newly_certified_by_year: dict[int, int]
    certified_by_level: list[Slice]
    recipients_by_category: list[Slice]
    services_by_type: list[Slice]
    services_by_month: list[Slice]
    cases_by_stage: list[Slice]
    payments_by_kind: list[Slice]
    non_compliant: list[NonCompliantStation]
    non_compliant_more: int = 0
    # Elders by the level of their latest assessment, one list per standard (GB/T 42195-2022,
    # MZ/T 039-2013): Slice.key "<standard>|<level>", extra {"standard", "level"}. The two are
    # never added together (spec/elderly-assessment-gbt42195.md §8).
    elderly_by_level: dict[str, list[Slice]] = field(default_factory=dict)

    def newly_certified_growth(self) -> list[dict[str, Any]]:
        """Newly certified per year with the change on the year before, in percent."""
        rows: list[dict[str, Any]] = []
        previous: int | None = None
        for year in sorted(self.newly_certified_by_year):
            count = self.newly_certified_by_year[year]
            growth = (
                (Decimal(count - previous) * 100 / previous).quantize(Decimal("0.1"))
                if previous
                else None
            )
            rows.append({"year": year, "count": count, "growth": growth})
            previous = count
        return rows


def cockpit_regions(*, actor: Actor) -> QuerySet[Region]:
    """The regions whose cockpit the actor may open: their jurisdiction and what lies below,
    down to towns and streets."""
    queryset: QuerySet[Region] = Region.objects.visible_to(actor)
    return queryset.exclude(level=RegionLevel.VILLAGE).order_by("code")


def cockpit_region(*, actor: Actor, code: str | None) -> Region:
    """The region whose cockpit is asked for (by its code), or the actor's jurisdiction;
    404 outside it, as everywhere."""
    regions = cockpit_regions(actor=actor)
    if code:
        return get_object_for_user(regions, actor, code=code)
    home = user_home_region(actor=actor)
    if home is None:
        raise Http404(_("No such record in your jurisdiction."))
    return get_object_for_user(regions, actor, pk=home.pk)


def _child_digits(region: Region) -> int | None:
    index = LEVEL_ORDER.index(region.level)
    if index + 1 >= len(LEVEL_ORDER) - 1:
        return None
    return LEVEL_DIGITS[LEVEL_ORDER[index + 1]]


def cockpit(*, actor: Actor, region: Region, period: Period, detailed: bool = True) -> Cockpit:
    """Every figure of ``region`` for ``period``, with the breakdown by its child regions.

    ``region`` must come from :func:`cockpit_region` (scoped to the actor's jurisdiction, 404
    outside it): the tallies are read by its prefix only after that check.
    """
    tally_refresh()
    today = timezone.localdate()
    own_level = OWN_LEVEL[RegionLevel(region.level)]
    # ``detailed=False`` (the API's overview and breakdown) leaves out the figures by child
    # region and what each non-compliant station misses.
    child_digits = _child_digits(region) if detailed else None
    children = list(cockpit_regions(actor=actor).filter(parent=region)) if child_digits else []
    totals = AreaFigures(code=region.code, name=region.name, region=region)
    areas = {child.prefix: AreaFigures(child.code, child.name, child) for child in children}

    def area(prefix: str) -> AreaFigures:
        if prefix not in areas:
            # Records kept at the region itself (a district hub's staff), not in any child.
            areas[prefix] = AreaFigures(
                code_of_prefix(prefix), _("%(name)s (own level)") % {"name": region.name}
            )
        return areas[prefix]

    result = Cockpit(
        region=region,
        period=period,
        today=today,
        totals=totals,
        areas=[],
        built_by_year={},
        newly_certified_by_year={},
        certified_by_level=[],
        recipients_by_category=[],
        services_by_type=[],
        services_by_month=[],
        cases_by_stage=[],
        payments_by_kind=[],
        non_compliant=[],
    )
    _own_tallies(result, region.code, own_level)
    if child_digits:
        _child_tallies(result, region, child_digits, area)
    _region_counts(result, region, child_digits, area)
    _village_coverage(result, region, child_digits, area)
    _stations(result, actor, region, child_digits, area, list_failing=detailed)
    _populations(result, region, children, areas)
    result.areas = [areas[prefix] for prefix in sorted(areas)]
    return result


@dataclass
class _Breakdown:
    """The region's own figures by type, month, category, stage, level and kind."""

    by_type: dict[str, list[Any]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    by_month: dict[date, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    by_category: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    by_stage: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    by_level: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    by_kind: dict[str, list[Any]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    by_elderly_level: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def _accumulate(
    result: Cockpit,
    figures: AreaFigures,
    rows: Iterable[tuple[str, str, date | None, int, Decimal]],
    breakdown: _Breakdown | None = None,
) -> None:
    """Add tally rows to ``figures``: the one place that says which rows count for which figure
    in the period (stocks as of its end, flows within it)."""
    period = result.period
    as_of = period.as_of  # a property that reads today's date: once, not per row
    first, last = period.start.replace(day=1), period.end
    year_start = date(period.year_of_end, 1, 1)
    for metric, key, when, count, total in rows:
        if when is None:
            continue
        in_period = first <= when <= last
        if metric == "services" and in_period:
            figures.services += count
            figures.service_minutes += total
            if breakdown:
                breakdown.by_type[key][0] += count
                breakdown.by_type[key][1] += total
                breakdown.by_month[when][0] += count
        elif metric == "people_served" and in_period:
            if breakdown:
                breakdown.by_month[when][1] += count
        elif metric == "recipients" and when <= as_of:
            if not key:
                figures.recipients += count
            elif breakdown:
                breakdown.by_category[key] += count
        elif metric == "cases" and when <= as_of:
            if key != CaseStage.CLOSED:
                figures.cases_open += count
            if breakdown:
                breakdown.by_stage[key] += count
        elif metric == "cases_opened" and in_period:
            figures.cases_opened += count
        elif metric == "cases_closed" and in_period:
            figures.cases_closed += count
        elif metric == "visits_overdue" and when <= as_of:
            figures.visits_overdue += count
        elif metric == "certified" and when <= as_of:
            figures.certified += count
            if breakdown:
                breakdown.by_level[key] += count
        elif metric == "newly_certified" and when <= year_start:
            if when == year_start:
                figures.newly_certified += count
            if breakdown:
                result.newly_certified_by_year[when.year] = count
        elif metric == "payments_paid" and in_period:
            figures.payments_paid += total
            if breakdown:
                breakdown.by_kind[key][0] += count
                breakdown.by_kind[key][1] += total
        elif metric == "elderly_level" and when <= as_of:
            if breakdown:
                breakdown.by_elderly_level[key] += count
        elif metric == "subsidies_paid" and in_period:
            figures.subsidies_paid += total
            if breakdown:
                breakdown.by_kind["subsidy"][0] += count
                breakdown.by_kind["subsidy"][1] += total


def _elderly_by_level(counts: dict[str, int]) -> dict[str, list[Slice]]:
    """Each standard's levels with the elders at each, for the standards that have any."""
    found: dict[str, list[Slice]] = {}
    for standard in elderly_standards():
        names = elderly_instrument(standard).level_names
        slices = [
            Slice(
                elderly_level_key(standard, level),
                f"{level} {name}",
                counts.get(elderly_level_key(standard, level), 0),
                extra={"standard": standard, "level": level},
            )
            for level, name in names.items()
        ]
        if any(s.count for s in slices):
            found[standard] = slices
    return found


# Metrics counted within the period (by the month they happened), and stocks kept as net
# changes (tallies.py): a stock on a day is the sum of its rows up to that day.
FLOWS = frozenset(
    {"services", "people_served", "cases_opened", "cases_closed", "payments_paid", "subsidies_paid"}
)
STOCKS = frozenset({"recipients", "cases", "visits_overdue", "certified", "elderly_level"})


def _period_rows(
    tallies: QuerySet[Tally], period: Period, *, digits: int | None = None
) -> list[tuple[str, str, str, date | None, int, Decimal]]:
    """The tally rows a period reads, as ``(area, metric, key, period, count, total)``: flows of
    its months, each stock summed in SQL up to the period's end (one row per metric and key,
    dated on that day), the newly certified by year up to its end's year. ``area`` is the
    region code cut to ``digits`` (the child regions), or "". Nothing dated after the period
    is read, and the rows sent back do not grow with the history or the records."""
    area = Substr("region_code", 1, digits) if digits else Value("")
    tallies = tallies.exclude(metric="village_months").order_by()
    first = period.start.replace(day=1)
    flows = Q(metric__in=FLOWS, period__gte=first, period__lte=period.end)
    others = ~Q(metric__in=FLOWS | STOCKS) & (Q(period__isnull=True) | Q(period__lte=period.end))
    rows: list[tuple[str, str, str, date | None, int, Decimal]] = list(
        tallies.filter(flows | others).values_list(
            area, "metric", "key", "period", "count", "total"
        )
    )
    as_of = period.as_of
    rows += [
        (row["area"], row["metric"], row["key"], as_of, row["n"] or 0, row["amount"])
        for row in tallies.filter(metric__in=STOCKS, period__lte=as_of)
        .values("metric", "key", area=area)
        .annotate(n=Sum("count"), amount=Sum("total"))
    ]
    return rows


def _own_tallies(result: Cockpit, code: str, level: str) -> None:
    rows = [
        row[1:]
        for row in _period_rows(Tally.objects.filter(level=level, region_code=code), result.period)
    ]
    found = _Breakdown()
    _accumulate(result, result.totals, rows, found)
    period = result.period
    result.services_by_type = [
        Slice(value, str(label), found.by_type[value][0], Decimal(found.by_type[value][1]))
        for value, label in ServiceType.choices
        if found.by_type[value][0]
    ]
    result.services_by_month = [
        Slice(
            f"{month:%Y-%m}",
            f"{month:%Y-%m}",
            found.by_month[month][0],
            extra={"people": found.by_month[month][1], "month": month},
        )
        for month in period.months_in()
        if month <= period.as_of
    ]
    categories = Category.objects.order_by("order", "code").values_list("code", "name")
    result.recipients_by_category = [
        Slice(code, name, found.by_category[code])
        for code, name in categories
        if found.by_category[code]
    ]
    result.cases_by_stage = [
        Slice(value, str(label), found.by_stage[value]) for value, label in CaseStage.choices
    ]
    result.certified_by_level = [
        Slice(value, str(label), found.by_level[value]) for value, label in CertificateLevel.choices
    ]
    result.elderly_by_level = _elderly_by_level(found.by_elderly_level)
    kinds = [*PaymentKind.choices, ("subsidy", _("Station subsidy"))]
    result.payments_by_kind = [
        Slice(value, str(label), found.by_kind[value][0], Decimal(found.by_kind[value][1]))
        for value, label in kinds
    ]


PANEL_METRICS = (*FUNDS_METRICS, "project_people")
"""Tally metrics read only by a panel of their own (dashboard/funds_figures.py,
dashboard/project_figures.py), not by the figures of a region."""


def _child_tallies(result: Cockpit, region: Region, digits: int, area: Any) -> None:
    """The same figures for each child region, by the same rules (:func:`_accumulate`), from
    the tally rows one level down (a few thousand at most)."""
    child_level = TallyLevel.DISTRICT if digits == LEVEL_DIGITS["county"] else TallyLevel.TOWNSHIP
    rows: dict[str, list[tuple[str, str, date | None, int, Decimal]]] = defaultdict(list)
    # The funds' and the projects' own rows are read by their panels, never by region here: a
    # city's own grants would otherwise open a row of zeros, "宁波市（本级）", in the table.
    tallies = Tally.objects.filter(
        level=child_level, region_code__startswith=region.prefix
    ).exclude(metric__in=PANEL_METRICS)
    for prefix, metric, key, when, count, total in _period_rows(
        tallies, result.period, digits=digits
    ):
        rows[prefix].append((metric, key, when, count, total))
    for prefix, area_rows in rows.items():
        _accumulate(result, area(prefix), area_rows)


def _region_counts(result: Cockpit, region: Region, digits: int | None, area: Any) -> None:
    """Towns and streets (development zones apart, domain.md §5) and villages and communities,
    by child region: the denominators of the two coverage rates."""
    length = digits or len(region.prefix)
    rows = (
        Region.objects.filter(
            code__startswith=region.prefix, level__in=(RegionLevel.TOWNSHIP, RegionLevel.VILLAGE)
        )
        .exclude(level=RegionLevel.TOWNSHIP, is_development_zone=True)
        .order_by()
        .values_list(Substr("code", 1, length), "level")
        .annotate(n=Count("pk"))
    )
    for prefix, level, n in rows:
        for figures in [result.totals] + ([area(prefix)] if digits else []):
            if level == RegionLevel.TOWNSHIP:
                figures.townships += n
            else:
                figures.villages += n


def _village_coverage(result: Cockpit, region: Region, digits: int | None, area: Any) -> None:
    """Villages and communities with at least one service in the last 12 months ÷ all of them
    (domain.md §5, "village coverage"): the 12 months up to the period's end, or up to today
    while the period runs."""
    period = result.period.coverage_window
    length = digits or len(region.prefix)
    served = (
        _served_villages(region.prefix, period)
        .values(prefix=Substr("region_code", 1, length))
        .annotate(n=Count("region_code", distinct=True))
    )
    for row in served:
        result.totals.villages_served += row["n"]
        if digits:
            area(row["prefix"]).villages_served = row["n"]


def _served_villages(prefix: str, period: Period) -> QuerySet[Tally]:
    """The village rows of ``village_months`` with a service in ``period``'s months."""
    masks = _months_by_year(period)
    return (
        Tally.objects.filter(
            metric="village_months",
            level=TallyLevel.VILLAGE,
            region_code__startswith=prefix,
            period__in=[date(year, 1, 1) for year in masks],
        )
        .annotate(
            months=Case(
                *[
                    When(period=date(year, 1, 1), then=F("count").bitand(mask))
                    for year, mask in masks.items()
                ],
                default=Value(0),
                output_field=BigIntegerField(),
            )
        )
        .filter(months__gt=0)
        .order_by()
    )


def villages_by_service(*, region: Region, period: Period, served: bool) -> QuerySet[Region]:
    """The villages and communities of ``region`` with (``served``) or without a service in
    the 12 months to the period's end: the lists the village coverage figure links to (their
    numbers are the figure's, :func:`_village_coverage`). ``region`` comes from
    :func:`cockpit_region` (scoped)."""
    tally_refresh()
    codes = _served_villages(region.prefix, period.coverage_window).values("region_code")
    villages = Region.objects.filter(code__startswith=region.prefix, level=RegionLevel.VILLAGE)
    villages = villages.filter(code__in=codes) if served else villages.exclude(code__in=codes)
    return villages.select_related("parent").order_by("code")


def _months_by_year(period: Period) -> dict[int, int]:
    """The period's months as a bit mask per year (the layout of ``village_months``)."""
    masks: dict[int, int] = defaultdict(int)
    for month in period.months_in():
        masks[month.year] |= month_bit(month.month)
    return dict(masks)


def _stations(
    result: Cockpit,
    actor: Actor,
    region: Region,
    digits: int | None,
    area: Any,
    *,
    list_failing: bool,
) -> None:
    """Township stations built per year, coverage of towns and streets (development zones
    excluded, domain.md §5) and compliance, all as of the period's end: stations operating then
    (opened by then and not suspended on that day), assessed against the standard in force then
    with the rooms, sign and full-time staff they had then."""
    as_of, year = result.period.as_of, result.period.year_of_end
    length = digits or len(region.prefix)
    stations: QuerySet[Station] = Station.objects.visible_to(actor).in_region_prefix(region.prefix)
    township_stations = stations.filter(
        kind=StationKind.TOWNSHIP, region__is_development_zone=False
    ).order_by()
    # One row per town or street (a township station per township, stations.models), read
    # once: built per year (operating or suspended) and operating at the period's end.
    for prefix, status, opened_on, suspended_on in township_stations.filter(
        status__in=BUILT_STATUSES, opened_on__isnull=False
    ).values_list(Substr("region__code", 1, length), "status", "opened_on", "suspended_on"):
        counted = [result.totals] + ([area(prefix)] if digits else [])
        if opened_on.year <= year:
            result.built_by_year[opened_on.year] = result.built_by_year.get(opened_on.year, 0) + 1
            for figures in counted:
                figures.stations_built += 1
        if opened_on <= as_of and (
            status == StationStatus.OPERATING or (suspended_on and suspended_on > as_of)
        ):
            for figures in counted:
                figures.stations_operating += 1
    # ``compliant`` is annotated in SQL (stations.selectors.annotate_compliance): True, False,
    # or None where no standard applies (not assessed).
    assessed = (
        annotate_compliance(stations.filter(operating_on_q(day=as_of)), day=as_of)
        .order_by("region__code", "name")
        .values_list("pk", "region__code", F("compliant"))
    )
    failing: list[int] = []
    for pk, code, compliant in assessed:
        if compliant is None:
            continue
        figures = [result.totals] + ([area(code[:length])] if digits else [])
        for each in figures:
            each.stations_assessed += 1
            each.stations_compliant += 1 if compliant else 0
        if not compliant:
            failing.append(pk)
    if not list_failing:
        return
    result.non_compliant_more = max(0, len(failing) - NON_COMPLIANT_LISTED)
    listed = list(
        Station.objects.filter(pk__in=failing[:NON_COMPLIANT_LISTED])
        .select_related("region")
        .order_by("region__code", "name")
    )
    checklists = stations_compliance(stations=listed, day=as_of)
    result.non_compliant = [
        NonCompliantStation(station, [check.detail for check in checklists[station.pk].missing])
        for station in listed
    ]


def _populations(
    result: Cockpit, region: Region, children: list[Region], areas: dict[str, AreaFigures]
) -> None:
    """Each region's population in the year of the period's end, or in the latest earlier year
    on record (as the certification statistics do)."""
    year = result.period.year_of_end
    wanted = {region.pk: result.totals} | {
        child.pk: areas[child.prefix] for child in children if child.prefix in areas
    }
    rows = (
        Population.objects.filter(region_id__in=wanted, year__lte=year)
        .order_by("region_id", "-year")
        .values_list("region_id", "year", "population")
    )
    for region_id, figure_year, population in rows:
        figures = wanted[region_id]
        if figures.population is None and population:
            figures.population = population
            figures.population_year = figure_year


# --- what a role does not see --------------------------------------------------------------


@dataclass(frozen=True)
class Hidden:
    """Records behind a figure that the list it links to does not show the user, and why:
    ``minors`` (the role does not see minors' records) or ``moved`` (cases since transferred
    to stations outside the user's jurisdiction)."""

    count: int
    reason: str


def hidden_from(*, actor: Actor, result: Cockpit) -> dict[str, Hidden]:
    """By headline, how many of the records behind it the list it links to leaves out for
    ``actor`` (issue 10: counts hidden from a role say so where they differ)."""
    prefix, period = result.region.prefix, result.period
    hidden: dict[str, Hidden] = {}
    open_stages = [stage for stage in CaseStage.values if stage != CaseStage.CLOSED]
    moved_out = CaseTransfer.objects.filter(from_station__region__code__startswith=prefix)
    if moved_out.exists():  # only cases ever transferred can have left the jurisdiction
        moved = (
            cases_as_of(CaseRecord.objects.filter(pk__in=moved_out.values("case_id")), period.as_of)
            .filter(**{"region_code_on__startswith": prefix, "stage_on__in": open_stages})
            .exclude(pk__in=CaseRecord.objects.visible_to(actor).values("pk"))
            .count()
        )
        if moved:
            hidden["cases-open"] = Hidden(moved, "moved")
    if user_sees_sensitive_data(actor):
        return hidden
    minors = Recipient.objects.filter(minors_q(), region__code__startswith=prefix)
    schedules = VisitSchedule.objects.filter(
        recipient__in=minors.values("pk"), recipient__region__code__startswith=prefix
    )
    counts = {
        "recipients": minors.filter(in_service_q(day=period.as_of)).count(),
        "services": ServiceRecord.objects.filter(
            minors_q(prefix="recipient__"),
            recipient__region__code__startswith=prefix,
            served_on__gte=period.start,
            served_on__lte=period.end,
        ).count(),
        "visits-overdue": schedules_overdue_on(schedules, period.as_of).count(),
    }
    hidden.update({key: Hidden(n, "minors") for key, n in counts.items() if n})
    return hidden


# --- the stats API's overview --------------------------------------------------------------


def overview(result: Cockpit) -> dict[str, Any]:
    """The headline figures as plain data (the ``/api/v1/stats/overview/`` answer)."""
    totals = result.totals
    return {
        "region": {"code": result.region.code, "name": result.region.name},
        "period": {"start": result.period.start, "end": result.period.end},
        "stations_operating": totals.stations_operating,
        "townships_total": totals.townships,
        "township_coverage_rate": totals.township_coverage,
        "stations_built_by_year": {str(y): n for y, n in sorted(result.built_by_year.items())},
        "compliance_rate": totals.compliance_rate,
        "stations_assessed": totals.stations_assessed,
        "stations_compliant": totals.stations_compliant,
        "villages_total": totals.villages,
        "villages_served": totals.villages_served,
        "village_coverage_rate": totals.village_coverage,
        "certified_social_workers": totals.certified,
        "population": totals.population,
        "population_year": totals.population_year,
        "certified_per_10k": totals.certified_per_10k,
        "newly_certified_by_year": {
            str(y): n for y, n in sorted(result.newly_certified_by_year.items())
        },
        "recipients": totals.recipients,
        "services": totals.services,
        "cases_open": totals.cases_open,
        "cases_opened": totals.cases_opened,
        "cases_closed": totals.cases_closed,
        "visits_overdue": totals.visits_overdue,
        "payments_paid": totals.payments_paid,
        "subsidies_paid": totals.subsidies_paid,
        "funds_by_tier": funds_by_tier_in(region=result.region, year=result.period.as_of.year),
    }


# --- the district assessment -------------------------------------------------------------------


def county_figures(actor: Actor, year: int, as_of: date) -> dict[str, dict[str, Any]]:
    """The cockpit's figures of each county for the district assessment
    (evaluation.district_measures, registered in apps.py): towns and streets with an operating
    township station, stations meeting the standard, villages served in the 12 months, active
    certificates and the population, as of ``as_of``; newly certified in ``year`` and the
    year before."""
    city = Region.objects.filter(level=RegionLevel.CITY).order_by("code").first()
    if city is None:
        return {}
    current = cockpit(actor=actor, region=city, period=Period(date(year, 1, 1), as_of))
    previous = cockpit(actor=actor, region=city, period=Period.year(year - 1))
    before = {area.code: area.newly_certified for area in previous.areas}
    return {
        area.code: {
            "townships": area.townships,
            "stations_operating": area.stations_operating,
            "stations_assessed": area.stations_assessed,
            "stations_compliant": area.stations_compliant,
            "villages": area.villages,
            "villages_served": area.villages_served,
            "certified": area.certified,
            "population": area.population,
            "population_year": area.population_year,
            "newly_certified": area.newly_certified,
            "newly_certified_previous": before.get(area.code, 0),
        }
        for area in current.areas
        if area.region is not None and area.region.level == RegionLevel.COUNTY
    }
