"""The hours certificate (志愿服务时长证明) of a volunteer for one year, as an .xlsx workbook.

The hours are summed from the records (every hours source, hours.py), never typed: the
certificate lists the total, the hours by source and the service records naming the volunteer
that year. The identity number is printed masked, as every page shows it (a certificate leaves
the system: no full number in it, nothing to log)."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from swstation.core.actors import Actor
from swstation.core.export import safe_cell, sheet_title
from swstation.volunteers.hours import hours_by_source, hours_sources
from swstation.volunteers.models import Volunteer
from swstation.volunteers.selectors import ZERO, volunteer_services, year_period


@dataclass
class Certificate:
    volunteer: Volunteer
    year: int
    issued_on: date
    by_source: list[tuple[str, Decimal]] = field(default_factory=list)
    # The service records: day, kind of service, hours (never the person served: a
    # certificate leaves the system).
    lines: list[tuple[date, str, Decimal]] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((hours for _, hours in self.by_source), ZERO)

    @property
    def title(self) -> str:
        return _("Volunteer service hours certificate")

    @property
    def statement(self) -> str:
        start, end = year_period(self.year)
        # The year so far, when it is not over.
        end = min(end, max(start, self.issued_on))
        return _(
            "This is to certify that %(name)s (identity card %(number)s), a volunteer of "
            "%(station)s, gave %(hours)s hours of volunteer service from %(start)s to %(end)s."
        ) % {
            "name": self.volunteer.name,
            "number": self.volunteer.id_number_masked or "—",
            "station": self.volunteer.station.name,
            "hours": f"{self.total:.2f}",
            "start": date_format(start, "DATE_FORMAT"),
            "end": date_format(end, "DATE_FORMAT"),
        }


def volunteer_certificate(*, actor: Actor, volunteer: Volunteer, year: int) -> Certificate:
    """The certificate of ``volunteer`` for ``year``: hours by source (every registered source)
    and the service records of that year the reader may see."""
    found = hours_by_source([volunteer.pk], year_period(year))
    certificate = Certificate(volunteer, year, timezone.localdate())
    certificate.by_source = [
        (str(s.label), found.get(s.key, {}).get(volunteer.pk, ZERO)) for s in hours_sources()
    ]
    for row in volunteer_services(actor=actor, volunteer=volunteer, year=year):
        record = row.record
        certificate.lines.append((record.served_on, record.get_service_type_display(), row.hours))
    return certificate


THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def certificate_workbook(certificate: Certificate) -> Workbook:
    """One sheet: the title, the statement, the hours by source with the total, the records,
    the issuing station and date."""
    workbook = Workbook()
    sheet: Any = workbook.active
    sheet.title = sheet_title(_("Hours certificate"))
    for letter, width in zip("ABCD", (16, 24, 16, 14), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.merge_cells("A1:D1")
    sheet["A1"] = certificate.title
    sheet["A1"].font = Font(size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.merge_cells("A3:D3")
    sheet["A3"] = safe_cell(certificate.statement)
    sheet["A3"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[3].height = 60
    row: int = 5
    sheet.cell(row, 1, _("Source")).font = Font(bold=True)
    sheet.cell(row, 4, _("hours")).font = Font(bold=True)
    for label, hours in certificate.by_source:
        if not hours:
            continue  # a source the volunteer gave no hours to that year
        row += 1
        sheet.cell(row, 1, safe_cell(label))
        sheet.cell(row, 4, float(hours)).number_format = "0.00"
    row += 1
    sheet.cell(row, 1, _("Total hours")).font = Font(bold=True)
    total = sheet.cell(row, 4, float(certificate.total))
    total.number_format = "0.00"
    total.font = Font(bold=True)
    row += 2
    headers = (_("date"), _("service type"), "", _("hours"))
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row, column, str(header))
        cell.font = Font(bold=True)
        cell.border = BOX
    for served_on, kind, hours in certificate.lines:
        row += 1
        values = (served_on, kind, None, float(hours))
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row, column, safe_cell(value))
            cell.border = BOX
            if column == 1:
                cell.number_format = "yyyy-mm-dd"
            if column == 4:
                cell.number_format = "0.00"
    row += 2
    sheet.cell(row, 3, safe_cell(certificate.volunteer.station.name))
    row += 1
    sheet.cell(row, 3, certificate.issued_on).number_format = "yyyy-mm-dd"
    return workbook
