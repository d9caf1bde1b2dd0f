"""Columns and the reading of one cell: headers as compared, dates, yes/no, choices, identifiers.

A cell is read as its column's kind, accepting what offices actually type (issue 19) and never
guessing a value that the cell does not hold:

- **identifiers** (identity and certificate numbers) and **phones** must be text. A number cell
  is refused: Excel keeps at most 15 significant digits, so an 18-digit identity number typed
  into a "General" column has already lost its last digits, and a phone its leading 0. Spaces
  inside a number, full-width digits and a +86 / 0086 before a phone are removed.
- **dates**: Excel dates, YYYY-MM-DD (or / . 年月日) text, 8-digit 19500301, a datetime at
  00:00:00. A date with another time, a year alone or a year and month are refused.
- **yes/no** and **choice** cells accept their labels, their codes, and the synonyms the city
  keeps as data (:mod:`swstation.core.imports.synonyms`: 低保户 → 低保, 同意 → 是).
- A cell that says 清空 clears the stored value (an empty cell leaves it as it is).

Whatever was normalised is noted (:class:`CellContext`), so that the preview can say it.
"""

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from swstation.core.imports.errors import CellError

ColumnKind = Literal["text", "date", "bool", "choice", "phone", "identifier"]

_YES = frozenset({"是", "有", "y", "yes", "true", "1", "√", "✓"})
_NO = frozenset({"否", "无", "没有", "n", "no", "false", "0", "×", "✗"})
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
)
_EIGHT_DIGITS = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MIDNIGHT = re.compile(r"^(.+?)[ T]0{1,2}:00(:00(\.0+)?)?$")
_YEAR_MONTH = re.compile(r"^(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*月?|(\d{2}))$")
_YEAR = re.compile(r"^(\d{4})年?$")
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")
_PHONE_PREFIX = re.compile(r"^(\+86|0086|\(\+86\)|\(86\))(?=1\d{10}$)")
_EXCEL_EPOCH = datetime(1899, 12, 30)
_LAST_SERIAL = 2958465  # 9999-12-31
# A cell holding one of these clears the stored value (an empty cell never does).
CLEAR_WORDS = frozenset({"清空", "(清空)", "[清空]", "【清空】", "<清空>"})


class Cleared:
    """What a cell that says 清空 parses to."""

    def __repr__(self) -> str:
        return "CLEARED"


CLEARED = Cleared()


def normalise_header(value: Any) -> str:
    """A header as compared: no spaces or required-markers, ASCII brackets."""
    text = "" if value is None else str(value)
    text = text.replace("（", "(").replace("）", ")").replace("＊", "*")
    return re.sub(r"[\s*:：]", "", text)


def normalise_word(value: Any) -> str:
    """A cell or synonym as compared with the accepted words: full-width forms folded, no
    spaces, lower case."""
    return normalise_header(unicodedata.normalize("NFKC", str(value))).lower()


def _cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _shown_number(value: int | float) -> str:
    """A number as Excel's General format shows it (3.30205E+17 for a long one)."""
    if isinstance(value, float) and not value.is_integer():
        return format(value, ".15G")
    return str(int(value)) if abs(value) < 1e11 else format(value, ".6G")


@dataclass
class Note:
    """Something a cell, row or file had normalised, said in the preview: ``message`` is the
    same for every cell of one kind (so that the preview groups them); ``example`` shows it on
    one cell (empty for personal identifiers)."""

    message: str
    example: str = ""


@dataclass
class CellContext:
    """What reading a cell may use (the city's synonyms, by vocabulary: normalised word →
    accepted label) and what it noted."""

    synonyms: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)

    def note(self, message: str, example: str = "") -> None:
        self.notes.append(Note(message, example))

    def synonym(self, vocabulary: str, text: str) -> str | None:
        if not vocabulary:
            return None
        return self.synonyms.get(vocabulary, {}).get(normalise_word(text))


@dataclass(frozen=True)
class Column:
    """One column of an import file.

    ``header`` is the column title as the bureaus write it (Chinese, matched without spaces,
    asterisks or full-width brackets); ``aliases`` are other titles meaning the same.
    ``required``: the header must be present and every row must fill it. ``choices`` are
    (label, value) pairs: a cell may hold any label or the value itself; the first label of a
    value is the one shown in templates and messages. ``vocabulary`` names the city's synonyms
    that apply (yes/no columns use "yes_no" unless told otherwise); ``separator`` splits a cell
    holding several values (each is looked up in the synonyms). ``clearable``: a cell saying
    清空 clears the stored value (never for required columns).
    """

    header: str
    key: str
    kind: ColumnKind = "text"
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    aliases: tuple[str, ...] = ()
    help: str | Promise = ""
    vocabulary: str = ""
    separator: str = ""
    clearable: bool = True

    def headers(self) -> tuple[str, ...]:
        return (self.header, *self.aliases)

    @property
    def vocabulary_key(self) -> str:
        if self.vocabulary:
            return self.vocabulary
        return "yes_no" if self.kind == "bool" else ""

    @property
    def may_clear(self) -> bool:
        return self.clearable and not self.required and self.kind != "bool"

    @property
    def text_formatted(self) -> bool:
        """Whether the template formats the column as text (numbers that are not numbers)."""
        return self.kind in ("identifier", "phone")

    def empty_value(self) -> Any:
        """What a cleared cell sets: no date, or an empty text."""
        return None if self.kind == "date" else ""

    def labels(self) -> list[str]:
        """The first label of each value, in order (for messages and the template)."""
        shown: dict[str, str] = {}
        for label, value in self.choices:
            shown.setdefault(value, label)
        return list(shown.values())

    def parse(self, value: Any, context: CellContext | None = None) -> Any:
        """The cell's value as this column's type; None for an empty cell, :data:`CLEARED`
        for 清空."""
        context = context if context is not None else CellContext()
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, str) and normalise_word(value) in CLEAR_WORDS:
            if not self.may_clear:
                raise CellError(
                    _("“%(column)s” cannot be cleared: leave the cell empty to keep the value.")
                    % {"column": self.header}
                )
            return CLEARED
        if self.kind == "date":
            return parse_date_cell(value, context)
        if self.kind == "bool":
            return parse_bool_cell(value, context, vocabularies=(self.vocabulary, "yes_no"))
        if self.kind in ("identifier", "phone"):
            return self._parse_identifier(value, context)
        text = _cell_text(value)
        if self.kind == "choice":
            return self._parse_choice(text, context)
        if self.vocabulary_key:
            return self._parse_words(text, context)
        return text

    def _parse_identifier(self, value: Any, context: CellContext) -> str:
        if _is_number(value) or (isinstance(value, str) and _SCIENTIFIC.match(value.strip())):
            shown = _shown_number(value) if _is_number(value) else value.strip()
            raise CellError(
                _(
                    "“%(column)s” holds the number %(value)s, not text: Excel turned the "
                    "column into numbers, which keep only 15 digits (the last digits of an "
                    "identity number are lost, a leading 0 is dropped). Format the column as "
                    "Text (select the column → Format Cells → Text), type the numbers again "
                    "and upload the file again."
                )
                % {"column": self.header, "value": shown}
            )
        raw = str(value).strip()
        text = unicodedata.normalize("NFKC", raw)
        if text != raw:
            context.note(_("full-width characters turned into ordinary ones"))
        spaced = re.sub(r"\s", "", text)
        if spaced != text:
            context.note(_("spaces inside the number removed"))
            text = spaced
        if self.kind == "phone":
            text = re.sub(r"[\-－]", "", text)
            prefix = _PHONE_PREFIX.match(text)
            if prefix:
                context.note(_("+86 / 0086 before the mobile number removed"))
                text = text[prefix.end() :]
        return text

    def _parse_choice(self, text: str, context: CellContext) -> str:
        found = self._match_choice(text)
        if found is not None:
            return found
        synonym = context.synonym(self.vocabulary_key, text)
        if synonym is not None:
            found = self._match_choice(synonym)
            if found is not None:
                context.note(_("read through the synonyms"), f"{text} → {synonym}")
                return found
        raise CellError(
            _("“%(value)s” is not one of: %(choices)s.")
            % {"value": text, "choices": "、".join(self.labels())}
        )

    def _match_choice(self, text: str) -> str | None:
        wanted = normalise_header(text).lower()
        for label, value in self.choices:
            if wanted in (normalise_header(label).lower(), value.lower()):
                return value
        return None

    def _parse_words(self, text: str, context: CellContext) -> str:
        """A text column with synonyms: each value (split at ``separator``) replaced by the
        accepted word it stands for."""
        parts = re.split(self.separator, text) if self.separator else [text]
        if len(parts) == 1:
            synonym = context.synonym(self.vocabulary_key, text)
            if synonym is None:
                return text
            context.note(_("read through the synonyms"), f"{text} → {synonym}")
            return synonym
        words: list[str] = []
        for part in parts:
            if not part.strip():
                continue
            synonym = context.synonym(self.vocabulary_key, part)
            if synonym is not None:
                context.note(_("read through the synonyms"), f"{part} → {synonym}")
            words.append(synonym if synonym is not None else part.strip())
        return "、".join(words)


def parse_date_cell(value: Any, context: CellContext | None = None) -> date:
    """An Excel date, 8-digit 19500301, an Excel serial number, or text as YYYY-MM-DD (or / .
    年月日), possibly followed by 00:00:00. Never a guess: a time of day other than midnight
    (a date shifted by a time zone), a year alone or a year and month are refused."""
    context = context if context is not None else CellContext()
    if isinstance(value, datetime):
        if value.time() != time(0, 0):
            raise CellError(
                _(
                    "“%(value)s” is a date with a time of day: the day may be wrong. Enter the "
                    "date alone, as YYYY-MM-DD."
                )
                % {"value": value.strftime("%Y-%m-%d %H:%M")}
            )
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise _not_a_date(str(value))
    if _is_number(value):
        return _date_from_number(value, context)
    raw = _cell_text(value)
    text = unicodedata.normalize("NFKC", raw).strip()
    midnight = _MIDNIGHT.match(text)
    if midnight:
        context.note(_("00:00:00 after the date removed"))
        text = midnight[1].strip()
    eight = _EIGHT_DIGITS.match(text)
    if eight:
        day = _make_date(eight[1], eight[2], eight[3])
        if day is not None:
            context.note(_("8 digits read as year, month and day"), f"{text} → {day.isoformat()}")
            return day
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            day = _make_date(match[1], match[2], match[3])
            if day is not None:
                return day
            break
    if _YEAR_MONTH.match(text) or _YEAR.match(text):
        raise _partial_date(raw)
    raise _not_a_date(raw)


def _make_date(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _date_from_number(value: int | float, context: CellContext) -> date:
    shown = _shown_number(value)
    if isinstance(value, float) and not value.is_integer():
        raise _not_a_date(shown)
    number = int(value)
    eight = _EIGHT_DIGITS.match(str(number))
    if eight:
        day = _make_date(eight[1], eight[2], eight[3])
        if day is None:
            raise _not_a_date(shown)
        context.note(_("8 digits read as year, month and day"), f"{number} → {day.isoformat()}")
        return day
    if 1800 <= number <= 2100 or (180001 <= number <= 210012 and 1 <= number % 100 <= 12):
        raise _partial_date(shown)
    if 1 <= number <= _LAST_SERIAL:
        day = (_EXCEL_EPOCH + timedelta(days=number)).date()
        context.note(_("an Excel date number read as a date"), f"{number} → {day.isoformat()}")
        return day
    raise _not_a_date(shown)


def _not_a_date(text: str) -> CellError:
    return CellError(
        _("“%(value)s” is not a date: write it as YYYY-MM-DD or enter an Excel date.")
        % {"value": text}
    )


def _partial_date(text: str) -> CellError:
    return CellError(
        _(
            "“%(value)s” gives only a year or a year and month, not the day: write the whole "
            "date as YYYY-MM-DD."
        )
        % {"value": text}
    )


def parse_bool_cell(
    value: Any, context: CellContext | None = None, *, vocabularies: tuple[str, ...] = ("yes_no",)
) -> bool:
    """是 or 否 (and y/n, 有/无, √/×...), or a synonym of either in the column's list or the
    city's yes/no list."""
    if isinstance(value, bool):
        return value
    text = _cell_text(value).lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    for vocabulary in vocabularies if context is not None else ():
        assert context is not None
        synonym = context.synonym(vocabulary, text)
        if synonym is not None and synonym.lower() in _YES | _NO:
            context.note(_("read through the synonyms"), f"{_cell_text(value)} → {synonym}")
            return synonym.lower() in _YES
    raise CellError(_("“%(value)s” is neither 是 nor 否.") % {"value": _cell_text(value)})
