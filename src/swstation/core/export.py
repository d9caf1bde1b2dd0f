"""Export of a list page's table to .csv or .xlsx; and :func:`safe_cell`, through which every
cell of every spreadsheet the platform writes goes.

Safe exports (issue 16): a text beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is a formula to Excel and WPS (CSV injection, OWASP), so it is written with a leading
apostrophe; a number stays a number. A cell holds the value, never markup: HTML that a table
renders for its page (a link around a case number, a badge) is reduced to its text.

Office-ready exports (issue 10): a file and its sheet are named in the user's language after
the list (``服务记录-2026-12-05.xlsx``, sheet ``服务记录``, sent with an RFC 5987 ``filename*``);
numbers, money and dates are typed cells with number formats (a duration in minutes is a number
Excel sums, money ``#,##0.00``, a date a date), read from the record's fields, not from the text
the page shows. The columns of a list page's table are its export's columns.

Rows are read with ``QuerySet.iterator()`` and the table's relations joined once
(:func:`export_queryset`), and written by openpyxl's write-only workbook, so memory stays flat
whatever the number of rows. A list of more than ``EXPORT_IMMEDIATE_MAX_ROWS`` rows is written
by a background task into a file (core/export_jobs.py); smaller ones are answered at once.
"""

import csv
import html
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import IO, Any
from urllib.parse import quote

import django_tables2 as tables
from django.db import models
from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.html import strip_tags
from django.utils.safestring import SafeData
from django.utils.translation import gettext as _
from django_tables2.rows import BoundRow
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font

from swstation.core.numbers import MoneyColumn, NumberColumn

EXPORT_FORMATS = ("csv", "xlsx")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
CONTENT_TYPES = {"csv": CSV_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}

# Number formats of typed cells (Excel's codes; WPS reads them too).
MONEY_FORMAT = "#,##0.00"
INTEGER_FORMAT = "0"
DECIMAL_FORMAT = "General"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Text that is a plain number ("-5", "+3.5", "-12.5%") runs nothing and is left as it is.
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)%?")
# Characters a sheet's title may not hold (Excel), and its length.
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_TITLE_MAX = 31


def safe_cell(value: Any) -> Any:
    """A value as a spreadsheet cell may hold it: text that a spreadsheet would read as a
    formula gets a leading apostrophe; markup (a table's rendered HTML) becomes its text;
    numbers, dates and None are returned as they are. An openpyxl cell has its value made safe.
    """
    if isinstance(value, Cell):
        value.value = safe_cell(value.value)
        return value
    if isinstance(value, SafeData):
        value = html.unescape(strip_tags(str(value))).strip()
    elif isinstance(value, Promise):
        value = str(value)
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_PREFIXES)
        and not _PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """A row for ``sheet.append`` or ``csv.writer.writerow``, every cell through
    :func:`safe_cell`."""
    return [safe_cell(value) for value in values]


def _ascii_fallback(filename: str) -> str:
    stem, dot, extension = filename.rpartition(".")
    ascii_stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-") or "export"
    return f"{ascii_stem}{dot}{extension}" if dot else ascii_stem


def attachment[R: HttpResponseBase](response: R, filename: str) -> R:
    """Mark ``response`` as a download named ``filename``: RFC 6266 with the UTF-8 name in
    ``filename*`` (RFC 5987), which browsers use, and an ASCII ``filename`` for old clients."""
    response["Content-Disposition"] = (
        f'attachment; filename="{_ascii_fallback(filename)}"; '
        f"filename*=UTF-8''{quote(filename, safe='')}"
    )
    return response


def file_response(
    content: bytes, filename: str, content_type: str = XLSX_CONTENT_TYPE
) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    attachment(response, filename)
    return response


def xlsx_response(workbook: Workbook, filename: str) -> HttpResponse:
    """A finished openpyxl workbook as an .xlsx download."""
    buffer = BytesIO()
    workbook.save(buffer)
    return file_response(buffer.getvalue(), filename)


def export_filename(title: str, extension: str, day: date | None = None) -> str:
    """``服务记录-2026-12-05.xlsx``: the list's name in the user's language and the day."""
    name = re.sub(r'[\\/:*?"<>|\s]+', "-", str(title)).strip("-") or "export"
    return f"{name}-{day or timezone.localdate():%Y-%m-%d}.{extension}"


def sheet_title(title: str) -> str:
    """A sheet's title as Excel allows it (no ``[]:*?/\\``, at most 31 characters)."""
    return _SHEET_FORBIDDEN.sub(" ", str(title)).strip()[:SHEET_TITLE_MAX] or "Sheet1"


class _Echo:
    def write(self, value: str) -> str:
        return value


# --- typed columns ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportColumn:
    """One column of an export: its header, how to read a record's cell, its number format."""

    name: str
    header: str
    read: Callable[[Any], Any]
    number_format: str = ""
    width: int = 0


# Column classes whose value is the record's value as it is (no render of their own).
_PLAIN_COLUMNS = (
    tables.Column,
    tables.DateColumn,
    tables.DateTimeColumn,
    tables.BooleanColumn,
    MoneyColumn,
    NumberColumn,
)


def _field_format(field: models.Field[Any, Any] | None) -> str:
    if field is None or field.choices or field.is_relation:
        return ""
    if isinstance(field, models.DecimalField):
        places = field.decimal_places or 0
        return MONEY_FORMAT if places == 2 else ("0." + "0" * places if places else "0")
    if isinstance(field, models.DateTimeField):
        return DATETIME_FORMAT
    if isinstance(field, models.DateField):
        return DATE_FORMAT
    if isinstance(field, models.IntegerField | models.AutoField):
        return INTEGER_FORMAT
    if isinstance(field, models.FloatField):
        return DECIMAL_FORMAT
    return ""


def typed_value(value: Any) -> Any:
    """A value as a cell holds it: numbers, dates and times as such (a datetime in local time,
    without its zone, as Excel wants it), yes/no in words, anything else its (safe) text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return value
    if isinstance(value, SafeData):
        return safe_cell(value)
    return safe_cell(str(value))


def _column_reader(
    table: tables.Table, bound: Any, model: type[models.Model] | None
) -> tuple[Callable[[Any], Any], str]:
    """How to read a column's cell from a record, and the cell's number format.

    A column the table renders or values itself (``render_<name>``/``value_<name>``, a column
    class of its own: masking, labels) is read through django-tables2; a plain column straight
    from the record's field: choices by their label, related records by name, numbers and dates
    typed."""
    name, column = bound.name, bound.column
    accessor = tables.A(bound.accessor)
    field = accessor.get_field(model) if model is not None else None
    number_format = _field_format(field)
    custom = (
        hasattr(table, f"render_{name}")
        or hasattr(table, f"value_{name}")
        or type(column) not in _PLAIN_COLUMNS
        or model is None
    )
    if custom:

        def read_through_table(record: Any) -> Any:
            value = BoundRow(record, table).get_cell_value(name)
            if isinstance(value, int | float | Decimal | date) and not isinstance(value, bool):
                return typed_value(value)
            if number_format and isinstance(value, str) and value:
                return safe_cell(value)  # the table's own wording wins over the field's type
            return typed_value(value) if value not in ("", None) else None

        return read_through_table, number_format

    if field is not None and field.choices:
        labels = {key: str(label) for key, label in field.flatchoices}

        def read_choice(record: Any) -> Any:
            value = accessor.resolve(record, quiet=True)
            return labels.get(value, value) if value not in ("", None) else None

        return read_choice, ""

    def read_value(record: Any) -> Any:
        return typed_value(accessor.resolve(record, quiet=True))

    return read_value, number_format


def export_columns(table: tables.Table) -> list[ExportColumn]:
    """The columns of ``table`` as its export has them (those excluded from export left out)."""
    model = getattr(table.data, "model", None)
    columns = []
    for bound in table.columns.iterall():
        if bound.column.exclude_from_export:
            continue
        read, number_format = _column_reader(table, bound, model)
        columns.append(ExportColumn(bound.name, str(bound.header), read, number_format))
    return columns


def _relations(model: type[models.Model], accessors: Iterable[str]) -> list[str]:
    """The forward relations (many-to-one, one-to-one) the accessors go through, as
    ``select_related`` paths, so that a row's cells cost no query of their own."""
    paths = set()
    for accessor in accessors:
        current: Any = model
        path: list[str] = []
        for part in str(accessor).replace(".", "__").split("__"):
            try:
                field = current._meta.get_field(part)
            except Exception:
                break
            if not (field.is_relation and (field.many_to_one or field.one_to_one)):
                break
            if field.auto_created and not field.concrete:
                break  # a reverse one-to-one: not joined
            path.append(part)
            current = field.related_model
        if path:
            paths.add("__".join(path))
    return sorted(paths)


def export_queryset(table: tables.Table) -> QuerySet[Any] | None:
    """The table's (filtered, ordered) queryset with the relations its columns read joined;
    None when the table's data is not a queryset."""
    queryset = getattr(table.data, "data", None)
    if not isinstance(queryset, QuerySet):
        return None
    accessors = [bound.accessor for bound in table.columns.iterall()]
    related = _relations(queryset.model, accessors)
    if related:
        queryset = queryset.select_related(*related)
    # Many-to-many columns (a person's categories): one query per chunk of rows, not per row.
    many = sorted(
        {
            str(accessor).split("__")[0]
            for accessor in accessors
            if _is_many_to_many(queryset.model, str(accessor).split("__")[0])
        }
        - {str(lookup) for lookup in getattr(queryset, "_prefetch_related_lookups", ())}
    )
    return queryset.prefetch_related(*many) if many else queryset


def _is_many_to_many(model: type[models.Model], name: str) -> bool:
    try:
        field = model._meta.get_field(name)
    except Exception:
        return False
    return bool(field.many_to_many)


def export_count(table: tables.Table, limit: int | None = None) -> int:
    """The number of rows the export of ``table`` will have (counted at most to ``limit``)."""
    queryset = getattr(table.data, "data", None)
    if isinstance(queryset, QuerySet):
        if limit is not None:
            return queryset.order_by()[: limit + 1].count()
        return queryset.order_by().count()
    return len(table.data)


def iter_records(table: tables.Table, chunk_size: int = 2000) -> Iterator[Any]:
    queryset = export_queryset(table)
    if queryset is None:
        yield from table.data
        return
    yield from queryset.iterator(chunk_size=chunk_size)


def typed_rows(
    table: tables.Table, columns: list[ExportColumn] | None = None
) -> Iterator[list[Any]]:
    """The export's rows (without the header), every cell typed and safe."""
    columns = columns if columns is not None else export_columns(table)
    readers = [column.read for column in columns]
    for record in iter_records(table):
        yield [read(record) for read in readers]


# --- writers ---------------------------------------------------------------------------------

Progress = Callable[[int], None]
PROGRESS_EVERY = 2000


def _width(header: str, number_format: str) -> int:
    if number_format in (DATE_FORMAT, DATETIME_FORMAT):
        return 12 if number_format == DATE_FORMAT else 17
    if number_format == MONEY_FORMAT:
        return 14
    return max(10, min(40, 2 * len(header) + 2))


def write_xlsx(
    table: tables.Table,
    target: IO[bytes],
    title: str,
    *,
    progress: Progress | None = None,
) -> int:
    """Write the table's export as a workbook into ``target`` (write-only: memory stays flat);
    the number of rows written. ``progress`` is told the count every few thousand rows."""
    columns = export_columns(table)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title(title))
    for index, column in enumerate(columns):
        letter = _column_letter(index)
        sheet.column_dimensions[letter].width = _width(column.header, column.number_format)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=safe_cell(column.header))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    formats = [column.number_format for column in columns]
    count = 0
    for row in typed_rows(table, columns):
        for index, value in enumerate(row):
            if isinstance(value, Decimal | date) or (formats[index] and isinstance(value, int)):
                row[index] = _typed_cell(sheet, value, formats[index])
        sheet.append(row)
        count += 1
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count)
    workbook.save(target)
    return count


def _typed_cell(sheet: Any, value: Any, number_format: str) -> WriteOnlyCell:
    """A number or date cell with its format: the column's, else one for its type (money for
    a decimal of two places, a date or a date and time)."""
    cell = WriteOnlyCell(sheet, value=value)
    if not number_format or (
        number_format in (DATE_FORMAT, DATETIME_FORMAT) and not isinstance(value, date)
    ):
        if isinstance(value, datetime):
            number_format = DATETIME_FORMAT
        elif isinstance(value, date):
            number_format = DATE_FORMAT
        elif isinstance(value, Decimal):
            exponent = value.as_tuple().exponent
            number_format = MONEY_FORMAT if exponent == -2 else DECIMAL_FORMAT
    if number_format:
        cell.number_format = number_format
    return cell


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _csv_text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return value


def csv_lines(table: tables.Table, *, progress: Progress | None = None) -> Iterator[str]:
    """The table's export as CSV text, line by line (a BOM first, so that Excel opens the
    Chinese text as UTF-8)."""
    writer = csv.writer(_Echo())
    columns = export_columns(table)
    yield "\ufeff"
    yield writer.writerow(safe_row(column.header for column in columns))
    for count, row in enumerate(typed_rows(table, columns), start=1):
        yield writer.writerow([_csv_text(value) for value in row])
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count)


def write_csv(table: tables.Table, target: IO[bytes], *, progress: Progress | None = None) -> int:
    """Write the table's export as UTF-8 CSV into ``target``; the number of rows written."""
    lines = 0
    for line in csv_lines(table, progress=progress):
        target.write(line.encode("utf-8"))
        lines += 1
    return max(0, lines - 2)


def export_table(table: tables.Table, fmt: str, title: str) -> HttpResponse | StreamingHttpResponse:
    """The whole (filtered, unpaginated) table as a download named ``title-YYYY-MM-DD``, its
    sheet named ``title``. CSV streams row by row; XLSX is written into memory (a zip file
    cannot be sent before it is complete): large lists go to a background job instead
    (core/export_jobs.py)."""
    if fmt == "csv":
        response: Any = StreamingHttpResponse(csv_lines(table), content_type=CSV_CONTENT_TYPE)
        return attachment(response, export_filename(title, "csv"))
    if fmt == "xlsx":
        buffer = BytesIO()
        write_xlsx(table, buffer, title)
        response = file_response(buffer.getvalue(), export_filename(title, "xlsx"))
        response["Last-Modified"] = timezone.now().strftime("%a, %d %b %Y %H:%M:%S GMT")
        return response
    raise ValueError(f"unknown export format {fmt!r}")
