"""The payment list of a batch as an Excel workbook (openpyxl, as core/export.py does for list
pages): a title block, one row per line, then the total. Every cell goes through core.export's
safe_cell; money is a number formatted ``#,##0.00``, dates are dates.

Two versions (issue 10, "a payment roster finance can pay from"):

- the reviewable list, for every role that reads batches: the phone, ID number and bank
  account masked (the list is printed and passed on);
- the roster finance pays from, for the roles that pay (the bureaus: those who may change a
  batch): each payee's ID number, bank and bank account in full. Each such export is a line of
  the personal-data access log (``core.audit.record_personal_data_access``), written by the
  view before the file is made.
"""

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from swstation.core.crypto import decrypt
from swstation.core.export import (
    DATE_FORMAT,
    MONEY_FORMAT,
    export_filename,
    safe_row,
    sheet_title,
    xlsx_response,
)
from swstation.core.masking import mask_phone
from swstation.workforce.models import Payment, PaymentBatch

EXPORT_COLUMNS = (
    gettext_lazy("No."),
    pgettext_lazy("person", "name"),
    gettext_lazy("mobile phone"),
    gettext_lazy("station"),
    gettext_lazy("works in"),
    gettext_lazy("certificate level"),
    gettext_lazy("certificate number"),
    gettext_lazy("obtained on"),
    gettext_lazy("month"),
    gettext_lazy("amount (yuan)"),
    gettext_lazy("ID number"),
    gettext_lazy("bank"),
    gettext_lazy("bank account"),
)
EXPORT_WIDTHS = (6, 12, 14, 28, 14, 22, 22, 12, 10, 14, 22, 20, 26)


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def payment_list_response(
    batch: PaymentBatch,
    lines: QuerySet[Payment],
    count: int,
    amount: Decimal,
    *,
    payment_details: bool = False,
) -> HttpResponse:
    """The payment list of ``batch`` (its ``lines``, ``count`` and total ``amount`` read by
    the selectors) as an .xlsx download; with ``payment_details``, the roster finance pays
    from (ID and bank account numbers in full: the caller checks the role and logs it)."""
    title = _("Payment roster") if payment_details else _("Payment list")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title(title))
    for index, width in enumerate(EXPORT_WIDTHS):
        sheet.column_dimensions[_letter(index)].width = width
    bold = Font(bold=True)

    def strong(value: Any) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = bold
        return cell

    def money(value: Any, *, total: bool = False) -> WriteOnlyCell:
        cell = strong(value) if total else WriteOnlyCell(sheet, value=value)
        cell.number_format = MONEY_FORMAT
        return cell

    def day(value: Any, number_format: str = DATE_FORMAT) -> Any:
        if value is None:
            return None
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = number_format
        return cell

    sheet.append(safe_row([strong(_("%(title)s: %(batch)s") % {"title": title, "batch": batch})]))
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
        if payment_details:
            id_number = decrypt(person.id_number_encrypted)
            account = decrypt(person.bank_account_encrypted)
        else:
            id_number, account = person.id_number_masked, person.bank_account_masked
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
                    day(line.certificate.obtained_on),
                    line.month.strftime("%Y-%m") if line.month else "",
                    money(line.amount),
                    id_number,  # text: 18 digits would lose their last ones as a number
                    person.bank_name,
                    account,
                ]
            )
        )
    sheet.append(
        safe_row([strong(_("Total")), "", "", "", "", "", "", "", count, money(amount, total=True)])
    )
    name = f"{title}-{batch.region.name}-{batch.period_start:%Y%m}-{batch.period_end:%Y%m}"
    return xlsx_response(workbook, export_filename(name, "xlsx"))
