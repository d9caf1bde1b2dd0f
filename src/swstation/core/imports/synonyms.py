"""The city's synonyms for the words imports accept, kept as data (:class:`ImportSynonym`).

A column declares the list of words it accepts by name (``Column(vocabulary="category")``;
every yes/no column reads the list "yes_no" too). The lists are whatever the importers declare
(:mod:`.vocabularies`), so that the synonyms page offers exactly the lists in use and checks
that a synonym means one of the list's words.
"""

from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from swstation.core.actors import Actor
from swstation.core.history import record_author
from swstation.core.import_models import ImportSynonym


def load_synonyms() -> dict[str, dict[str, str]]:
    """The synonyms by list: {"category": {"低保户": "低保", ...}} (keys compared as
    :func:`~swstation.core.imports.cells.normalise_word` makes them)."""
    found: dict[str, dict[str, str]] = {}
    for vocabulary, key, means in ImportSynonym.objects.values_list("vocabulary", "key", "means"):
        found.setdefault(vocabulary, {})[key] = means
    return found


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
