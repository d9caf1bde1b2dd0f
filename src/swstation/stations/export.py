"""The rollout table as an Excel workbook (openpyxl, as core/export.py does for list pages)."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from swstation.core.export import export_filename, safe_row, sheet_title, xlsx_response
from swstation.stations.selectors import Rollout, RolloutRow


def _percent(share: float | None) -> float | str:
    return "" if share is None else round(share * 100, 1)


def rollout_rows(rollout: Rollout) -> list[list[object]]:
    """Stations built per year and district, with totals and coverage: the page's table."""
    header: list[object] = [
        _("District"),
        _("Division code"),
        *[str(year) for year in rollout.years],
        _("Built"),
        _("Towns and streets"),
        _("With an operating station"),
        _("Coverage (%)"),
    ]

    def line(row: RolloutRow) -> list[object]:
        return [
            row.name,
            row.code,
            *[row.built_by_year.get(year, 0) for year in rollout.years],
            row.built,
            row.townships,
            row.operating,
            _percent(row.coverage),
        ]

    return [header, *[line(row) for row in rollout.rows], line(rollout.total)]


def cumulative_rows(rollout: Rollout) -> list[list[object]]:
    """Cumulative coverage by the end of each year (built ÷ towns and streets, in %)."""
    header: list[object] = [
        _("District"),
        _("Division code"),
        _("Towns and streets"),
        *[f"{year} (%)" for year in rollout.years],
    ]

    def line(row: RolloutRow) -> list[object]:
        return [
            row.name,
            row.code,
            row.townships,
            *[_percent(row.cumulative_coverage(year)) for year in rollout.years],
        ]

    return [header, *[line(row) for row in rollout.rows], line(rollout.total)]


def rollout_workbook_response(rollout: Rollout) -> HttpResponse:
    workbook = Workbook(write_only=True)
    for title, rows in (
        (_("Built per year"), rollout_rows(rollout)),
        (_("Cumulative coverage"), cumulative_rows(rollout)),
    ):
        sheet = workbook.create_sheet(title=sheet_title(title))
        for row in rows:
            sheet.append(safe_row(row))
    return xlsx_response(workbook, export_filename(_("Station rollout"), "xlsx"))
