"""Export of a list page's table to .csv or .xlsx, streaming, whatever the number of rows;
and :func:`safe_cell`, through which every cell of every spreadsheet the platform writes goes.

Safe exports (issue 16): a text beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is a formula to Excel and WPS (CSV injection, OWASP), so it is written with a leading
apostrophe; a number stays a number. A cell holds the value, never markup: HTML that a table
renders for its page (a link around a case number, a badge) is reduced to its text.
"""

import csv
import html
import re
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import Any
from urllib.parse import quote

import django_tables2 as tables
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.html import strip_tags
from django.utils.safestring import SafeData
from openpyxl import Workbook
from openpyxl.cell.cell import Cell

EXPORT_FORMATS = ("csv", "xlsx")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Text that is a plain number ("-5", "+3.5", "-12.5%") runs nothing and is left as it is.
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)%?")


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


def attachment[R: HttpResponseBase](response: R, filename: str) -> R:
    """Mark ``response`` as a download named ``filename`` (RFC 6266, UTF-8 file names)."""
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
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


class _Echo:
    def write(self, value: str) -> str:
        return value


def _filename(basename: str, extension: str) -> str:
    return f"{basename}-{date.today():%Y%m%d}.{extension}"


def _table_cell(value: Any) -> Any:
    """A table's export value: numbers as numbers, anything else as its text; made safe."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    if isinstance(value, SafeData):
        return safe_cell(value)
    return safe_cell(str(value))


def _rows(table: tables.Table) -> Iterator[list[Any]]:
    for row in table.as_values():
        yield [_table_cell(cell) for cell in row]


def export_table(
    table: tables.Table, fmt: str, basename: str
) -> HttpResponse | StreamingHttpResponse:
    """The whole (filtered, unpaginated) table as a download named ``basename-YYYYMMDD``.

    CSV streams row by row; XLSX is written by openpyxl's write-only workbook into memory
    (a zip file cannot be streamed before it is complete).
    """
    if fmt == "csv":
        writer = csv.writer(_Echo())

        def stream() -> Iterator[str]:
            yield "\ufeff"  # a BOM so that Excel opens the Chinese text as UTF-8
            for row in _rows(table):
                yield writer.writerow(row)

        response: Any = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
        return attachment(response, _filename(basename, "csv"))
    if fmt == "xlsx":
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=basename[:31])
        for row in _rows(table):
            sheet.append(row)
        response = xlsx_response(workbook, _filename(basename, "xlsx"))
        response["Last-Modified"] = timezone.now().strftime("%a, %d %b %Y %H:%M:%S GMT")
        return response
    raise ValueError(f"unknown export format {fmt!r}")
