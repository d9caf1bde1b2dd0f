"""Trigram indexes for searching names by any part of them (issue 10, "Lists fast at any size").

PostgreSQL's ``pg_trgm`` splits a text into its runs of three characters; a GIN index of them
on ``UPPER(field)`` (the expression Django's ``icontains`` compares: ``UPPER(field::text) LIKE
UPPER('%…%')``) finds the rows containing any text of three characters or more without reading
the table. It works for Chinese as for Latin letters (a character is a character): "王秀英" is
one trigram, "欧阳秀" another. A shorter text (a surname alone) has no trigram to look up and is
found by reading the list in its order until a page is full, as before.

The index exists only on PostgreSQL: an app's migration runs :func:`trigram_index` (built
``CONCURRENTLY``, so the migration is ``atomic = False`` and the table stays writable while it
builds) after ``TrigramExtension()``; on SQLite both do nothing and ``icontains`` reads the
table. The index is not declared in the model's ``Meta`` (SQLite could not create it), so
``makemigrations`` never sees it; ``core.filtersets.contains_q`` writes the queries it serves.
"""

from typing import Any

from django.db import migrations


def trigram_index(table: str, column: str, name: str) -> migrations.RunPython:
    """A migration step adding the trigram index ``name`` on ``UPPER(table.column)``."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        quote = schema_editor.quote_name
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {quote(name)} ON {quote(table)} "
            f"USING gin (UPPER({quote(column)}) gin_trgm_ops)"
        )

    def backwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {schema_editor.quote_name(name)}")

    return migrations.RunPython(forwards, backwards, elidable=False)
