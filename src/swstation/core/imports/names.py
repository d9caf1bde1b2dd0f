"""Finding a record by the name an office writes for it: the full name, or a short form of it
that names one record only among those the user may see (issue 19: 慈城镇社工站 for
慈城镇社会工作站).

An app says how a name is shortened (``shorten``: word replacements as data, such as
社会工作 → 社工); a short form matches a record when, after shortening, one ends with the
other (the user may leave out the district, 江北区慈城镇…) and no other record matches as well.
"""

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

# A short form shorter than this is never matched by its ending alone.
MIN_SUFFIX = 4


def compact(name: str) -> str:
    """A name as compared: full-width forms folded, no spaces, ASCII brackets."""
    text = unicodedata.normalize("NFKC", name)
    return re.sub(r"\s", "", text)


@dataclass
class NameIndex[T]:
    """Records by name, with their short forms."""

    shorten: Callable[[str], str] = compact
    by_name: dict[str, list[T]] = field(default_factory=dict)
    by_short: dict[str, list[T]] = field(default_factory=dict)

    def add(self, record: T, name: str) -> None:
        self.by_name.setdefault(compact(name), []).append(record)
        self.by_short.setdefault(self.shorten(name), []).append(record)

    def extend(self, records: Iterable[T], name_of: Callable[[T], str]) -> None:
        for record in records:
            self.add(record, name_of(record))

    def find(self, text: str) -> tuple[list[T], bool]:
        """The records ``text`` names and whether it took a short form to see it. An exact
        name wins; else the short forms equal to the text's; else those ending in it (or that
        it ends in). Several records: the caller says the name is ambiguous."""
        exact = self.by_name.get(compact(text), [])
        if exact:
            return list(exact), False
        short = self.shorten(text)
        same = self.by_short.get(short, [])
        if same:
            return list(same), True
        found: list[T] = []
        for candidate, records in self.by_short.items():
            shorter, longer = sorted((short, candidate), key=len)
            if len(shorter) >= MIN_SUFFIX and longer.endswith(shorter):
                found.extend(r for r in records if r not in found)
        return found, bool(found)
