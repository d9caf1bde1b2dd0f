"""Searchable selects: a record picked by its name, never typed as a code or a number.

:class:`SearchSelect` draws a ``<select>`` that ``site.js`` turns into a searchable box (Tom
Select, installed by npm): the options it starts with (a few, or a tree to browse), the
chosen record by its name, and, for longer lists, more found by typing through
:class:`swstation.core.views.choices.ChoicesView` (``/choices/<app>/<model>/?q=``), which
answers only with records the user may see. The value sent stays what the filter or field
takes (a primary key, a division code), so that the API and old links keep working.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import models
from django.template import Context
from django.template.base import render_value_in_context
from django.template.defaultfilters import stringformat
from django.urls import reverse
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

# An option: (value, label) or (value, label, depth in a tree).
Option = tuple[Any, str] | tuple[Any, str, int]


def choice_label(obj: models.Model) -> str:
    """How a record is named in a picker: its name, after its parent's for a tree
    (慈城镇 / 新联村: two villages of one name stay apart)."""
    parent = getattr(obj, "parent", None) if _has_parent(type(obj)) else None
    if parent is not None and getattr(parent, "parent_id", None) is not None:
        return f"{parent} / {obj}"
    return str(obj)


def _has_parent(model: type[models.Model]) -> bool:
    try:
        field = model._meta.get_field("parent")
    except Exception:
        return False
    return bool(field.is_relation and field.related_model is model)


def with_parents(queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return queryset.select_related("parent") if _has_parent(queryset.model) else queryset


@dataclass(frozen=True)
class RecordSource:
    """Where a picker finds its records: ``model``'s records the user may see, its value
    ``value_field`` (the primary key, or a unique field such as a division code)."""

    model: type[models.Model]
    value_field: str = "pk"
    # The options to start with, for a user (a tree to browse); none: found by typing.
    start: Callable[[Any], Iterable[Option]] | None = None

    def search_url(self) -> str:
        meta = self.model._meta
        url = reverse("choices", args=[meta.app_label, meta.model_name])
        return url if self.value_field == "pk" else f"{url}?value={self.value_field}"

    def labels(self, values: Iterable[Any], user: Any) -> dict[str, str]:
        """The names of the chosen records the user may see, by value (as text)."""
        wanted = [value for value in values if value not in (None, "")]
        if not wanted:
            return {}
        manager: Any = self.model._default_manager
        queryset = manager.visible_to(user) if hasattr(manager, "visible_to") else manager.all()
        try:
            found = list(with_parents(queryset).filter(**{f"{self.value_field}__in": wanted}))
        except (ValueError, TypeError):
            return {}
        return {str(getattr(obj, self.value_field)): choice_label(obj) for obj in found}


# --- selects drawn in Python (issue 10, "Lists fast at any size") ------------------------------

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
_CONTEXT = Context()  # autoescape on, localization and time zone as the settings say


def _value(value: Any) -> str:
    """``{{ value|stringformat:'s' }}``."""
    text = stringformat(value, "s")
    return render_value_in_context(
        mark_safe(text) if isinstance(value, SafeData) else text, _CONTEXT
    )


def attrs_html(attrs: dict[str, Any]) -> str:
    """What ``django/forms/widgets/attrs.html`` draws for ``attrs``."""
    parts = []
    for name, value in attrs.items():
        if value is not False:
            parts.append(" " + render_value_in_context(name, _CONTEXT))
            if value is not True:
                parts.append(f'="{_value(value)}"')
    return "".join(parts)


def select_html(widget: dict[str, Any]) -> SafeString:
    """What ``django/forms/widgets/select.html`` (and ``select_option.html`` for each option)
    draws for a select widget's context, to the character: the region tree's 170 options
    took 20 ms through two template includes each."""
    parts = [f'<select name="{render_value_in_context(widget["name"], _CONTEXT)}"']
    parts += [attrs_html(widget["attrs"]), ">"]
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{render_value_in_context(group_name, _CONTEXT)}">')
        for option in group_choices:
            parts += [
                f'\n  <option value="{_value(option["value"])}"',
                attrs_html(option["attrs"]),
                f">{render_value_in_context(option['label'], _CONTEXT)}</option>\n",
            ]
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")  # the renderer strips the template's last newline
    return mark_safe("".join(parts))  # each part escaped above


class PythonDrawnSelect(forms.Select):
    """A select (or a multiple one) drawn by :func:`select_html` instead of Django's widget
    templates; any other template (a subclass's own) is drawn by the template."""

    def _render(self, template_name: str, context: dict[str, Any], renderer: Any = None) -> Any:
        if template_name == SELECT_TEMPLATE and self.option_template_name == OPTION_TEMPLATE:
            return select_html(context["widget"])
        return super()._render(template_name, context, renderer)  # type: ignore[misc]


class PythonDrawnSelectMultiple(PythonDrawnSelect, forms.SelectMultiple):
    pass


class PythonDrawnNullBooleanSelect(PythonDrawnSelect, forms.NullBooleanSelect):
    pass


_PYTHON_DRAWN: dict[type[forms.Widget], type[forms.Widget]] = {
    forms.Select: PythonDrawnSelect,
    forms.SelectMultiple: PythonDrawnSelectMultiple,
    forms.NullBooleanSelect: PythonDrawnNullBooleanSelect,
}


def drawn_in_python(widget: forms.Widget) -> forms.Widget:
    """``widget`` (a form's own copy), drawn by :func:`select_html` if it is one of Django's
    selects; any other widget as it is."""
    fast = _PYTHON_DRAWN.get(type(widget))
    if fast is not None:
        widget.__class__ = fast
    return widget


class SearchSelect(PythonDrawnSelect):
    """A select searchable by name (see the module's docstring)."""

    template_name = "django/forms/widgets/select.html"

    def __init__(
        self,
        source: RecordSource,
        *,
        user: Any = None,
        empty_label: Any = None,
        attrs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(attrs=attrs)
        self.source = source
        self.user = user
        self.empty_label = _("All") if empty_label is None else empty_label

    def options_for(self, value: Any) -> list[Option]:
        """The empty choice, the starting options and the chosen record, by name."""
        options: list[Option] = [("", str(self.empty_label))]
        if self.source.start is not None and self.user is not None:
            options += list(self.source.start(self.user))
        known = {str(option[0]) for option in options}
        chosen = [str(v) for v in (value if isinstance(value, list | tuple) else [value])]
        missing = [v for v in chosen if v not in ("", "None") and v not in known]
        labels = self.source.labels(missing, self.user)
        options += [(v, labels[v]) for v in missing if v in labels]
        return options

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        options = self.options_for(value)
        self.choices = [(option[0], option[1]) for option in options]
        self._depths = {str(option[0]): option[2] for option in options if len(option) > 2}
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["data-search"] = "remote" if self.source.start is None else "tree"
        widget_attrs["data-search-url"] = self.source.search_url()
        widget_attrs["data-placeholder"] = str(_("Type a name to search"))
        return context

    def create_option(self, name: str, value: Any, label: Any, selected: Any, index: int,
                      subindex: int | None = None, attrs: dict[str, Any] | None = None
                      ) -> dict[str, Any]:  # fmt: skip
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        depth = getattr(self, "_depths", {}).get(str(value))
        if depth is not None:
            option["attrs"]["data-depth"] = depth
        return option


def searchable(widget: forms.Select) -> forms.Select:
    """``widget`` (a select of a short list: stations, supervisors) searchable as you type."""
    widget.attrs["data-search"] = "local"
    widget.attrs.setdefault("data-placeholder", str(_("Type a name to search")))
    return widget
