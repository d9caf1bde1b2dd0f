"""Base table for list pages and exports (django-tables2)."""

import functools
import inspect
from collections.abc import Callable
from typing import Any

import django_tables2 as tables
from django.template import Context, Engine, Template
from django.template.base import render_value_in_context
from django.templatetags.l10n import localize, unlocalize
from django.utils.safestring import SafeString, mark_safe
from django_tables2.columns.base import BoundColumn
from django_tables2.rows import BoundRow

from swstation.core.import_models import ImportSynonym
from swstation.core.numbers import MoneyColumn, NumberColumn

__all__ = ["BaseTable", "ImportSynonymTable", "MoneyColumn", "NumberColumn", "row_html"]


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
        # A page draws 25 to 250 rows of 7 to 11 cells: what django-tables2 would work out
        # again for every cell is worked out once per column (issue 10, "Lists fast at any
        # size"): the signature of the column's render function, which it inspects at each
        # call, and the template of a template column (each date), which it compiles at each.
        for bound_column in self.columns.iterall():
            render = bound_column.render
            column = bound_column.column
            if (
                isinstance(column, tables.TemplateColumn)
                and column.template_code
                and getattr(render, "__func__", None) is tables.TemplateColumn.render
            ):
                render = functools.partial(_render_template_code, column)
            bound_column.render = _with_signature(render)


# --- what the table of a list page computes once, not per cell (issue 10) -----------------


def _with_signature(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` with its signature worked out now: django-tables2 inspects a column's render
    function at each cell (``call_with_appropriate``) and reads a precomputed
    ``__signature__`` at once."""
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):  # not inspectable: left to django-tables2 as it is
        return fn

    def call(*args: Any, **kwargs: Any) -> Any:
        return fn(*args, **kwargs)

    call.__signature__ = signature  # type: ignore[attr-defined]
    return call


@functools.lru_cache(maxsize=256)
def _compiled(engine: Engine, template_code: str) -> Template:
    return Template(template_code, engine=engine)


def _render_template_code(
    column: tables.TemplateColumn,
    /,
    record: Any,
    table: Any,
    value: Any,
    bound_column: BoundColumn,
    **kwargs: Any,
) -> Any:
    """``TemplateColumn.render`` with its template compiled once (django-tables2 compiles
    ``template_code`` for every cell it draws: each date of a list)."""
    parent_context = getattr(table, "context", Context())
    context = column.get_context_data(
        record=record, table=table, value=value, bound_column=bound_column, **kwargs
    )
    with parent_context.update(context):
        parent_context["request"] = getattr(table, "request", None)
        return _compiled(Engine.get_default(), column.template_code).render(parent_context)


def _static_td_attrs(bound_column: BoundColumn) -> SafeString | None:
    """The attributes of the column's data cells when they are the same in every row (no
    callable among them, no class names worked out from the row): None otherwise."""
    table = bound_column._table
    if type(bound_column).attrs is not BoundColumn.attrs:
        return None
    if type(table).get_column_class_names is not tables.Table.get_column_class_names:
        return None
    for attrs in (table.attrs, bound_column.column.attrs):
        for key in ("td", "cell"):
            if any(callable(value) for value in dict(attrs.get(key) or {}).values()):
                return None
    return bound_column.attrs["td"].as_html()


def _cell_text(bound_column: BoundColumn, cell: Any, context: Context) -> str:
    """``{% if column.localize == None %}{{ cell }}{% else %}{% if column.localize %}{{
    cell|localize }}{% else %}{{ cell|unlocalize }}{% endif %}{% endif %}``."""
    if callable(cell) and not getattr(cell, "do_not_call_in_templates", False):
        cell = cell()  # as a template variable would
    if bound_column.localize is None:
        return render_value_in_context(cell, context)
    return render_value_in_context(
        localize(cell) if bound_column.localize else unlocalize(cell), context
    )


def row_html(row: BoundRow, context: Context) -> SafeString:
    """A row of ``core/table.html`` (its ``table.tbody.row`` block) drawn in Python, to the
    character what the block's template drew: a page of 25 rows drew 250 cells through five
    template lookups and two ``{% if %}`` each.

    The cells' headers and (when they do not depend on the row) attributes are worked out
    once per table and kept on it."""
    table = row.table
    columns = getattr(table, "_row_html_columns", None)
    if columns is None:
        columns = [
            (
                render_value_in_context(column.header, context),
                _static_td_attrs(column),
            )
            for column in table.columns
        ]
        table._row_html_columns = columns
    parts = ["\n<tr ", render_value_in_context(row.attrs.as_html(), context), ">\n  "]
    for (column, cell), (header, td_attrs) in zip(row.items(), columns, strict=True):
        if td_attrs is None:
            td_attrs = column.attrs["td"].as_html()
        parts += [
            "\n  <td ",
            render_value_in_context(td_attrs, context),
            ' data-label="',
            header,
            '">',
            _cell_text(column, cell, context),
            "</td>\n  ",
        ]
    parts.append("\n</tr>\n")
    return mark_safe("".join(parts))  # each part escaped above


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
