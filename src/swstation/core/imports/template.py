"""The template workbook an importer offers for download.

Generated, never committed as a binary: the importer's headers (required ones shaded), its
identifier and phone columns formatted as text (so that Excel keeps an 18-digit identity
number as typed instead of rounding it), date columns as dates, a drop-down of the accepted
words for every column that has a list (yes/no, choices, the recipients' categories), and a
填写说明 sheet explaining each column, the synonyms the city accepts, and the lists the
drop-downs read.
"""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from swstation.core.export import safe_cell, safe_row
from swstation.core.import_models import ImportSynonym
from swstation.core.imports.base import Importer
from swstation.core.imports.cells import Column

# Rows of the data sheet formatted in advance (text, dates) and covered by the drop-downs.
FORMATTED_ROWS = 2000
VALIDATED_ROWS = 5000
# The columns of the instructions sheet; the drop-downs' lists start after them.
NOTE_COLUMNS = 5


def template_workbook(importer_class: type[Importer]) -> bytes:
    """An empty workbook with the importer's headers and a sheet explaining each column."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = (str(importer_class.title) or "Sheet1")[:31]
    notes = workbook.create_sheet(_("Instructions")[:31])
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FFF2CC")
    synonyms = _synonyms_by_vocabulary()
    list_column = NOTE_COLUMNS + 2  # one empty column between the notes and the lists
    for index, column in enumerate(importer_class.columns, start=1):
        cell = sheet.cell(row=1, column=index, value=safe_cell(column.header))
        cell.font = bold
        if column.required:
            cell.fill = required_fill
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, len(column.header) * 2 + 4)
        if column.text_formatted:
            sheet.column_dimensions[letter].width = max(22, len(column.header) * 2 + 4)
            sheet.column_dimensions[letter].number_format = "@"
            for row in range(2, FORMATTED_ROWS + 1):
                sheet.cell(row=row, column=index).number_format = "@"
        if column.kind == "date":
            for row in range(2, FORMATTED_ROWS + 1):
                sheet.cell(row=row, column=index).number_format = "yyyy-mm-dd"
        words = importer_class.accepted_values(column)
        if words:
            # The list sits on the instructions sheet (any length), the drop-down refers to it.
            list_letter = get_column_letter(list_column)
            notes.cell(row=1, column=list_column, value=safe_cell(column.header)).font = bold
            for offset, word in enumerate(words, start=2):
                notes.cell(row=offset, column=list_column, value=safe_cell(word))
            notes.column_dimensions[list_letter].width = max(12, len(column.header) * 2 + 4)
            validation = DataValidation(
                type="list",
                formula1=(
                    f"{quote_sheetname(notes.title)}!${list_letter}$2:"
                    f"${list_letter}${len(words) + 1}"
                ),
                allow_blank=True,
                # A cell holding several values (类别: 低保、独居老人) is not one of the list.
                showErrorMessage=not column.separator,
            )
            validation.add(f"{letter}2:{letter}{VALIDATED_ROWS}")
            sheet.add_data_validation(validation)
            list_column += 1
    sheet.freeze_panes = "A2"

    header = [_("Column"), _("Required"), _("Accepted values"), _("Also accepted"), _("Notes")]
    for index, text in enumerate(header, start=1):
        notes.cell(row=1, column=index, value=safe_cell(text)).font = bold
    row_number = 2
    for column in importer_class.columns:
        values = [
            column.header,
            _("yes") if column.required else "",
            describe_values(column, importer_class.accepted_values(column)),
            "、".join(synonyms.get(column.vocabulary_key, [])),
            str(column.help),
        ]
        for index, value in enumerate(safe_row(values), start=1):
            notes.cell(row=row_number, column=index, value=value)
        row_number += 1
    row_number += 1
    lines = []
    if importer_class.key_help:
        lines.append((_("Existing records"), str(importer_class.key_help)))
    lines.append(
        (
            _("Rules"),
            _(
                "Keep the headers in one row above the data. Columns may be in any order; "
                "columns the import does not know are named in the preview. An empty cell "
                "leaves an existing record's value as it is; write 清空 to clear it. The whole "
                "file is imported only if every row is valid."
            ),
        )
    )
    lines.append(
        (
            _("Numbers as text"),
            _(
                "Identity numbers, phones and certificate numbers go into the columns formatted "
                "as Text. If you paste numbers from another file, paste them as values into "
                "these columns; a number typed into a General column loses its last digits and "
                "is refused."
            ),
        )
    )
    for title, text in lines:
        notes.cell(row=row_number, column=1, value=safe_cell(title)).font = bold
        notes.cell(row=row_number, column=NOTE_COLUMNS, value=safe_cell(text))
        row_number += 1
    for letter, width in zip("ABCDE", (22, 8, 40, 30, 70), strict=True):
        notes.column_dimensions[letter].width = width
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _synonyms_by_vocabulary() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for vocabulary, text, means in ImportSynonym.objects.values_list("vocabulary", "text", "means"):
        found.setdefault(vocabulary, []).append(f"{text} → {means}")
    return found


def describe_values(column: Column, words: list[str] | None = None) -> str:
    """The values a column accepts, for the start page and the instructions sheet."""
    if column.kind == "bool":
        return _("是 or 否")
    if column.kind == "date":
        return _("a date: YYYY-MM-DD or an Excel date")
    if column.kind in ("identifier", "phone"):
        return _("text (a column formatted as Text)")
    shown = words if words is not None else column.labels()
    if column.separator and shown:
        return _("one or more of: %(words)s") % {"words": "、".join(shown)}
    return "、".join(shown)
