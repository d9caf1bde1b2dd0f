"""The city's synonyms for the words imports accept, kept as data (:class:`ImportSynonym`).

A column declares the list of words it accepts by name (``Column(vocabulary="category")``;
every yes/no column reads the list "yes_no" too). The lists are whatever the importers declare
(:func:`vocabularies`), so that the synonyms page offers exactly the lists in use and checks
that a synonym means one of the list's words.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from swstation.core.actors import Actor
from swstation.core.history import record_author
from swstation.core.import_models import ImportSynonym, synonym_key
from swstation.core.imports.base import IMPORTERS

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


def load_synonyms() -> dict[str, dict[str, str]]:
    """The synonyms by list: {"category": {"低保户": "低保", ...}} (keys compared as
    :func:`~swstation.core.imports.cells.normalise_word` makes them)."""
    found: dict[str, dict[str, str]] = {}
    for vocabulary, key, means in ImportSynonym.objects.values_list("vocabulary", "key", "means"):
        found.setdefault(vocabulary, {})[key] = means
    return found


def check_synonym(synonym: ImportSynonym) -> None:
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
    if synonym_key(synonym.text) in {synonym_key(word) for word in words}:
        raise ValidationError(
            {"text": _("“%(text)s” is itself one of the list's words.") % {"text": synonym.text}}
        )


# --- reads and writes of the synonyms (the city bureau's pages and the API) ----------------


def import_synonym_list(*, actor: Actor) -> QuerySet[ImportSynonym]:
    queryset: QuerySet[ImportSynonym] = ImportSynonym.objects.visible_to(actor)
    return queryset


@transaction.atomic
def import_synonym_create(*, actor: Actor, **fields: Any) -> ImportSynonym:
    synonym = ImportSynonym(**fields)
    return _save(synonym, actor)


@transaction.atomic
def import_synonym_update(
    *, actor: Actor, import_synonym: ImportSynonym, **changes: Any
) -> ImportSynonym:
    for name, value in changes.items():
        setattr(import_synonym, name, value)
    return _save(import_synonym, actor)


@transaction.atomic
def import_synonym_delete(*, actor: Actor, import_synonym: ImportSynonym) -> None:
    record_author(import_synonym, actor)
    import_synonym.delete()


def _save(synonym: ImportSynonym, actor: Actor) -> ImportSynonym:
    synonym.full_clean()
    record_author(synonym, actor)
    synonym.save()
    return synonym
