"""The cockpit's charts as plain data: each chart is a table (columns and rows, every number
with the link to the records behind it), the ECharts series drawn from it, and the same table
as an .xlsx sheet. Presentation only: the figures come from ``selectors.cockpit``."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from swstation.cases.models import CaseStage, ElderlyStandard
from swstation.core.export import safe_row, sheet_title
from swstation.core.numbers import format_money, format_number
from swstation.dashboard.selectors import AreaFigures, Cockpit, Hidden, Period
from swstation.regions.codes import code_of_prefix
from swstation.stations.models import StationKind
from swstation.workforce.models import BatchStatus


@lru_cache(maxsize=64)
def _path(name: str, script_prefix: str) -> str:
    # A cockpit links to a few list pages a few hundred times; reverse each once per prefix.
    return reverse(name)


def list_url(name: str, **params: Any) -> str:
    """A list page filtered by ``params`` (empty values left out). ``region_code`` is given
    as a region's prefix and sent as its full code, which the list's region filter reads as
    everything in the region and shows by its name (never a raw code, issue 10)."""
    if params.get("region_code"):
        params["region_code"] = code_of_prefix(str(params["region_code"]))
    path = _path(name, get_script_prefix())
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")}, doseq=True)
    return f"{path}?{query}" if query else path


@dataclass
class Cell:
    value: Any
    url: str | None = None

    @property
    def is_number(self) -> bool:
        return isinstance(self.value, int | float | Decimal) and not isinstance(self.value, bool)


@dataclass
class Chart:
    """``kind``: bar, line, pie or barline (bars with a line on a second axis). ``series`` names
    the table columns drawn, by index; the first column holds the categories."""

    id: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    kind: str = "bar"
    series: list[int] = field(default_factory=lambda: [1])
    line_series: list[int] = field(default_factory=list)
    percent_columns: list[int] = field(default_factory=list)
    note: str = ""
    horizontal: bool = False

    def echarts(self) -> dict[str, Any]:
        """What cockpit.js needs to draw the chart (no markup, no options logic in Python)."""
        return {
            "id": self.id,
            "kind": self.kind,
            "horizontal": self.horizontal,
            "categories": [str(row[0].value) for row in self.rows],
            "links": [row[0].url or (row[1].url if len(row) > 1 else None) for row in self.rows],
            "series": [
                {
                    "name": self.columns[index],
                    "data": [self._number(row[index], index) for row in self.rows],
                    "line": index in self.line_series,
                    "percent": index in self.percent_columns,
                }
                for index in self.series
            ],
        }

    def _number(self, cell: Cell, index: int) -> float | None:
        if cell.value is None:
            return None
        value = float(cell.value)
        return round(value * 100, 1) if index in self.percent_columns else value

    def display(self, index: int, cell: Cell) -> str:
        if index == 0:  # the category: a name, a month or a year, never a quantity
            return str(cell.value)
        if cell.value is None:
            return "—"
        if index in self.percent_columns:
            return f"{Decimal(cell.value) * 100:.1f}%"
        if isinstance(cell.value, Decimal):
            return format_number(cell.value, places=2)
        if isinstance(cell.value, int):
            return f"{cell.value:,}"
        return str(cell.value)

    def display_rows(self) -> list[list[dict[str, Any]]]:
        return [
            [
                {"text": self.display(i, cell), "url": cell.url, "number": i > 0 and cell.is_number}
                for i, cell in enumerate(row)
            ]
            for row in self.rows
        ]

    def workbook(self, subtitle: str) -> Workbook:
        book = Workbook()
        sheet = book.active
        sheet.title = sheet_title(self.title)
        sheet.append(safe_row([self.title, subtitle]))
        sheet.append(safe_row(self.columns))
        for row in self.rows:
            values: list[Any] = []
            for index, cell in enumerate(row):
                value = cell.value
                if isinstance(value, Decimal):
                    value = float(value * 100 if index in self.percent_columns else value)
                values.append(value)
            sheet.append(safe_row(values))
        return book


def _month_end(month: date) -> date:
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


# --- the charts: one pure builder per chart, drawn in the order of CHART_BUILDERS --------------

ChartBuilder = Callable[[Cockpit], Chart | None]
"""Builds one chart from the cockpit's figures, or None when it has nothing to show there (a
chart by child region, for a region without children)."""


def _served_in_period(cockpit: Cockpit) -> dict[str, date]:
    return {"served_after": cockpit.period.start, "served_before": cockpit.period.end}


def _open_stages() -> list[str]:
    return [s for s in CaseStage.values if s != CaseStage.CLOSED]


def cases_url(cockpit: Cockpit, prefix: str, stages: list[str] | str) -> str:
    """The cases at ``stages`` on the period's end, at the stations they were at then (the
    case list ``as_of`` that day, cases.selectors.dated)."""
    return list_url("cases:case_list", as_of=cockpit.period.as_of, stage=stages, region_code=prefix)


def cases_opened_url(cockpit: Cockpit, prefix: str) -> str:
    period = cockpit.period
    return list_url(
        "cases:case_list",
        as_of=period.as_of,
        opened_after=period.start,
        opened_before=period.as_of,
        region_code=prefix,
    )


def overdue_url(cockpit: Cockpit, prefix: str) -> str:
    """The visit plans overdue on the period's end (today while it runs)."""
    return list_url("cases:visitschedule_list", overdue_on=cockpit.period.as_of, region_code=prefix)


def certified_url(cockpit: Cockpit, prefix: str, level: str = "") -> str:
    """The people holding a certificate on the period's end (at ``level``: their highest then)."""
    return list_url(
        "workforce:socialworker_list",
        certified_on=cockpit.period.as_of,
        level=level,
        region_code=prefix,
    )


def operating_stations_url(cockpit: Cockpit, prefix: str) -> str:
    """The township stations operating on the period's end (the station list
    ``operating_on`` that day: opened by then, not suspended then)."""
    return list_url(
        "stations:station_list",
        kind=StationKind.TOWNSHIP,
        operating_on=cockpit.period.as_of,
        region_code=prefix,
    )


def non_compliant_url(cockpit: Cockpit, prefix: str) -> str:
    """The stations operating on the period's end that fell short of the standard in force
    then, with the staff, rooms and sign they had then."""
    return list_url(
        "stations:station_list",
        compliant="false",
        operating_on=cockpit.period.as_of,
        region_code=prefix,
    )


def newly_certified_url(year: int, prefix: str) -> str:
    """The people whose first certificate is of ``year`` (not the certificates of the year: a
    promotion is not a newly certified person)."""
    return list_url("workforce:socialworker_list", first_certified_year=year, region_code=prefix)


def unserved_villages_url(cockpit: Cockpit, region_code: str) -> str:
    """The villages and communities with no service in the coverage window."""
    return list_url("dashboard:villages", region=region_code, **period_params(cockpit))


def served_villages_url(cockpit: Cockpit, region_code: str) -> str:
    return list_url(
        "dashboard:villages", region=region_code, served="true", **period_params(cockpit)
    )


def stations_built_chart(cockpit: Cockpit) -> Chart:
    cumulative = 0
    rows = []
    for built_year in sorted(cockpit.built_by_year):
        cumulative += cockpit.built_by_year[built_year]
        url = list_url(
            "stations:station_list",
            kind=StationKind.TOWNSHIP,
            opened_year=built_year,
            region_code=cockpit.region.prefix,
        )
        rows.append(
            [Cell(built_year, url), Cell(cockpit.built_by_year[built_year], url), Cell(cumulative)]
        )
    return Chart(
        "stations-built",
        _("Township stations built per year"),
        [_("Year"), _("Built"), _("Cumulative")],
        rows,
        kind="barline",
        series=[1, 2],
        line_series=[2],
    )


def township_coverage_chart(cockpit: Cockpit) -> Chart | None:
    if not cockpit.areas:
        return None
    return Chart(
        "township-coverage",
        _("Coverage of towns and streets"),
        [_("Region"), _("Towns and streets"), _("Operating stations"), _("Coverage")],
        [
            [
                _area_cell(cockpit, a),
                Cell(a.townships),
                Cell(
                    a.stations_operating,
                    operating_stations_url(cockpit, a.prefix),
                ),
                Cell(a.township_coverage),
            ]
            for a in cockpit.areas
            if a.townships
        ],
        kind="barline",
        series=[1, 2, 3],
        line_series=[3],
        percent_columns=[3],
        note=_("Development zones are not counted."),
    )


def compliance_chart(cockpit: Cockpit) -> Chart:
    return Chart(
        "compliance",
        _("Compliance with the construction standard"),
        [_("Region"), _("Stations assessed"), _("Compliant"), _("Not compliant"), _("Rate")],
        [
            [
                _area_cell(cockpit, a),
                Cell(a.stations_assessed),
                Cell(a.stations_compliant),
                Cell(
                    a.stations_assessed - a.stations_compliant,
                    non_compliant_url(cockpit, a.prefix),
                ),
                Cell(a.compliance_rate),
            ]
            for a in (cockpit.areas or [cockpit.totals])
            if a.stations_assessed
        ],
        kind="barline",
        series=[2, 3, 4],
        line_series=[4],
        percent_columns=[4],
    )


def certified_by_level_chart(cockpit: Cockpit) -> Chart:
    prefix = cockpit.region.prefix
    return Chart(
        "certified-by-level",
        _("Certified social workers by highest level"),
        [_("Level"), _("People")],
        [
            [
                Cell(s.label, certified_url(cockpit, prefix, s.key)),
                Cell(s.count, certified_url(cockpit, prefix, s.key)),
            ]
            for s in cockpit.certified_by_level
        ],
        kind="pie",
        note=_("On %(day)s, each person at the highest level held by then.")
        % {"day": cockpit.period.as_of},
    )


def certified_per_10k_chart(cockpit: Cockpit) -> Chart | None:
    if not cockpit.areas:
        return None
    # Only the regions with a population on record: towns and streets have none, so a
    # district's cockpit draws no chart by town (its own ratio is in the headline).
    ranked = sorted(
        (a for a in cockpit.areas if a.region is not None and a.population),
        key=lambda a: a.certified_per_10k or Decimal(-1),
        reverse=True,
    )
    if not ranked:
        return None
    return Chart(
        "certified-per-10k",
        _("Certified social workers per 10,000 residents"),
        [_("Region"), _("Per 10,000"), _("Certified"), _("Population")],
        [
            [
                _area_cell(cockpit, a),
                Cell(a.certified_per_10k),
                Cell(a.certified, certified_url(cockpit, a.prefix)),
                Cell(a.population),
            ]
            for a in ranked
        ],
        horizontal=True,
    )


def newly_certified_chart(cockpit: Cockpit) -> Chart:
    return Chart(
        "newly-certified",
        _("Newly certified per year"),
        [_("Year"), _("Newly certified"), _("Growth")],
        [
            [
                Cell(row["year"], newly_certified_url(row["year"], cockpit.region.prefix)),
                Cell(row["count"], newly_certified_url(row["year"], cockpit.region.prefix)),
                Cell(None if row["growth"] is None else row["growth"] / 100),
            ]
            for row in cockpit.newly_certified_growth()
        ],
        kind="barline",
        series=[1, 2],
        line_series=[2],
        percent_columns=[2],
        note=_("People whose first certificate was obtained that year."),
    )


def recipients_by_category_chart(cockpit: Cockpit) -> Chart:
    return Chart(
        "recipients-by-category",
        _("Recipients by category"),
        [_("Category"), _("Recipients")],
        [
            [
                Cell(
                    s.label,
                    list_url(
                        "recipients:recipient_list",
                        category=s.key,
                        in_service_on=cockpit.period.as_of,
                        region_code=cockpit.region.prefix,
                    ),
                ),
                Cell(s.count),
            ]
            for s in cockpit.recipients_by_category
        ],
        horizontal=True,
        note=_(
            "People in service on %(day)s (registered by then and not left), in the categories "
            "they held that day; a person may be in several."
        )
        % {"day": cockpit.period.as_of},
    )


def services_by_type_chart(cockpit: Cockpit) -> Chart:
    return Chart(
        "services-by-type",
        _("Services by type"),
        [_("Service type"), _("Services"), _("Hours")],
        [
            [
                Cell(
                    s.label,
                    list_url(
                        "cases:servicerecord_list",
                        service_type=s.key,
                        region_code=cockpit.region.prefix,
                        **_served_in_period(cockpit),
                    ),
                ),
                Cell(s.count),
                Cell((s.total / 60).quantize(Decimal("0.1"))),
            ]
            for s in cockpit.services_by_type
        ],
        kind="pie",
    )


def services_by_month_chart(cockpit: Cockpit) -> Chart:
    return Chart(
        "services-by-month",
        _("Services and people served by month"),
        [_("Month"), _("Services"), _("People served")],
        [
            [
                Cell(
                    s.label,
                    list_url(
                        "cases:servicerecord_list",
                        region_code=cockpit.region.prefix,
                        served_after=s.extra["month"],
                        served_before=_month_end(s.extra["month"]),
                    ),
                ),
                Cell(s.count),
                Cell(s.extra["people"]),
            ]
            for s in cockpit.services_by_month
        ],
        kind="barline",
        series=[1, 2],
        line_series=[2],
    )


def village_coverage_chart(cockpit: Cockpit) -> Chart | None:
    if not cockpit.areas:
        return None
    return Chart(
        "village-coverage",
        _("Villages and communities served"),
        [_("Region"), _("Villages and communities"), _("Served"), _("Not served"), _("Coverage")],
        [
            [
                _area_cell(cockpit, a),
                Cell(a.villages),
                Cell(a.villages_served, served_villages_url(cockpit, a.code)),
                Cell(a.villages - a.villages_served, unserved_villages_url(cockpit, a.code)),
                Cell(a.village_coverage),
            ]
            for a in cockpit.areas
            if a.villages
        ],
        kind="barline",
        series=[1, 2, 4],
        line_series=[4],
        percent_columns=[4],
        note=_("With at least one service in the 12 months to %(day)s.")
        % {"day": cockpit.period.as_of},
    )


def cases_by_stage_chart(cockpit: Cockpit) -> Chart:
    prefix = cockpit.region.prefix
    return Chart(
        "cases-by-stage",
        _("Cases by stage"),
        [_("Stage"), _("Cases")],
        [
            [
                Cell(s.label, cases_url(cockpit, prefix, s.key)),
                Cell(s.count, cases_url(cockpit, prefix, s.key)),
            ]
            for s in cockpit.cases_by_stage
        ],
        note=_("Each case at the stage it was at on %(day)s.") % {"day": cockpit.period.as_of},
    )


def visits_overdue_chart(cockpit: Cockpit) -> Chart | None:
    if not cockpit.areas:
        return None
    return Chart(
        "visits-overdue",
        _("Overdue visits"),
        [_("Region"), _("Overdue visits")],
        [
            [_area_cell(cockpit, a), Cell(a.visits_overdue, overdue_url(cockpit, a.prefix))]
            for a in cockpit.areas
        ],
        series=[1],
        note=_("Visit plans overdue on %(day)s.") % {"day": cockpit.period.as_of},
    )


def _elderly_levels_chart(cockpit: Cockpit, standard: str) -> Chart | None:
    """Elders by the level of their latest assessment under ``standard``: one chart per
    standard, since the same level number means different things under GB/T 42195-2022 (five
    levels) and MZ/T 039-2013 (four), and levels of the two are never added together
    (spec/elderly-assessment-gbt42195.md §8). A standard nobody is assessed under is left out."""
    slices = cockpit.elderly_by_level.get(standard)
    if not slices:
        return None
    prefix = cockpit.region.prefix
    rows = []
    for s in slices:
        url = list_url(
            "cases:elderlyassessment_list",
            standard=standard,
            level=s.extra["level"],
            current="true",
            region_code=prefix,
        )
        rows.append([Cell(s.label, url), Cell(s.count, url)])
    return Chart(
        "elderly-levels-" + "".join(c if c.isalnum() else "-" for c in standard.lower()),
        _("Elders by capability level (%(standard)s)") % {"standard": standard},
        [_("Level (%(standard)s)") % {"standard": standard}, _("Elders")],
        rows,
        note=_(
            "Each elder still served at the level of their latest assessment by %(day)s, if it "
            "was made under %(standard)s. Levels of the two standards are counted apart and "
            "never added together."
        )
        % {"day": cockpit.period.as_of, "standard": standard},
    )


def elderly_levels_gbt42195_chart(cockpit: Cockpit) -> Chart | None:
    return _elderly_levels_chart(cockpit, ElderlyStandard.GBT42195_2022)


def elderly_levels_mzt039_chart(cockpit: Cockpit) -> Chart | None:
    return _elderly_levels_chart(cockpit, ElderlyStandard.MZT039_2013)


def _payments_url(cockpit: Cockpit, kind: str, prefix: str) -> str:
    """The rewards and allowances (of ``kind``, or all; or the station subsidies) paid in the
    period: the records the money figures add up."""
    period = cockpit.period
    paid = {"paid_after": period.start, "paid_before": period.end}
    if kind == "subsidy":
        return list_url(
            "funds:grant_list", subsidies="true", status="paid", region_code=prefix, **paid
        )
    return list_url(
        "workforce:payment_list",
        kind=kind,
        batch_status=BatchStatus.PAID,
        region_code=prefix,
        **paid,
    )


def funds_paid_chart(cockpit: Cockpit) -> Chart:
    return Chart(
        "funds-paid",
        _("Rewards, allowances and subsidies paid"),
        [_("Kind"), _("Payments"), _("Amount (yuan)")],
        [
            [
                Cell(s.label, _payments_url(cockpit, s.key, cockpit.region.prefix)),
                Cell(s.count, _payments_url(cockpit, s.key, cockpit.region.prefix)),
                Cell(s.total),
            ]
            for s in cockpit.payments_by_kind
        ],
        series=[2],
        note=_("Paid in the period."),
    )


CHART_BUILDERS: tuple[ChartBuilder, ...] = (
    stations_built_chart,
    township_coverage_chart,
    compliance_chart,
    certified_by_level_chart,
    certified_per_10k_chart,
    newly_certified_chart,
    recipients_by_category_chart,
    services_by_type_chart,
    services_by_month_chart,
    village_coverage_chart,
    cases_by_stage_chart,
    elderly_levels_gbt42195_chart,
    elderly_levels_mzt039_chart,
    visits_overdue_chart,
    funds_paid_chart,
)
"""The cockpit's charts, in the order the page shows them. A new chart is one builder here."""


def build_charts(cockpit: Cockpit) -> list[Chart]:
    return [chart for build in CHART_BUILDERS if (chart := build(cockpit)) is not None]


def _area_cell(cockpit: Cockpit, area: AreaFigures) -> Cell:
    """A child region's name, linking to its own cockpit (drill-down)."""
    if area.region is None:
        return Cell(area.name)
    query = {"region": area.region.code, **period_params(cockpit)}
    return Cell(area.name, f"{reverse('dashboard:cockpit')}?{urlencode(query)}")


def period_params(cockpit: Cockpit) -> dict[str, str]:
    return period_query(cockpit.period)


def period_query(period: Period) -> dict[str, str]:
    """The period as the cockpit's form reads it (``year``, or ``start`` and ``end``)."""
    if period.is_calendar_year:
        return {"year": str(period.start.year)}
    return {"start": f"{period.start:%Y-%m}", "end": f"{period.end:%Y-%m}"}


def area_table(cockpit: Cockpit) -> Chart:
    """Every headline figure by child region, with the region's total last: the cockpit's
    "by region" table and the district report."""
    period = cockpit.period
    served = {"served_after": period.start, "served_before": period.end}
    columns = [
        _("Region"),
        _("Towns and streets"),
        _("Operating stations"),
        _("Coverage"),
        _("Compliance rate"),
        _("Villages and communities"),
        _("Served"),
        _("Village coverage"),
        _("Certified social workers"),
        _("Per 10,000"),
        _("Newly certified in %(year)s") % {"year": period.year_of_end},
        _("Recipients"),
        _("Services"),
        _("Cases opened"),
        _("Open cases"),
        _("Overdue visits"),
        _("Rewards and allowances paid (yuan)"),
        _("Subsidies paid (yuan)"),
    ]

    def row(a: AreaFigures, name: Cell) -> list[Cell]:
        prefix = a.prefix
        return [
            name,
            Cell(a.townships),
            Cell(
                a.stations_operating,
                operating_stations_url(cockpit, prefix),
            ),
            Cell(a.township_coverage),
            Cell(
                a.compliance_rate,
                non_compliant_url(cockpit, prefix),
            ),
            Cell(a.villages),
            Cell(a.villages_served, served_villages_url(cockpit, a.code)),
            Cell(a.village_coverage, unserved_villages_url(cockpit, a.code)),
            Cell(a.certified, certified_url(cockpit, prefix)),
            Cell(a.certified_per_10k),
            Cell(a.newly_certified, newly_certified_url(period.year_of_end, prefix)),
            Cell(
                a.recipients,
                list_url(
                    "recipients:recipient_list", in_service_on=period.as_of, region_code=prefix
                ),
            ),
            Cell(a.services, list_url("cases:servicerecord_list", region_code=prefix, **served)),
            Cell(a.cases_opened, cases_opened_url(cockpit, prefix)),
            Cell(a.cases_open, cases_url(cockpit, prefix, _open_stages())),
            Cell(a.visits_overdue, overdue_url(cockpit, prefix)),
            Cell(a.payments_paid, _payments_url(cockpit, "", prefix)),
            Cell(a.subsidies_paid, _payments_url(cockpit, "subsidy", prefix)),
        ]

    rows = [row(a, _area_cell(cockpit, a)) for a in cockpit.areas]
    rows.append(row(cockpit.totals, Cell(_("Total: %(name)s") % {"name": cockpit.region.name})))
    return Chart(
        "areas",
        _("Figures by region"),
        columns,
        rows,
        series=[8],
        percent_columns=[3, 4, 7],
    )


@dataclass
class Headline:
    id: str
    label: str
    value: str
    url: str | None
    note: str = ""


def _percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def headlines(cockpit: Cockpit, hidden: dict[str, Hidden] | None = None) -> list[Headline]:
    """The big numbers at the top of the cockpit, each linking to the records behind it.
    ``hidden`` (selectors.hidden_from): by headline, the records behind it that its list
    does not show the user; the note says how many and why."""
    found = _headlines(cockpit)
    for headline in found:
        left_out = (hidden or {}).get(headline.id)
        if left_out is None or not left_out.count:
            continue
        if left_out.reason == "moved":
            note = _(
                "%(hidden)s of them have since moved to stations outside your jurisdiction: "
                "the list shows the others."
            ) % {"hidden": f"{left_out.count:,}"}
        else:
            note = _(
                "%(hidden)s of them concern minors, whose records your role does not see: "
                "the list shows the others."
            ) % {"hidden": f"{left_out.count:,}"}
        headline.note = f"{headline.note}; {note}" if headline.note else note
    return found


def _headlines(cockpit: Cockpit) -> list[Headline]:
    t, prefix, period = cockpit.totals, cockpit.region.prefix, cockpit.period
    year = period.year_of_end
    growth = next(
        (row["growth"] for row in cockpit.newly_certified_growth() if row["year"] == year), None
    )
    served = {"served_after": period.start, "served_before": period.end}
    return [
        Headline(
            "township-coverage",
            _("Township station coverage"),
            _percent(t.township_coverage),
            operating_stations_url(cockpit, prefix),
            _("%(stations)s stations in %(townships)s towns and streets")
            % {"stations": t.stations_operating, "townships": t.townships},
        ),
        Headline(
            "compliance",
            _("Compliance rate"),
            _percent(t.compliance_rate),
            non_compliant_url(cockpit, prefix),
            _("%(ok)s of %(n)s stations meet the standard")
            % {"ok": t.stations_compliant, "n": t.stations_assessed},
        ),
        Headline(
            "village-coverage",
            _("Villages and communities served"),
            _percent(t.village_coverage),
            unserved_villages_url(cockpit, cockpit.region.code),
            _(
                "%(served)s of %(total)s with a service in the 12 months to %(day)s; "
                "%(unserved)s without"
            )
            % {
                "served": f"{t.villages_served:,}",
                "total": f"{t.villages:,}",
                "day": period.as_of,
                "unserved": f"{t.villages - t.villages_served:,}",
            },
        ),
        Headline(
            "certified",
            _("Certified social workers"),
            f"{t.certified:,}",
            certified_url(cockpit, prefix),
            _("%(ratio)s per 10,000 residents")
            % {"ratio": "—" if t.certified_per_10k is None else t.certified_per_10k},
        ),
        Headline(
            "newly-certified",
            _("Newly certified in %(year)s") % {"year": year},
            f"{t.newly_certified:,}",
            newly_certified_url(year, prefix),
            ""
            if growth is None
            else _("%(growth)s%% on the year before") % {"growth": f"{growth:+}"},
        ),
        Headline(
            "recipients",
            _("Recipients being served"),
            f"{t.recipients:,}",
            list_url("recipients:recipient_list", in_service_on=period.as_of, region_code=prefix),
            _("On %(day)s") % {"day": period.as_of},
        ),
        Headline(
            "services",
            _("Services in the period"),
            f"{t.services:,}",
            list_url("cases:servicerecord_list", region_code=prefix, **served),
            _("%(hours)s hours") % {"hours": f"{t.service_minutes / 60:,.0f}"},
        ),
        Headline(
            "cases-open",
            _("Open cases"),
            f"{t.cases_open:,}",
            cases_url(cockpit, prefix, _open_stages()),
            _("%(opened)s opened, %(closed)s closed in the period")
            % {"opened": t.cases_opened, "closed": t.cases_closed},
        ),
        Headline(
            "visits-overdue",
            _("Overdue visits"),
            f"{t.visits_overdue:,}",
            overdue_url(cockpit, prefix),
            _("On %(day)s") % {"day": period.as_of},
        ),
        Headline(
            "payments-paid",
            _("Rewards and allowances paid"),
            format_money(t.payments_paid),
            _payments_url(cockpit, "", prefix),
            _("In the period"),
        ),
        Headline(
            "subsidies-paid",
            _("Station subsidies paid"),
            format_money(t.subsidies_paid),
            _payments_url(cockpit, "subsidy", prefix),
            _("In the period"),
        ),
    ]
