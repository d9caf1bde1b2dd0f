"""The template workbook an importer offers for download."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from swstation.core.export import safe_cell, safe_row
from swstation.core.imports.base import Importer
from swstation.core.imports.cells import Column


def template_workbook(importer_class: type[Importer]) -> bytes:
    """An empty workbook with the importer's headers (drop-down lists for choice and yes/no
    columns) and a sheet explaining each column; generated, never committed as a binary."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = (str(importer_class.title) or "Sheet1")[:31]
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FFF2CC")
    for index, column in enumerate(importer_class.columns, start=1):
        cell = sheet.cell(row=1, column=index, value=safe_cell(column.header))
        cell.font = bold
        if column.required:
            cell.fill = required_fill
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, len(column.header) * 2 + 4)
        options = column.labels() if column.kind == "choice" else []
        if column.kind == "bool":
            options = ["是", "否"]
        formula = '"' + ",".join(options) + '"'
        if options and len(formula) <= 255:
            validation = DataValidation(type="list", formula1=formula, allow_blank=True)
            validation.add(f"{letter}2:{letter}5000")
            sheet.add_data_validation(validation)
        if column.kind == "date":
            for row in range(2, 201):
                sheet.cell(row=row, column=index).number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet(_("Instructions")[:31])
    notes.append(safe_row([_("Column"), _("Required"), _("Accepted values"), _("Notes")]))
    for cell in notes[1]:
        cell.font = bold
    for column in importer_class.columns:
        notes.append(
            safe_row(
                [
                    column.header,
                    _("yes") if column.required else "",
                    describe_values(column),
                    str(column.help),
                ]
            )
        )
    notes.append([])
    if importer_class.key_help:
        notes.append(safe_row([_("Existing records"), "", "", str(importer_class.key_help)]))
    notes.append(
        safe_row(
            [
                _("Rules"),
                "",
                "",
                _(
                    "Keep the headers in the first row. Columns may be in any order; other columns "
                    "are ignored. An empty cell leaves an existing record's value as it is. The "
                    "whole file is imported only if every row is valid."
                ),
            ]
        )
    )
    for letter, width in zip("ABCD", (22, 8, 50, 70), strict=True):
        notes.column_dimensions[letter].width = width
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def describe_values(column: Column) -> str:
    if column.kind == "choice":
        return "、".join(column.labels())
    if column.kind == "bool":
        return _("是 or 否")
    if column.kind == "date":
        return _("a date: YYYY-MM-DD or an Excel date")
    return ""
