"""A project's closing report as an .xlsx workbook (issue 12, "Closing report ... printable and
.xlsx"): a sheet with the project and the report's text, a sheet of the indicators against
their targets (each assessment indicator with its standard), a sheet listing the photos and
documents."""

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from swstation.core.export import safe_row, sheet_title
from swstation.projects.models import ProjectReport
from swstation.projects.selectors import ProjectProgress

BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def report_workbook(report: ProjectReport, progress: ProjectProgress) -> Workbook:
    project = report.project
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = sheet_title(_("Closing report"))
    rows = [
        (_("project"), project.name),
        (_("station"), project.station.name),
        (_("category"), project.get_category_display()),
        (_("service field"), project.get_field_display()),
        (_("project period"), f"{project.starts_on:%Y-%m-%d} – {project.ends_on:%Y-%m-%d}"),
        (_("status"), project.get_status_display()),
        (_("lead social worker"), project.lead.name),
        (_("partner organisations"), "、".join(project.partner_list)),
        (_("written on"), report.written_on),
        (_("outcomes"), report.outcomes),
        (_("service stories"), report.stories),
        (_("lessons and next steps"), report.lessons),
    ]
    for label, value in rows:
        sheet.append(safe_row([str(label), value]))
        sheet.cell(row=sheet.max_row, column=1).font = BOLD
        sheet.cell(row=sheet.max_row, column=2).alignment = WRAP
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 90
    figures = book.create_sheet(sheet_title(_("Indicators")))
    header = [
        _("objective"),
        _("indicator"),
        _("measured by"),
        _("assessment standard"),
        _("target"),
        _("actual"),
        _("unit"),
        _("state"),
        _("note"),
    ]
    figures.append([str(h) for h in header])
    for cell in figures[1]:
        cell.font = BOLD
    for row in progress.indicators:
        indicator = row.indicator
        figures.append(
            safe_row(
                [
                    indicator.objective,
                    indicator.name,
                    indicator.get_measure_display(),
                    row.standard_label,
                    indicator.target,
                    row.actual,
                    row.unit,
                    row.state_label,
                    row.detail or indicator.evidence_note,
                ]
            )
        )
    for column, width in zip("ABCDEFGHI", (30, 24, 20, 36, 10, 10, 8, 12, 30), strict=True):
        figures.column_dimensions[column].width = width
    files = book.create_sheet(sheet_title(_("Photos and documents")))
    files.append([str(_("title")), str(_("kind")), str(_("date"))])
    for cell in files[1]:
        cell.font = BOLD
    for item in project.attachments.filter(in_report=True).order_by("taken_on", "pk"):
        files.append(safe_row([item.title, item.get_kind_display(), item.taken_on]))
    files.column_dimensions["A"].width = 40
    return book
