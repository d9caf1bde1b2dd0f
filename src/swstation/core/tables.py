"""Base table for list pages and exports (django-tables2)."""

from typing import Any

import django_tables2 as tables

from swstation.core.import_models import ImportSynonym
from swstation.core.numbers import MoneyColumn, NumberColumn

__all__ = ["BaseTable", "ImportSynonymTable", "MoneyColumn", "NumberColumn"]


class BaseTable(tables.Table):
    """A sortable, paginated table; its columns are also the columns of .csv/.xlsx exports.

    On a phone each row is a card (``core/table.html``, ``.table-cards`` in site.css): the
    first column is the card's title, each other cell a line labelled with its header."""

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle table-cards"}
        template_name = "core/table.html"

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)


# --- core's own model: the synonyms imports accept ----------------------------------------


class ImportSynonymTable(BaseTable):
    text = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = ImportSynonym
        fields = ("vocabulary", "text", "means", "note")

    def render_vocabulary(self, record: ImportSynonym) -> str:
        return record.get_vocabulary_display()

    def value_vocabulary(self, record: ImportSynonym) -> str:
        return record.get_vocabulary_display()
