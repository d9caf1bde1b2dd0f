"""Reading an uploaded workbook: the sheet with the importer's headers, row by row."""

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from swstation.core.imports.base import Importer, ImportRow
from swstation.core.imports.cells import Column, normalise_header
from swstation.core.imports.errors import CellError, ImportFileError

# Each limit may be overridden in settings (SWSTATION_IMPORT_MAX_BYTES, ...).
MAX_BYTES: int = getattr(settings, "SWSTATION_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
HEADER_SCAN_ROWS = 20


@dataclass(frozen=True)
class FormulaCell:
    """A cell holding a formula (its text). Every importer refuses it: the value Excel last
    calculated may be missing (a file written by a program, or never recalculated) or stale,
    and the import must not guess."""

    formula: str


def _cell_value(cell: Any) -> Any:
    if getattr(cell, "data_type", None) == "f":
        value = cell.value
        return FormulaCell(str(getattr(value, "text", value) or ""))
    return cell.value


def _open_workbook(content: bytes) -> Any:
    # data_only=False: formulas are read as formulas (data type "f"), so that they can be
    # refused, instead of as their cached results.
    try:
        return load_workbook(BytesIO(content), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise ImportFileError(
            _("The file could not be read as an Excel workbook (.xlsx); it may be damaged.")
        ) from exc
    except Exception as exc:  # openpyxl's InvalidFileException and parser errors
        raise ImportFileError(
            _("The file could not be read as an Excel workbook (.xlsx); it may be damaged.")
        ) from exc


class SheetReader:
    """The sheet of a workbook holding an importer's columns, read row by row (read-only
    streaming, so that memory stays flat whatever the file's size)."""

    def __init__(self, importer_class: type[Importer], content: bytes) -> None:
        self.importer_class = importer_class
        self.workbook = _open_workbook(content)
        by_header: dict[str, Column] = {}
        for column in importer_class.columns:
            for header in column.headers():
                by_header[normalise_header(header)] = column
        best: tuple[int, Any, int, dict[str, int]] | None = None
        for sheet in self.workbook.worksheets:
            if not hasattr(sheet, "iter_rows"):
                continue  # a chart sheet
            for number, values in enumerate(
                sheet.iter_rows(min_row=1, max_row=HEADER_SCAN_ROWS, values_only=True), start=1
            ):
                positions: dict[str, int] = {}
                for index, value in enumerate(values):
                    found = by_header.get(normalise_header(value))
                    if found is not None and found.key not in positions:
                        positions[found.key] = index
                if positions and (best is None or len(positions) > best[0]):
                    best = (len(positions), sheet, number, positions)
        if best is None:
            raise ImportFileError(
                _(
                    "No row of the file holds the expected column headers (%(columns)s). "
                    "Download the template to see the layout."
                )
                % {"columns": "、".join(c.header for c in importer_class.columns if c.required)}
            )
        _count, self.sheet, self.header_row, self.positions = best
        missing = [c.header for c in importer_class.columns if c.required and c.key not in best[3]]
        for group in importer_class.required_any:
            if not any(key in self.positions for key in group):
                missing.append(" / ".join(importer_class.column(key).header for key in group))
        if missing:
            raise ImportFileError(
                _(
                    "The file lacks the columns: %(columns)s. "
                    "Download the template to see the layout."
                )
                % {"columns": "、".join(missing)}
            )
        self.present = frozenset(self.positions)

    def _data(self) -> Iterator[tuple[int, tuple[Any, ...]]]:
        rows = self.sheet.iter_rows(min_row=self.header_row + 1)
        for number, cells in enumerate(rows, start=self.header_row + 1):
            values = tuple(_cell_value(cell) for cell in cells)
            if any(v is not None and not (isinstance(v, str) and not v.strip()) for v in values):
                yield number, values

    def count(self) -> int:
        return sum(1 for _row in self._data())

    def rows(self) -> Iterator[ImportRow]:
        columns = {c.key: c for c in self.importer_class.columns}
        for number, values in self._data():
            parsed: dict[str, Any] = {}
            errors: list[tuple[str, str]] = []
            for key, index in self.positions.items():
                raw = values[index] if index < len(values) else None
                if isinstance(raw, FormulaCell):
                    errors.append(
                        (
                            key,
                            _(
                                "Row %(row)d, column “%(column)s”, holds a formula: type the "
                                "value itself (text, a number or a date), not a formula."
                            )
                            % {"row": number, "column": columns[key].header},
                        )
                    )
                    continue
                try:
                    value = columns[key].parse(raw)
                except CellError as exc:
                    errors.append((key, exc.message))
                    continue
                if value is not None:
                    parsed[key] = value
                elif columns[key].required:
                    errors.append((key, _("This column must be filled in.")))
            yield ImportRow(number=number, values=parsed, present=self.present, errors=errors)

    def close(self) -> None:
        self.workbook.close()


def check_upload(importer_class: type[Importer], upload: UploadedFile) -> bytes:
    """The uploaded file's bytes if it is an .xlsx of acceptable size holding the importer's
    columns and at least one row; :class:`ImportFileError` saying what is wrong otherwise."""
    name = (upload.name or "").lower()
    if not name.endswith(".xlsx"):
        if name.endswith((".xls", ".csv", ".et", ".wps")):
            raise ImportFileError(
                _(
                    "Only Excel workbooks (.xlsx) can be imported. Open the file in Excel or "
                    "WPS and save it as “Excel workbook (*.xlsx)” first."
                )
            )
        raise ImportFileError(_("Only Excel workbooks (.xlsx) can be imported."))
    size = upload.size or 0
    if size > MAX_BYTES:
        raise ImportFileError(
            _("The file is %(size)s MB; at most %(limit)s MB can be imported at once. Split it.")
            % {"size": f"{size / 1024 / 1024:.1f}", "limit": f"{MAX_BYTES / 1024 / 1024:g}"}
        )
    content = b"".join(upload.chunks())
    reader = SheetReader(importer_class, content)
    try:
        if next(reader.rows(), None) is None:
            raise ImportFileError(_("The file has its column headers but no rows of data."))
    finally:
        reader.close()
    return content
