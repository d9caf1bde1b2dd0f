"""Export of a list page's table to .csv or .xlsx, streaming, whatever the number of rows."""

import csv
from collections.abc import Iterator
from datetime import date
from io import BytesIO
from typing import Any
from urllib.parse import quote

import django_tables2 as tables
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from openpyxl import Workbook

EXPORT_FORMATS = ("csv", "xlsx")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


def _rows(table: tables.Table) -> Iterator[list[str]]:
    for row in table.as_values():
        yield ["" if cell is None else str(cell) for cell in row]


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
