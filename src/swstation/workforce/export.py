"""The payment list of a batch as an Excel workbook (openpyxl, as core/export.py does for list
pages): a title block, one row per line with the phone masked whoever asks (the list is printed
and passed on), then the total. Every cell goes through core.export's safe_cell."""

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from swstation.core.export import safe_row, xlsx_response
from swstation.core.masking import mask_phone
from swstation.workforce.models import Payment, PaymentBatch

EXPORT_COLUMNS = (
    gettext_lazy("No."),
    gettext_lazy("name"),
    gettext_lazy("mobile phone"),
    gettext_lazy("station"),
    gettext_lazy("works in"),
    gettext_lazy("certificate level"),
    gettext_lazy("certificate number"),
    gettext_lazy("obtained on"),
    gettext_lazy("month"),
    gettext_lazy("amount (yuan)"),
)
EXPORT_WIDTHS = (6, 12, 14, 28, 14, 22, 22, 12, 10, 14)


def payment_list_response(
    batch: PaymentBatch, lines: QuerySet[Payment], count: int, amount: Decimal
) -> HttpResponse:
    """The reviewable payment list of ``batch`` (its ``lines``, ``count`` and total ``amount``
    read by the selectors) as an .xlsx download."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Payment list"))
    for index, width in enumerate(EXPORT_WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    bold = Font(bold=True)

    def strong(value: Any) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = bold
        return cell

    def money(value: Any, *, total: bool = False) -> WriteOnlyCell:
        cell = strong(value) if total else WriteOnlyCell(sheet, value=value)
        cell.number_format = "#,##0.00"
        return cell

    sheet.append(safe_row([strong(_("Payment list: %(batch)s") % {"batch": batch})]))
    status = batch.get_status_display()
    if batch.approved_by is not None and batch.approved_at is not None:
        status += " · " + _("approved by %(user)s on %(date)s") % {
            "user": batch.approved_by,
            "date": timezone.localdate(batch.approved_at).isoformat(),
        }
    if batch.paid_on:
        status += " · " + _("paid on %(date)s") % {"date": batch.paid_on.isoformat()}
    sheet.append(safe_row([_("Paying region"), batch.region.name, _("Status"), status]))
    sheet.append([])
    sheet.append(safe_row([strong(str(column)) for column in EXPORT_COLUMNS]))
    for number, line in enumerate(lines.iterator(chunk_size=1000), start=1):
        person = line.social_worker
        sheet.append(
            safe_row(
                [
                    number,
                    person.name,
                    mask_phone(person.phone),
                    person.station.name if person.station else "",
                    person.region.name,
                    line.certificate.get_level_display(),
                    line.certificate.number,
                    line.certificate.obtained_on,
                    line.month.strftime("%Y-%m") if line.month else "",
                    money(line.amount),
                ]
            )
        )
    sheet.append(
        safe_row([strong(_("Total")), "", "", "", "", "", "", "", count, money(amount, total=True)])
    )
    return xlsx_response(workbook, f"payment-batch-{batch.pk}-{timezone.localdate():%Y%m%d}.xlsx")
