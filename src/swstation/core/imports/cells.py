"""Columns and the reading of one cell: headers as compared, dates, yes/no, choices."""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from swstation.core.imports.errors import CellError

ColumnKind = Literal["text", "date", "bool", "choice", "phone"]

_YES = frozenset({"是", "有", "y", "yes", "true", "1", "√", "✓"})
_NO = frozenset({"否", "无", "没有", "n", "no", "false", "0", "×", "✗"})
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
)
_EXCEL_EPOCH = datetime(1899, 12, 30)


def normalise_header(value: Any) -> str:
    """A header as compared: no spaces or required-markers, ASCII brackets."""
    text = "" if value is None else str(value)
    text = text.replace("（", "(").replace("）", ")").replace("＊", "*")
    return re.sub(r"[\s*:：]", "", text)


def _cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


@dataclass(frozen=True)
class Column:
    """One column of an import file.

    ``header`` is the column title as the bureaus write it (Chinese, matched without spaces,
    asterisks or full-width brackets); ``aliases`` are other titles meaning the same.
    ``required``: the header must be present and every row must fill it. ``choices`` are
    (label, value) pairs: a cell may hold any label or the value itself; the first label of a
    value is the one shown in templates and messages.
    """

    header: str
    key: str
    kind: ColumnKind = "text"
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    aliases: tuple[str, ...] = ()
    help: str | Promise = ""

    def headers(self) -> tuple[str, ...]:
        return (self.header, *self.aliases)

    def labels(self) -> list[str]:
        """The first label of each value, in order (for messages and the template)."""
        shown: dict[str, str] = {}
        for label, value in self.choices:
            shown.setdefault(value, label)
        return list(shown.values())

    def parse(self, value: Any) -> Any:
        """The cell's value as this column's type; None for an empty cell."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if self.kind == "date":
            return parse_date_cell(value)
        if self.kind == "bool":
            return parse_bool_cell(value)
        text = _cell_text(value)
        if self.kind == "phone":
            return re.sub(r"[\s\-－]", "", text)
        if self.kind == "choice":
            return self._parse_choice(text)
        return text

    def _parse_choice(self, text: str) -> str:
        wanted = normalise_header(text).lower()
        for label, value in self.choices:
            if wanted in (normalise_header(label).lower(), value.lower()):
                return value
        raise CellError(
            _("“%(value)s” is not one of: %(choices)s.")
            % {"value": text, "choices": "、".join(self.labels())}
        )


def parse_date_cell(value: Any) -> date:
    """An Excel date, an Excel serial number, or text as YYYY-MM-DD (or / . 年月日)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2958466:
        return (_EXCEL_EPOCH + timedelta(days=int(value))).date()
    text = _cell_text(value)
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                break
    raise CellError(
        _("“%(value)s” is not a date: write it as YYYY-MM-DD or enter an Excel date.")
        % {"value": text}
    )


def parse_bool_cell(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = _cell_text(value).lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellError(_("“%(value)s” is neither 是 nor 否.") % {"value": _cell_text(value)})
