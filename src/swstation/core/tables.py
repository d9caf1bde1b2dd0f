"""Base table for list pages and exports (django-tables2)."""

import datetime
import functools
import inspect
import re
from collections.abc import Callable, Iterator
from typing import Any

import django_tables2 as tables
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.template import Context, Engine, Template
from django.template.base import render_value_in_context
from django.templatetags.l10n import localize, unlocalize
from django.urls import NoReverseMatch, reverse
from django.utils import formats
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django_tables2.columns.base import BoundColumn, LinkTransform
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.columns.manytomanycolumn import ManyToManyColumn
from django_tables2.rows import BoundRow
from django_tables2.utils import Accessor, signature

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
                date_format = _DATE_TEMPLATE.fullmatch(column.template_code)
                if (
                    isinstance(column, tables.DateColumn)
                    and date_format
                    and not column.extra_context
                    and type(column).get_context_data is tables.TemplateColumn.get_context_data
                ):
                    render = functools.partial(_render_date, column, date_format[1])
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


# A DateColumn's template (django-tables2's ``DateColumn.__init__``).
_DATE_TEMPLATE = re.compile(r'\{\{ value\|date:"([^"]*)"\|default:default \}\}')


def _render_date(
    column: tables.DateColumn,
    date_format: str,
    /,
    record: Any,
    table: Any,
    value: Any,
    bound_column: BoundColumn,
    **kwargs: Any,
) -> Any:
    """A DateColumn's ``{{ value|date:"…"|default:default }}`` of a date (not a time: no
    time zone to convert to) without the template, each date formatted once per table: a
    date column drew each of its cells through the template language."""
    parent_context = getattr(table, "context", None)
    if type(value) is datetime.date and (parent_context is None or parent_context.autoescape):
        drawn = table.__dict__.setdefault("_drawn_dates", {})  # a page's dates repeat
        text = drawn.get((date_format, value))
        if text is None:
            text = drawn[date_format, value] = formats.date_format(value, date_format)
        if text:
            return conditional_escape(text)
    return _render_template_code(
        column, record=record, table=table, value=value, bound_column=bound_column, **kwargs
    )


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
    if bound_column.localize is None:
        if type(cell) is SafeString:  # what render_value_in_context gives back
            return cell
        if callable(cell) and not getattr(cell, "do_not_call_in_templates", False):
            cell = cell()  # as a template variable would
        return render_value_in_context(cell, context)
    if callable(cell) and not getattr(cell, "do_not_call_in_templates", False):
        cell = cell()
    return render_value_in_context(
        localize(cell) if bound_column.localize else unlocalize(cell), context
    )


_CELL_ARGUMENTS = frozenset(("value", "record", "column", "bound_column", "bound_row", "table"))


class _Call:
    """``call_with_appropriate(fn, kwargs)`` of django-tables2 with ``fn``'s signature read
    once, not at every call."""

    def __init__(self, fn: Callable[..., Any]) -> None:
        self.fn = fn
        self.names, self.catch_all = signature(fn)
        self.callable = bool(self.catch_all) or set(self.names) <= _CELL_ARGUMENTS

    def __call__(self, kwargs: dict[str, Any]) -> Any:
        if self.catch_all:
            return self.fn(**kwargs)
        if not self.callable:
            return None
        return self.fn(**{name: kwargs[name] for name in self.names})


class _Sentinel:
    pass


_NO_DISPLAY = _Sentinel()
_CUSTOM_DISPLAY = _Sentinel()


class _Cells:
    """How a column's cells are drawn, worked out once per table: what django-tables2's
    ``BoundRow.get_cell`` works out again at each cell (issue 10, "Lists fast at any size"):
    the accessor (parsed, and its last step read from the record's related object, which
    ``get_cell`` resolves twice), whether the value is a choice shown by its label (and the
    labels: Django's ``get_FOO_display`` builds the dict of a field's choices at each call),
    the render function's and the link's signatures (inspected at each call).

    The cell is the one ``get_cell`` draws, to the character; what these shortcuts do not
    cover (a record that is not a model instance, a link with attributes of its own) goes
    through ``get_cell`` itself."""

    def __init__(self, bound_column: BoundColumn) -> None:
        column = bound_column.column
        self.bound_column = bound_column
        self.name = bound_column.name
        self.column = column
        self.accessor = Accessor(bound_column.accessor)
        path, _separator, self.remainder = self.accessor.rpartition(self.accessor.SEPARATOR)
        self.path = Accessor(path) if path else None
        self.call_args = self.accessor.callable_args
        self.call_kwargs = self.accessor.callable_kwargs
        self.many = isinstance(column, ManyToManyColumn)
        self.link_text = isinstance(column, BaseLinkColumn) and column.text is not None
        self.displays: dict[tuple[type, type], Any] = {}
        try:
            self.render: _Call | None = _Call(bound_column.render)
        except (TypeError, ValueError):
            self.render = None
        self.link = bound_column.link
        self.href: Callable[[dict[str, Any]], Any] | None = None
        link = self.link
        if type(link) is LinkTransform and not link.attrs:
            if link.url and callable(link.url):
                try:
                    self.href = _Call(link.url)
                except (TypeError, ValueError):
                    self.href = None
            elif link.reverse_args.get("viewname", None) is None:
                self.href = _AbsoluteUrl(
                    Accessor(link.accessor if link.accessor is not None else bound_column.name)
                )

    def _display(self, record: Any, related: models.Model) -> Any:
        """How a value is shown by its label: ``_NO_DISPLAY`` (it is not), ``_CUSTOM_DISPLAY``
        (by the model's own ``get_FOO_display``) or ``(method name, attname, labels)``
        (Django's ``get_FOO_display``)."""
        key = (type(record), type(related))
        display = self.displays.get(key)
        if display is None:
            display = _NO_DISPLAY
            name = f"get_{self.remainder}_display"
            if getattr(self.accessor.get_field(record), "choices", ()) and getattr(
                related, name, None
            ):
                display = _CUSTOM_DISPLAY
                method = inspect.getattr_static(type(related), name, None)
                if (
                    isinstance(method, functools.partialmethod)
                    and method.func is getattr(models.Model, "_get_FIELD_display", None)
                    and not method.args
                    and set(method.keywords) == {"field"}
                ):
                    field = method.keywords["field"]
                    display = (name, field.attname, dict(make_hashable(field.flatchoices)))
            self.displays[key] = display
        return display

    def label(self, record: Any, related: models.Model) -> Any:
        """The value as its choice's label (``get_FOO_display()``), or ``_NO_DISPLAY`` when
        it is not a choice."""
        display = self._display(record, related)
        if display is _NO_DISPLAY:
            return _NO_DISPLAY
        if display is _CUSTOM_DISPLAY:
            return getattr(related, f"get_{self.remainder}_display")()
        name, attname, labels = display
        if name in related.__dict__:  # a method set on the instance itself
            return getattr(related, name)()
        raw = getattr(related, attname)
        try:
            label = labels.get(raw, raw)
        except TypeError:  # not hashable as it is
            label = labels.get(make_hashable(raw), raw)
        return force_str(label, strings_only=True)

    def resolve(self, record: Any, related: models.Model) -> Any:
        """``accessor.resolve(record)``, its last step from ``related`` (the record or the
        related object the accessor's path leads to)."""
        try:
            current = getattr(related, self.remainder)
        except (TypeError, AttributeError):
            return self.accessor.resolve(record)  # as get_cell does: raises, or finds it
        if callable(current):
            if getattr(current, "alters_data", False):
                raise ValueError(self.accessor)
            if not getattr(current, "do_not_call_in_templates", False):
                current = current(*self.call_args, **self.call_kwargs)
        return current

    def cell(self, row: BoundRow) -> Any:
        """``row.get_cell(name)``."""
        record = row.record
        # The accessor's penultimate step, as get_cell resolves it.
        related = record if self.path is None else self.path.resolve(record, quiet=True)
        if (
            self.render is None
            or not isinstance(record, models.Model)
            or not isinstance(related, models.Model)
            or hasattr(type(related), "__getitem__")
            or not self.remainder
        ):
            return row.get_cell(self.name)
        bound_column = self.bound_column
        kwargs = {
            "value": None,
            "record": record,
            "column": self.column,
            "bound_column": bound_column,
            "bound_row": row,
            "table": row.table,
        }
        try:
            value = self.label(record, related)
        except FieldDoesNotExist:
            value = _NO_DISPLAY
        if value is _NO_DISPLAY:
            try:
                value = self.resolve(record, related)
            except Exception:
                if self.link_text:
                    return self._render(kwargs)
                value = None
        if value in self.column.empty_values or (self.many and not value.exists()):
            return bound_column.default
        kwargs["value"] = value
        return self._render(kwargs)

    def _render(self, kwargs: dict[str, Any]) -> Any:
        assert self.render is not None
        content = self.render(kwargs)
        if not self.link:
            return content
        if self.href is None:
            return self.link(content, **kwargs)
        href = self.href(kwargs)
        if href is None:
            return content
        if callable(href):  # called by the link's attributes: left to django-tables2
            return self.link(content, **kwargs)
        return format_html('<a href="{}">{}</a>', href, content)


def _pk_url_shape(self: Any) -> str:
    return reverse("view", args=[self.pk])


_PK_URL_CODE = _pk_url_shape.__code__
_PK_URL_VIEW_INDEX = _PK_URL_CODE.co_consts.index("view")
_PK_URL_VIEWS: dict[Any, str | None] = {}
_SENTINEL_PKS = (9_876_543_210_123, 7)


def _pk_url_view(method: Any) -> str | None:
    """The view name ``N`` when ``method`` (a model's ``get_absolute_url``) is, to the byte,
    ``return reverse(N, args=[self.pk])`` with Django's ``reverse``: what (nearly) every
    model's is; None otherwise."""
    if method in _PK_URL_VIEWS:
        return _PK_URL_VIEWS[method]
    view = None
    code = getattr(method, "__code__", None)
    if (
        code is not None
        and code.co_code == _PK_URL_CODE.co_code
        and code.co_names == _PK_URL_CODE.co_names
        and len(code.co_consts) == len(_PK_URL_CODE.co_consts)
        and all(
            mine == theirs
            for index, (mine, theirs) in enumerate(
                zip(code.co_consts, _PK_URL_CODE.co_consts, strict=True)
            )
            if index != _PK_URL_VIEW_INDEX
        )
        and isinstance(code.co_consts[_PK_URL_VIEW_INDEX], str)
        and not getattr(method, "__closure__", None)
        and getattr(method, "__globals__", {}).get("reverse") is reverse
    ):
        view = code.co_consts[_PK_URL_VIEW_INDEX]
    _PK_URL_VIEWS[method] = view
    return view


class _AbsoluteUrl:
    """``LinkTransform.compose_url`` of a ``linkify=True`` column: the linked object's
    ``get_absolute_url()``.

    Most models' is ``reverse(name, args=[self.pk])``, at some 30 µs a call, two or three
    links a row: the URL of such a model is reversed once per table and its key put in the
    place of another's (checked against ``reverse`` with a long and a one-digit key, so that a
    route whose converter writes a key otherwise is left to ``reverse``)."""

    def __init__(self, accessor: Accessor) -> None:
        self.accessor = accessor
        self.shapes: dict[str, tuple[str, str] | None] = {}

    def shape(self, view: str) -> tuple[str, str] | None:
        """The URL of ``view`` around its key, or None if it is not the key written as is."""
        if view in self.shapes:
            return self.shapes[view]
        shape = None
        try:
            long, short = (reverse(view, args=[pk]) for pk in _SENTINEL_PKS)
        except NoReverseMatch:
            long = short = ""
        key = str(_SENTINEL_PKS[0])
        if long.count(key) == 1:
            before, after = long.split(key)
            if short == f"{before}{_SENTINEL_PKS[1]}{after}":
                shape = (before, after)
        self.shapes[view] = shape
        return shape

    def __call__(self, kwargs: dict[str, Any]) -> Any:
        record = kwargs["record"]
        target = self.accessor.resolve(record)
        if not hasattr(target, "get_absolute_url"):
            if hasattr(record, "get_absolute_url"):
                target = record
            else:
                raise TypeError(f"for linkify=True, '{target}' must have a method get_absolute_url")
        pk = getattr(target, "pk", None)
        own = getattr(target, "__dict__", None)
        if type(pk) is int and pk >= 0 and own is not None and "get_absolute_url" not in own:
            view = _pk_url_view(getattr(type(target), "get_absolute_url", None))
            shape = self.shape(view) if view is not None else None
            if shape is not None:
                return f"{shape[0]}{pk}{shape[1]}"
        return target.get_absolute_url()


def row_cells(row: BoundRow) -> Iterator[tuple[BoundColumn, Any]]:
    """``row.items()``: each column with its cell, drawn by the table's :class:`_Cells`."""
    if type(row) is not BoundRow:
        yield from row.items()
        return
    table = row.table
    cells = table.__dict__.get("_row_cells")
    if cells is None:
        cells = table._row_cells = [_Cells(column) for column in table.columns]
    record = row.record
    for column_cells in cells:
        bound_column = column_cells.bound_column
        value = column_cells.cell(row)
        bound_column.current_value = value
        bound_column.current_record = record
        yield bound_column, value


def row_html(row: BoundRow, context: Context) -> SafeString:
    """A row of ``core/table.html`` (its ``table.tbody.row`` block) drawn in Python, to the
    character what the block's template drew: a page of 25 rows drew 250 cells through five
    template lookups and two ``{% if %}`` each.

    The cells' headers and (when they do not depend on the row) attributes are worked out
    once per table and kept on it."""
    table = row.table
    columns: list[tuple[str, str | None]] | None = getattr(table, "_row_html_columns", None)
    if columns is None:
        columns = []
        for column in table.columns:
            static = _static_td_attrs(column)
            columns.append(
                (
                    render_value_in_context(column.header, context),
                    None if static is None else render_value_in_context(static, context),
                )
            )
        table._row_html_columns = columns
    parts = ["\n<tr ", render_value_in_context(row.attrs.as_html(), context), ">\n  "]
    for (column, cell), (header, td_attrs) in zip(row_cells(row), columns, strict=True):
        if td_attrs is None:
            td_attrs = render_value_in_context(column.attrs["td"].as_html(), context)
        parts += [
            "\n  <td ",
            td_attrs,
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
