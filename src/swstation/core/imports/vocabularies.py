"""The lists of accepted words the importers' columns declare (``Column.vocabulary``), and the
rule a synonym of one of them must keep. Apart from :mod:`.synonyms` (the synonyms as data),
so that the synonym model can check itself without importing its own services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from swstation.core.imports.base import IMPORTERS
from swstation.core.imports.cells import normalise_word


class Synonym(Protocol):
    """What the rule reads of a synonym (an ``ImportSynonym``, which imports this module)."""

    vocabulary: str
    text: str
    means: str


YES_NO = "yes_no"


@dataclass(frozen=True)
class Vocabulary:
    """A list of accepted words: its key, the columns that use it, and the words (computed:
    some are data, such as the recipients' categories)."""

    key: str
    columns: tuple[str, ...]
    words: Callable[[], list[str]]


def vocabularies() -> dict[str, Vocabulary]:
    """Every list the importers use, by key."""
    found: dict[str, tuple[list[str], Callable[[], list[str]]]] = {
        YES_NO: ([_("every yes/no column")], lambda: ["是", "否"])
    }
    for importer in IMPORTERS:
        if importer.__module__.startswith("tests."):
            continue
        for column in importer.columns:
            key = column.vocabulary_key
            if not key:
                continue
            label = f"{importer.title} · {column.header}" if importer.title else column.header

            def words(importer: type = importer, column: object = column) -> list[str]:
                return list(importer.accepted_values(column))  # type: ignore[attr-defined]

            if key in found:
                found[key][0].append(label)
            else:
                found[key] = ([label], words)
    return {key: Vocabulary(key, tuple(labels), words) for key, (labels, words) in found.items()}


def vocabulary_choices() -> list[tuple[str, str]]:
    """Each list named by the columns that use it (a person reads 类别, not "category")."""
    return [
        (key, "、".join(vocabulary.columns)) for key, vocabulary in sorted(vocabularies().items())
    ]


def vocabulary_label(key: str) -> str:
    return dict(vocabulary_choices()).get(key, key)


def check_synonym(synonym: Synonym) -> None:
    """A synonym belongs to a list in use and means one of its words; it is not itself one of
    them (it would change what that word means)."""
    known = vocabularies()
    vocabulary = known.get(synonym.vocabulary)
    if vocabulary is None:
        raise ValidationError(
            {
                "vocabulary": _("No import uses the list “%(list)s”. Lists: %(lists)s.")
                % {
                    "list": synonym.vocabulary,
                    "lists": "、".join(dict(vocabulary_choices()).values()),
                }
            }
        )
    words = vocabulary.words()
    if not words:
        return
    if synonym.means not in words:
        raise ValidationError(
            {
                "means": _("“%(means)s” is not one of the list's words: %(words)s.")
                % {"means": synonym.means, "words": "、".join(words)}
            }
        )
    if normalise_word(synonym.text) in {normalise_word(word) for word in words}:
        raise ValidationError(
            {"text": _("“%(text)s” is itself one of the list's words.") % {"text": synonym.text}}
        )
