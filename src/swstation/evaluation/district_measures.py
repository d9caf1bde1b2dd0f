"""The figures of the district assessment (市对区县考核, spec/station-evaluation.md §6), per
county, as of the assessment's snapshot date.

Coverage, compliance, village coverage and certified social workers per 10,000 are the figures
of the city's cockpit, read through a provider the dashboard registers
(:func:`register_county_figures`): the assessment and the cockpit never disagree, and the
evaluation app does not import the dashboard above it. The evaluation figures (K3–K5), the
rectification (K6) and the funds (K9) are read here from the records.

- K3–K5 count the township stations' evaluations of the assessment's annual round that are
  **final** (a published result under objection may still change; spec §4).
- K6: the rectification items whose first due date falls in the year up to the snapshot, and
  of them those closed on time (spec §6: "items closed on time ÷ items due in the year").
- K9: the township stations operating on the snapshot date with money of both the ``county``
  and the ``township`` tier recorded for the year, given to the station or to one of its
  projects (四个一).
"""

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import F
from django.db.models.functions import Coalesce

from swstation.core.actors import Actor
from swstation.evaluation.models import (
    DistrictAssessment,
    DistrictFigure,
    EvaluationStatus,
    RectificationItem,
    StationEvaluation,
)
from swstation.funds.models import Grant
from swstation.funds.selectors import cockpit_funds
from swstation.regions.models import Region, RegionLevel
from swstation.stations.models import FundingSource, Station, StationKind
from swstation.stations.selectors import operating_on_q

COUNTY_DIGITS = 6
GOOD_GRADES = ("excellent", "good")
FAIL_GRADE = "fail"
FOUR_ONES = [value for value, _label in FundingSource.choices]

CountyFiguresProvider = Callable[[Actor, int, date], Mapping[str, Mapping[str, Any]]]
"""(actor, year, as_of) → {county code: {"townships", "stations_operating",
"stations_assessed", "stations_compliant", "villages", "villages_served", "certified",
"population", "population_year", "newly_certified", "newly_certified_previous"}}."""

_providers: list[CountyFiguresProvider] = []


def register_county_figures(provider: CountyFiguresProvider) -> None:
    """The dashboard registers its cockpit's figures by county (dashboard/apps.py)."""
    if provider not in _providers:
        _providers.append(provider)


def _provided(actor: Actor, year: int, as_of: date) -> dict[str, dict[str, Any]]:
    if not _providers:
        raise RuntimeError("no provider of county figures is registered (dashboard/apps.py)")
    merged: dict[str, dict[str, Any]] = defaultdict(dict)
    for provider in _providers:
        for code, values in provider(actor, year, as_of).items():
            merged[code].update(values)
    return merged


@dataclass
class Measured:
    """One figure of one county: its value (None: nothing to measure) and where it comes from."""

    value: Decimal | None
    numerator: Decimal | int | None = None
    denominator: Decimal | int | None = None


@dataclass
class CountyFigures:
    region: Region
    measured: dict[str, Measured] = field(default_factory=dict)
    figures: dict[str, Any] = field(default_factory=dict)


def _percent(part: int, whole: int) -> Measured:
    if not whole:
        return Measured(None, part, whole)
    share = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return Measured(share, part, whole)


def assessed_counties() -> list[Region]:
    """The counties the city assesses: every district and county under the city."""
    return list(Region.objects.filter(level=RegionLevel.COUNTY).order_by("code"))


def county_figures(*, actor: Actor, assessment: DistrictAssessment) -> dict[str, CountyFigures]:
    """Every figure of :class:`DistrictFigure` for each county (by code), with the unscored
    figures of the page (``figures``); a fixed number of queries whatever the number of
    stations."""
    year, as_of = assessment.year, assessment.snapshot_date
    counties = assessed_counties()
    result = {county.code: CountyFigures(county) for county in counties}
    provided = _provided(actor, year, as_of)
    for code, figures in result.items():
        given = provided.get(code, {})
        measured = figures.measured
        measured[DistrictFigure.COVERAGE] = _percent(
            given.get("stations_operating", 0), given.get("townships", 0)
        )
        measured[DistrictFigure.COMPLIANCE] = _percent(
            given.get("stations_compliant", 0), given.get("stations_assessed", 0)
        )
        measured[DistrictFigure.VILLAGE_COVERAGE] = _percent(
            given.get("villages_served", 0), given.get("villages", 0)
        )
        certified, population = given.get("certified", 0), given.get("population")
        measured[DistrictFigure.CERTIFIED_PER_10K] = Measured(
            (Decimal(certified) * 10_000 / Decimal(population)).quantize(
                Decimal("0.01"), ROUND_HALF_UP
            )
            if population
            else None,
            certified,
            population,
        )
        figures.figures.update(
            {
                "population_year": given.get("population_year"),
                "newly_certified": given.get("newly_certified", 0),
                "newly_certified_previous": given.get("newly_certified_previous", 0),
                "stations_operating": given.get("stations_operating", 0),
            }
        )
    _evaluation_figures(assessment, result)
    _rectification_figures(year, as_of, result)
    _funds_figures(actor, year, as_of, result)
    return result


def _county_of(code: str) -> str:
    return code[:COUNTY_DIGITS] + "000000"


def _evaluation_figures(assessment: DistrictAssessment, result: dict[str, CountyFigures]) -> None:
    """K3 mean final total, K4 share graded 优秀 or 良好, K5 stations graded 不合格, and the grade
    distribution (unscored)."""
    totals: dict[str, list[Decimal]] = defaultdict(list)
    grades: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    if assessment.evaluation_round_id is not None:
        rows = StationEvaluation.objects.filter(
            round_id=assessment.evaluation_round_id,
            status=EvaluationStatus.FINAL,
            station__kind=StationKind.TOWNSHIP,
            total_score__isnull=False,
        ).values_list("station__region__code", "total_score", "grade")
        for code, total, grade in rows:
            if total is None:
                continue
            county = _county_of(code)
            totals[county].append(total)
            grades[county][grade] += 1
    for code, figures in result.items():
        scored = totals.get(code, [])
        count = len(scored)
        by_grade = dict(grades.get(code, {}))
        if count:
            mean = (sum(scored, Decimal(0)) / count).quantize(Decimal("0.01"), ROUND_HALF_UP)
            figures.measured[DistrictFigure.EVALUATION_MEAN] = Measured(
                mean, sum(scored, Decimal(0)), count
            )
            failing = by_grade.get(FAIL_GRADE, 0)
            figures.measured[DistrictFigure.FAILING_STATIONS] = Measured(
                Decimal(failing), failing, count
            )
        else:
            figures.measured[DistrictFigure.EVALUATION_MEAN] = Measured(None, 0, 0)
            figures.measured[DistrictFigure.FAILING_STATIONS] = Measured(None, 0, 0)
        good = sum(by_grade.get(grade, 0) for grade in GOOD_GRADES)
        figures.measured[DistrictFigure.GOOD_SHARE] = _percent(good, count)
        figures.figures["grades"] = by_grade
        figures.figures["stations_evaluated"] = count


def _rectification_figures(year: int, as_of: date, result: dict[str, CountyFigures]) -> None:
    """K6: of the items first due in the year up to the snapshot, those closed on time by it."""
    due: dict[str, int] = defaultdict(int)
    on_time: dict[str, int] = defaultdict(int)
    rows = RectificationItem.objects.filter(
        original_due_on__gte=date(year, 1, 1), original_due_on__lte=min(as_of, date(year, 12, 31))
    ).values_list("evaluation__station__region__code", "closed_on_time", "closed_on")
    for code, closed_on_time, closed_on in rows:
        county = _county_of(code)
        due[county] += 1
        if closed_on_time and closed_on is not None and closed_on <= as_of:
            on_time[county] += 1
    for code, figures in result.items():
        figures.measured[DistrictFigure.RECTIFICATION_ON_TIME] = _percent(
            on_time.get(code, 0), due.get(code, 0)
        )


def _funds_figures(actor: Actor, year: int, as_of: date, result: dict[str, CountyFigures]) -> None:
    """K9, and the money of the year by tier of the four ones, in total and per operating
    township station (unscored)."""
    stations = dict(
        Station.objects.filter(operating_on_q(day=as_of), kind=StationKind.TOWNSHIP)
        .order_by()
        .values_list("pk", "region__code")
    )
    tiers_of: dict[int, set[str]] = defaultdict(set)
    grants = (
        Grant.objects.filter(year=year)
        .annotate(to_station=Coalesce(F("station_id"), F("project__station_id")))
        .filter(to_station__isnull=False, tier__in=(FundingSource.COUNTY, FundingSource.TOWNSHIP))
        .order_by()
        .values_list("to_station", "tier")
        .distinct()
    )
    for station_id, tier in grants:
        tiers_of[station_id].add(tier)
    in_place: dict[str, int] = defaultdict(int)
    operating: dict[str, int] = defaultdict(int)
    for pk, code in stations.items():
        county = _county_of(code)
        operating[county] += 1
        if {FundingSource.COUNTY, FundingSource.TOWNSHIP} <= tiers_of.get(pk, set()):
            in_place[county] += 1
    # The money by tier is the cockpit's funds panel's (shares of a donation counted once).
    money = {
        code: cockpit_funds(actor=actor, region=figures.region, year=year).by_tier
        for code, figures in result.items()
    }
    for code, figures in result.items():
        figures.measured[DistrictFigure.FUNDS_IN_PLACE] = _percent(
            in_place.get(code, 0), operating.get(code, 0)
        )
        by_tier = money.get(code, {})
        count = operating.get(code, 0)
        figures.figures["funds"] = {
            tier: {
                "total": str(by_tier.get(tier, Decimal(0)).quantize(Decimal("0.01"))),
                "per_station": str(
                    (by_tier.get(tier, Decimal(0)) / count).quantize(Decimal("0.01"), ROUND_HALF_UP)
                )
                if count
                else None,
            }
            for tier in FOUR_ONES
        }
