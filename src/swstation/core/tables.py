"""Base table for list pages and exports (django-tables2)."""

from typing import Any

import django_tables2 as tables

from swstation.core.import_models import ImportSynonym


class BaseTable(tables.Table):
    """A sortable, paginated table; its columns are also the columns of .csv/.xlsx exports."""

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle"}
        template_name = "django_tables2/bootstrap5-responsive.html"

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)


# --- core's own model: the synonyms imports accept ----------------------------------------


class ImportSynonymTable(BaseTable):
    text = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = ImportSynonym
        fields = ("vocabulary", "text", "means", "note")
