"""Reading an uploaded workbook: the sheet with the importer's headers, row by row.

What a township office's ledger looks like, and how it is read (issue 19):

- **Which sheet**: the one holding the importer's headers. When several sheets hold a table of
  data (two villages' ledgers, a summary sheet), the import asks which one
  (:class:`SheetChoiceNeeded`) rather than pick one and say nothing. Neither the template's own
  填写说明 sheet, a hidden sheet without the headers, nor a cover sheet with a title counts.
- **Headers** may sit below a title row, in any order, under an importer's aliases or common
  names (出生年月 → 出生日期, 入职时间 → 入职日期, 证件号码(18位) → 证件号码), or as the user
  mapped them on the preview. Every column that is not imported is named (:meth:`ignored`),
  never dropped silently.
- **Rows**: 合计 / 小计 / 总计 rows and the 填表人 footer are skipped (and said); cells merged
  down several rows (a village written once for its people) are read in each row, except an
  identity number or phone, which belongs to one person.
"""

import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries

from swstation.core.imports.base import Importer, ImportRow
from swstation.core.imports.cells import (
    CLEARED,
    CellContext,
    Column,
    Note,
    normalise_header,
    normalise_word,
)
from swstation.core.imports.errors import CellError, ImportFileError

# Each limit may be overridden in settings (SWSTATION_IMPORT_MAX_BYTES, ...).
MAX_BYTES: int = getattr(settings, "SWSTATION_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
MAX_ROWS: int = getattr(settings, "SWSTATION_IMPORT_MAX_ROWS", 50_000)
HEADER_SCAN_ROWS = 20

# The template's instructions sheet (core/imports/template.py), in either language.
INSTRUCTIONS_TITLES = frozenset({"填写说明", "Instructions"})
# Headers that mean one of an importer's columns under another name, for every importer.
COMMON_HEADERS: dict[str, str] = {
    "出生年月": "出生日期",
    "出生时间": "出生日期",
    "生日": "出生日期",
    "入职时间": "入职日期",
    "参加工作日期": "入职日期",
    "离职时间": "离职日期",
    "身份证": "证件号码",
    "身份证件号码": "证件号码",
    "证件号": "证件号码",
    "移动电话": "手机号",
    "手机": "手机号",
    "电话号码": "联系电话",
    "文化程度": "学历",
    "最高学历": "学历",
    "现居住地址": "住址",
    "居住地址": "住址",
    "联系地址": "住址",
}
# Columns that only number the rows: named in the preview like any other ignored column.
ROW_NUMBER_HEADERS = frozenset({"序号", "编号", "行号", "no", "no."})
_TOTAL_ROW = re.compile(r"^(合计|小计|总计|共计|总合计)")
_FOOTER_ROW = re.compile(r"^(填表人|制表人|审核人|填报人|统计人|负责人|单位负责人|填表|制表|填报)")
_PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]|【[^】]*】")


class SheetChoiceNeeded(ImportFileError):
    """Several sheets of the workbook hold data: the user says which one to import."""

    def __init__(self, sheets: list[str]) -> None:
        super().__init__(
            _(
                "The workbook has data on several sheets: %(sheets)s. Choose the sheet to "
                "import (one sheet at a time)."
            )
            % {"sheets": "、".join(f"「{name}」" for name in sheets)}
        )
        self.sheets = sheets


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


def _filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


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


_MERGE_CELL = re.compile(rb"<(?:[\w.-]+:)?mergeCell\b[^>]*?\bref=\"([A-Z0-9:$]+)\"")


def _merged_ranges(sheet: Any) -> list[tuple[int, int, int, int]]:
    """The sheet's merged ranges as (first column index, first row, last column index, last
    row), read from its XML (a read-only sheet does not offer them): its bytes are searched,
    not parsed, so that a sheet of 50,000 rows is read in a fraction of a second."""
    source = getattr(sheet, "_get_source", None)
    if source is None:
        return [
            (r.min_col - 1, r.min_row, r.max_col - 1, r.max_row)
            for r in getattr(getattr(sheet, "merged_cells", None), "ranges", ())
        ]
    ranges: list[tuple[int, int, int, int]] = []
    tail = b""
    with source() as handle:
        while True:
            block = handle.read(1 << 20)
            if not block:
                break
            text = tail + block
            # Keep the block's last tag, which may be cut in two, for the next block.
            cut = text.rfind(b"<")
            if cut < 0:
                cut = len(text)
            for match in _MERGE_CELL.finditer(text, 0, cut):
                _add_range(ranges, match.group(1))
            tail = text[cut:]
    for match in _MERGE_CELL.finditer(tail):
        _add_range(ranges, match.group(1))
    return ranges


_ROW_END = re.compile(rb"</(?:[\w.-]+:)?row>")
_ROW_NUMBER = re.compile(rb"<(?:[\w.-]+:)?row\b[^>]*?\br=\"(\d+)\"")
_VALUE = re.compile(rb"<(?:[\w.-]+:)?(?:v|is|f)\b")


def _rows_with_values(sheet: Any, after_row: int, stop_after: int | None = None) -> int | None:
    """How many rows below ``after_row`` hold a value, counted in the sheet's XML without
    parsing it (a 60,000-row sheet in about a second); None for a sheet not read from a
    file. Totals and signature rows count too: an upper bound of the data rows."""
    source = getattr(sheet, "_get_source", None)
    if source is None:
        return None
    found = current = 0
    tail = b""
    with source() as handle:
        while True:
            block = handle.read(1 << 20)
            text = tail + block
            parts = _ROW_END.split(text)
            tail = parts.pop() if block else b""
            for part in parts:
                number = _ROW_NUMBER.search(part)  # a row's number may be left out: the next
                current = int(number.group(1)) if number else current + 1
                if current > after_row and _VALUE.search(part):
                    found += 1
            if stop_after is not None and found > stop_after:
                return found
            if not block:
                return found


def _add_range(ranges: list[tuple[int, int, int, int]], ref: bytes) -> None:
    try:
        min_col, min_row, max_col, max_row = range_boundaries(ref.decode().replace("$", ""))
    except (ValueError, TypeError):
        return
    if min_col and min_row and max_col and max_row:
        ranges.append((min_col - 1, min_row, max_col - 1, max_row))


def _sheet_has_table(sheet: Any) -> bool:
    """Whether a sheet holds a table of data: two rows of two filled cells or more (a cover
    sheet with a title does not)."""
    rows = 0
    for values in sheet.iter_rows(values_only=True):
        if sum(1 for value in values if _filled(value)) >= 2:
            rows += 1
            if rows >= 2:
                return True
    return False


@dataclass
class _Header:
    sheet: Any
    row: int
    positions: dict[str, int]
    cells: list[Any]
    notes: list[str]

    @property
    def score(self) -> int:
        return len(self.positions)


class SheetReader:
    """The sheet of a workbook holding an importer's columns, read row by row (read-only
    streaming, so that memory stays flat whatever the file's size).

    ``sheet``: the sheet the user chose (required when several hold data). ``mapping``: the
    user's choices on the preview, column index (as text) → column key. ``synonyms``: the
    city's synonyms by vocabulary (:func:`swstation.core.imports.synonyms.load_synonyms`).
    """

    def __init__(
        self,
        importer_class: type[Importer],
        content: bytes,
        *,
        sheet: str = "",
        mapping: Mapping[str, str] | None = None,
        synonyms: Mapping[str, Mapping[str, str]] | None = None,
    ) -> None:
        self.importer_class = importer_class
        self.synonyms = synonyms or {}
        self.workbook = _open_workbook(content)
        try:
            self._choose(sheet, dict(mapping or {}))
        except ImportFileError:
            self.workbook.close()
            raise

    # --- headers and sheets ---------------------------------------------------------------
    def _header_index(self) -> dict[str, Column]:
        by_header: dict[str, Column] = {}
        for column in self.importer_class.columns:
            for header in column.headers():
                by_header.setdefault(normalise_header(header), column)
        return by_header

    def match_header(self, value: Any) -> tuple[Column | None, bool]:
        """The column a header names and whether it took a common name or rule to see it
        (said in the preview): its own header or alias, a common name (出生年月), the header
        without a bracketed remark (证件号码(18位)), or 时间 for 日期."""
        by_header = self._by_header
        text = normalise_header(value)
        if not text:
            return None, False
        if text in by_header:
            return by_header[text], False
        candidates = [COMMON_HEADERS.get(text, "")]
        bare = _PARENTHESES.sub("", text)
        candidates += [bare, COMMON_HEADERS.get(bare, "")]
        if bare.endswith("时间"):
            candidates.append(bare[: -len("时间")] + "日期")
        for candidate in candidates:
            if candidate and normalise_header(candidate) in by_header:
                return by_header[normalise_header(candidate)], True
        return None, False

    def _find_header(self, sheet: Any) -> _Header | None:
        best: _Header | None = None
        rows = sheet.iter_rows(min_row=1, max_row=HEADER_SCAN_ROWS, values_only=True)
        for number, values in enumerate(rows, start=1):
            positions: dict[str, int] = {}
            notes: list[str] = []
            for index, value in enumerate(values):
                found, guessed = self.match_header(value)
                if found is None or found.key in positions:
                    continue
                positions[found.key] = index
                if guessed:
                    notes.append(
                        _("The column “%(header)s” is read as “%(column)s”.")
                        % {"header": str(value).strip(), "column": found.header}
                    )
            if positions and (best is None or len(positions) > best.score):
                best = _Header(sheet, number, positions, list(values), notes)
        return best

    def _complete(self, header: _Header) -> bool:
        importer = self.importer_class
        if any(c.required and c.key not in header.positions for c in importer.columns):
            return False
        return all(any(k in header.positions for k in group) for group in importer.required_any)

    def _choose(self, sheet_name: str, mapping: dict[str, str]) -> None:
        importer = self.importer_class
        self._by_header = self._header_index()
        found: list[tuple[Any, _Header | None, bool]] = []
        for sheet in self.workbook.worksheets:
            if not hasattr(sheet, "iter_rows"):
                continue  # a chart sheet
            header = self._find_header(sheet)
            complete = header is not None and self._complete(header)
            visible = getattr(sheet, "sheet_state", "visible") == "visible"
            counts = sheet.title not in INSTRUCTIONS_TITLES and (
                complete or (visible and _sheet_has_table(sheet))
            )
            found.append((sheet, header, counts))
        self.sheet_names = [sheet.title for sheet, _header, counts in found if counts]
        if sheet_name:
            chosen = [entry for entry in found if entry[0].title == sheet_name]
            if not chosen:
                raise ImportFileError(
                    _("The workbook has no sheet “%(sheet)s”.") % {"sheet": sheet_name}
                )
            header = chosen[0][1]
        elif len(self.sheet_names) > 1:
            raise SheetChoiceNeeded(self.sheet_names)
        else:
            counted = [entry[1] for entry in found if entry[2] and entry[1] is not None]
            headers = counted or [entry[1] for entry in found if entry[1] is not None]
            header = max(headers, key=lambda h: h.score) if headers else None
        if header is None:
            raise ImportFileError(
                _(
                    "No row of the file holds the expected column headers (%(columns)s). "
                    "Download the template to see the layout."
                )
                % {"columns": "、".join(c.header for c in importer.columns if c.required)}
            )
        self.sheet = header.sheet
        # A sheet's <dimension> may be smaller than its data (some programs write it wrong):
        # read-only openpyxl would stop there and drop the other rows silently. Read to the end.
        if hasattr(self.sheet, "reset_dimensions"):
            self.sheet.reset_dimensions()
        self.header_row = header.row
        self.header_cells = header.cells
        self.header_notes = list(header.notes)
        self.positions = dict(header.positions)
        for index_text, key in mapping.items():
            if not key or not index_text.isdigit():
                continue
            column = importer.column(key)
            self.positions = {k: i for k, i in self.positions.items() if k != key}
            self.positions[key] = int(index_text)
            self.header_notes.append(
                _("The column “%(header)s” is read as “%(column)s”, as you chose.")
                % {"header": self.header_text(int(index_text)), "column": column.header}
            )
        missing = [c.header for c in importer.columns if c.required and c.key not in self.positions]
        for group in importer.required_any:
            if not any(key in self.positions for key in group):
                missing.append(" / ".join(importer.column(key).header for key in group))
        if missing:
            others = [self.header_text(i) for i in self._unmatched_header_indexes()]
            message = _(
                "The file lacks the columns: %(columns)s. Download the template to see the layout."
            ) % {"columns": "、".join(missing)}
            if others:
                message += " " + _(
                    "Columns of the file that are not read: %(columns)s (rename a header to "
                    "the column it holds)."
                ) % {"columns": "、".join(f"「{name}」" for name in others)}
            raise ImportFileError(message)
        self.present = frozenset(self.positions)
        self.data_columns: set[int] = set()
        self.skipped: list[tuple[int, str]] = []
        self._merges: list[tuple[int, int, int, int]] | None = None

    def header_text(self, index: int) -> str:
        value = self.header_cells[index] if index < len(self.header_cells) else None
        return "" if value is None else str(value).strip()

    def _unmatched_header_indexes(self) -> list[int]:
        used = set(self.positions.values())
        return [
            index
            for index, value in enumerate(self.header_cells)
            if _filled(value) and index not in used
        ]

    def ignored(self) -> list[dict[str, Any]]:
        """Every column of the sheet that is not imported, with whether it holds data: those
        with a header, and data under no header. Complete once every row has been read."""
        used = set(self.positions.values())
        indexes = set(self._unmatched_header_indexes()) | (self.data_columns - used)
        entries = []
        for index in sorted(indexes):
            header = self.header_text(index)
            if not header:
                reason = _("data under no header")
            elif normalise_word(header) in ROW_NUMBER_HEADERS:
                reason = _("row numbers")
            else:
                reason = _("not a column of this import")
            entries.append(
                {
                    "index": index,
                    "letter": get_column_letter(index + 1),
                    "header": header,
                    "has_data": index in self.data_columns,
                    "reason": reason,
                }
            )
        return entries

    def summary(self) -> dict[str, Any]:
        """What the preview says about the file as a whole (complete after every row)."""
        return {
            "sheet": self.sheet.title,
            "sheets": self.sheet_names,
            "present": sorted(self.present),
            "ignored": self.ignored(),
            "file_notes": self.header_notes,
            "skipped": [{"row": row, "text": text} for row, text in self.skipped[:200]],
            "skipped_count": len(self.skipped),
        }

    # --- rows -------------------------------------------------------------------------------
    def _data(self) -> Iterator[tuple[int, list[Any], dict[int, tuple[int, int]]]]:
        """The data rows: (Excel row number, cell values, {column index: (first, last row)}
        of the cells filled from a merged range above)."""
        self.skipped = []
        if self._merges is None:  # read once: the rows are read twice (count, then rows)
            self._merges = _merged_ranges(self.sheet)
        starts: dict[int, list[tuple[int, int]]] = {}
        for min_col, min_row, max_col, max_row in self._merges:
            if min_col == max_col and max_row > min_row and min_row > self.header_row:
                starts.setdefault(min_row, []).append((min_col, max_row))
        active: dict[int, tuple[Any, int, int]] = {}
        rows = self.sheet.iter_rows(min_row=self.header_row + 1)
        for number, cells in enumerate(rows, start=self.header_row + 1):
            values = [_cell_value(cell) for cell in cells]
            for column, last in starts.get(number, []):
                value = values[column] if column < len(values) else None
                active[column] = (value, number, last)
            filled: dict[int, tuple[int, int]] = {}
            for column, (value, first, last) in list(active.items()):
                if number > last:
                    del active[column]
                    continue
                if number > first and _filled(value):
                    values.extend([None] * (column + 1 - len(values)))
                    if values[column] is None:
                        values[column] = value
                        filled[column] = (first, last)
            texts = [value for value in values if _filled(value)]
            if not texts:
                continue
            first_words = [normalise_word(value) for value in texts[:2] if isinstance(value, str)]
            if any(_TOTAL_ROW.match(word) for word in first_words) or (
                isinstance(texts[0], str) and _FOOTER_ROW.match(normalise_word(texts[0]))
            ):
                self.skipped.append((number, str(texts[0]).strip()[:40]))
                continue
            yield number, values, filled

    def count(self) -> int:
        return sum(1 for _row in self._data())

    def count_rows(self, stop_after: int | None = None) -> int:
        """The data rows below the header, read quickly (values only, and without the cells
        a merged range fills in, which :meth:`rows` reads): for the progress counter's total
        and the limit on a file's size. Stops counting past ``stop_after``."""
        found = 0
        rows = self.sheet.iter_rows(min_row=self.header_row + 1, values_only=True)
        for values in rows:
            texts = [value for value in values if _filled(value)]
            if not texts:
                continue
            first_words = [normalise_word(value) for value in texts[:2] if isinstance(value, str)]
            if any(_TOTAL_ROW.match(word) for word in first_words) or (
                isinstance(texts[0], str) and _FOOTER_ROW.match(normalise_word(texts[0]))
            ):
                continue
            found += 1
            if stop_after is not None and found > stop_after:
                break
        return found

    def size_hint(self) -> int | None:
        """An upper bound of the data rows, read quickly: the rows below the header that hold
        a value (totals and signatures included), counted in the sheet's XML."""
        return _rows_with_values(self.sheet, self.header_row)

    def more_rows_than(self, limit: int) -> int | None:
        """The data rows found past ``limit`` (at least ``limit + 1``), or None when the sheet
        holds at most ``limit``: its rows with a value, counted in its XML (its dimension may
        be wrong); when those are only a little over the limit (totals or signatures may make
        the difference), the data rows themselves, counted up to the limit."""
        margin = limit + max(limit // 20, 10)
        found = _rows_with_values(self.sheet, self.header_row, stop_after=margin)
        if found is not None and found <= limit:
            return None
        if found is not None and found > margin:
            return found
        rows = self.count_rows(stop_after=limit)
        return rows if rows > limit else None

    def rows(self) -> Iterator[ImportRow]:
        columns = {c.key: c for c in self.importer_class.columns}
        used = set(self.positions.values())
        for number, values, filled in self._data():
            for index, value in enumerate(values):
                if index not in used and _filled(value):
                    self.data_columns.add(index)
            yield self._row(number, values, filled, columns)

    def _row(
        self,
        number: int,
        values: list[Any],
        filled: dict[int, tuple[int, int]],
        columns: dict[str, Column],
    ) -> ImportRow:
        parsed: dict[str, Any] = {}
        errors: list[tuple[str, str]] = []
        cleared: set[str] = set()
        notes: list[tuple[str, Note]] = []
        for key, index in self.positions.items():
            column = columns[key]
            raw = values[index] if index < len(values) else None
            if isinstance(raw, FormulaCell):
                errors.append(
                    (
                        key,
                        _(
                            "Row %(row)d, column “%(column)s”, holds a formula: type the "
                            "value itself (text, a number or a date), not a formula."
                        )
                        % {"row": number, "column": column.header},
                    )
                )
                continue
            if index in filled:
                first, last = filled[index]
                if column.text_formatted:
                    errors.append(
                        (
                            key,
                            _(
                                "Rows %(first)d–%(last)d of “%(column)s” are one merged cell: "
                                "a number belongs to one person, so write it in each row."
                            )
                            % {"first": first, "last": last, "column": column.header},
                        )
                    )
                    continue
                notes.append((key, Note(_("merged cells read in each row"), f"{first}–{last}")))
            context = CellContext(self.synonyms)
            try:
                value = column.parse(raw, context)
            except CellError as exc:
                errors.append((key, exc.message))
                continue
            notes.extend((key, note) for note in context.notes)
            if value is CLEARED:
                cleared.add(key)
                parsed[key] = column.empty_value()
            elif value is not None:
                parsed[key] = value
            elif column.required:
                errors.append((key, _("This column must be filled in.")))
        return ImportRow(
            number=number,
            values=parsed,
            present=self.present,
            errors=errors,
            cleared=cleared,
            notes=notes,
        )

    def close(self) -> None:
        self.workbook.close()


def check_upload(importer_class: type[Importer], upload: UploadedFile, *, sheet: str = "") -> bytes:
    """The uploaded file's bytes if it is an .xlsx of acceptable size holding the importer's
    columns and at least one row; :class:`ImportFileError` saying what is wrong otherwise
    (:class:`SheetChoiceNeeded` when several sheets hold data and ``sheet`` does not say
    which to import)."""
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
    reader = SheetReader(importer_class, content, sheet=sheet)
    try:
        if reader.more_rows_than(MAX_ROWS) is not None:
            raise ImportFileError(too_many_rows(MAX_ROWS, exact=False))
        if not reader.count_rows(stop_after=0):
            raise ImportFileError(_("The file has its column headers but no rows of data."))
    finally:
        reader.close()
    return content


def too_many_rows(rows: int, *, exact: bool = True) -> str:
    """The message refusing a file of more than :data:`MAX_ROWS` rows (``exact``: ``rows`` is
    the file's count; else counting stopped there)."""
    if exact:
        return _(
            "The file has %(rows)d rows; at most %(limit)d can be imported at once. Split it."
        ) % {"rows": rows, "limit": MAX_ROWS}
    return _(
        "The file has more than %(limit)d rows; at most %(limit)d can be imported at once. "
        "Split it."
    ) % {"limit": MAX_ROWS}
