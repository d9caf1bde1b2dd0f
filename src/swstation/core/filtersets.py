"""Base filter set: a free-text ``q`` over the fields a model names as searchable, and bounds on
every filter, so that no query string can make a list answer 500.

Whatever a subclass declares, :meth:`BaseFilterSet.get_filters` bounds it when the class is
built (the pages, the API and its schema all see the bounded filters):

- a ``NumberFilter`` takes whole numbers (:class:`IntegerFilter`), within a database integer;
  one on a year (``lookup_expr="year"``, or a field or filter named ``year``) becomes a
  :class:`YearFilter`: 1900 to 2100 (year 0, 2020.5 or 10**20 would otherwise reach the database
  or the date arithmetic and fail there);
- a date filter takes dates of those years only;
- a text filter takes at most :data:`TEXT_FILTER_MAX_LENGTH` characters.

A filter that needs other bounds says so: ``IntegerFilter(min_value=0, max_value=150)``.
"""

import copy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import reduce
from operator import or_
from typing import Any, ClassVar

import django_filters
from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from rest_framework.request import Request

from swstation.core import widgets
from swstation.core.import_models import ImportSynonym

FILTER_YEARS = (1900, 2100)
DATABASE_INTEGER = (-(2**63), 2**63 - 1)
TEXT_FILTER_MAX_LENGTH = 200


class IntegerFilter(django_filters.NumberFilter):
    """A whole number between ``min_value`` and ``max_value`` (default: a database bigint)."""

    field_class = forms.IntegerField
    bounds: ClassVar[tuple[int, int]] = DATABASE_INTEGER

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", self.bounds[0])
        kwargs.setdefault("max_value", self.bounds[1])
        super().__init__(*args, **kwargs)
        # The OpenAPI schema (drf-spectacular) says so too.
        self._spectacular_annotation = {
            "field": {
                "type": "integer",
                "minimum": kwargs["min_value"],
                "maximum": kwargs["max_value"],
            }
        }


class YearFilter(IntegerFilter):
    """A calendar year a record can have: 1900 to 2100."""

    bounds = FILTER_YEARS


def year_filter(field_name: str, label: Any) -> YearFilter:
    """The records whose date ``field_name`` falls in a year (``?opened_year=2024``), bounded
    like every year (1900 to 2100) and compared as the year's range, which a date index
    serves: the one way the lists write "in the year"."""
    return YearFilter(field_name=field_name, lookup_expr="year", label=label)


def validate_filter_date(value: date | datetime | None) -> None:
    if value is not None and not FILTER_YEARS[0] <= value.year <= FILTER_YEARS[1]:
        raise ValidationError(
            _("Enter a date between the years %(first)s and %(last)s."),
            code="date_range",
            params={"first": FILTER_YEARS[0], "last": FILTER_YEARS[1]},
        )


def _is_year(flt: django_filters.Filter) -> bool:
    return flt.lookup_expr == "year" or (flt.field_name or "").split("__")[-1] == "year"


def bounded(flt: django_filters.Filter) -> django_filters.Filter:
    """``flt`` with the bounds every filter of the platform has (see the module's docstring)."""
    if type(flt) is django_filters.NumberFilter:
        cls = YearFilter if _is_year(flt) else IntegerFilter
        return cls(
            field_name=flt.field_name,
            lookup_expr=flt.lookup_expr,
            label=flt.label,
            method=flt.method,
            distinct=flt.distinct,
            exclude=flt.exclude,
            **flt.extra,
        )
    if issubclass(flt.field_class, forms.DateField | forms.DateTimeField):
        flt = copy.deepcopy(flt)
        flt.extra["validators"] = [*flt.extra.get("validators", ()), validate_filter_date]
    elif flt.field_class is forms.CharField:
        flt = copy.deepcopy(flt)
        flt.extra.setdefault("max_length", TEXT_FILTER_MAX_LENGTH)
    return flt


@dataclass(frozen=True)
class AppliedFilter:
    """A filter a list is narrowed by, as a chip: "社工站：慈城镇社工站 ×"."""

    name: str
    label: str
    value: str
    keys: tuple[str, ...]  # the query parameters that removing it drops


# The region filters' picker (a division tree browsed or searched by name): the regions app
# registers it (core names no app).
_REGION_SOURCE: list[widgets.RecordSource] = []
# A division code → the prefix its descendants' codes start with (330205103000 → 330205103).
_REGION_PREFIX: list[Callable[[str], str]] = []


def register_region_source(
    source: widgets.RecordSource, *, prefix: Callable[[str], str] | None = None
) -> None:
    """The region filters' picker, and how a picked region's code becomes the prefix a
    "within this region" filter (``lookup_expr="startswith"``) compares with."""
    _REGION_SOURCE[:] = [source]
    _REGION_PREFIX[:] = [prefix] if prefix is not None else []


class BaseFilterSet(django_filters.FilterSet):
    """Filters of a list page and its API.

    On the page every filter speaks people's language (:meth:`humanize_form`): a region is
    picked from the tree or by name, a related record (a worker, a person, a case) by its
    name — the value sent stays the code or the number the API takes; an empty choice reads
    "全部", never "---------" or "未知"."""

    search_fields: ClassVar[tuple[str, ...]] = ()

    q = django_filters.CharFilter(method="search", label=_("Search"))

    @classmethod
    def get_filters(cls) -> dict[str, django_filters.Filter]:
        return {name: bounded(flt) for name, flt in super().get_filters().items()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A filter's form field is built once and cached on the filter. Anything that reads
        # a field of the class's own filters (the schema generator, a test) caches one built
        # without a request — a related-record choice limited to nobody's jurisdiction —
        # and every filter set copies it from then on. Each filter set builds its own.
        for flt in self.filters.values():
            flt.__dict__.pop("_field", None)

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """A region picked (its full code) in a "within region" filter means everything in
        it: its code is cut to the prefix its descendants share."""
        if _REGION_PREFIX and _REGION_SOURCE:
            for name, flt in self.filters.items():
                value = self.form.cleaned_data.get(name)
                if (
                    value
                    and isinstance(value, str)
                    and flt.lookup_expr == "startswith"
                    and self.record_source(name, flt) is _REGION_SOURCE[0]
                ):
                    self.form.cleaned_data[name] = _REGION_PREFIX[0](value)
        return super().filter_queryset(queryset)

    @property
    def form(self) -> forms.Form:
        form: forms.Form = super().form
        if not getattr(form, "_humanized", False):
            self.humanize_form(form)
            form._humanized = True  # type: ignore[attr-defined]
        return form

    # --- the page's form, in people's language ---------------------------------------------

    def _user(self) -> Any:
        return getattr(self.request, "user", None)

    def record_source(self, name: str, flt: django_filters.Filter) -> widgets.RecordSource | None:
        """Where the filter ``name`` picks its record from, when it takes a record's code or
        number: a region's division code, or the primary key of a related record."""
        model = self._meta.model
        region = _REGION_SOURCE[0] if _REGION_SOURCE else None
        if model is None:
            return None
        path = (flt.field_name or name).removesuffix("_id")
        parts = path.split("__")
        if (
            region is not None
            and parts[-1] == "code"
            and _model_at(model, parts[:-1]) is region.model
        ):
            return region
        if not isinstance(flt, IntegerFilter):
            return None
        holder = _model_at(model, parts[:-1])  # the case's recipient: "case__recipient"
        if holder is None:
            return None
        try:
            field = holder._meta.get_field(parts[-1])
        except FieldDoesNotExist:
            return None
        if field.is_relation and field.many_to_one and field.related_model is not None:
            return widgets.RecordSource(field.related_model)
        return None

    def picker_label(self, name: str, flt: django_filters.Filter, label: Any) -> Any:
        """A picker's label: the relation's own name ("负责社工", "上级区划", "辖区"), not
        "社工（ID）" or "区划代码"."""
        model = self._meta.model
        parts = (flt.field_name or name).removesuffix("_id").split("__")
        if parts[-1] == "code":
            parts = parts[:-1]
            if flt.lookup_expr == "startswith":  # anywhere in the region picked
                return _("Within region") if not parts else _("Region")
            if not parts:  # the region list's own code
                return _("Region")
        owner = _model_at(model, parts[:-1])
        try:
            return capfirst(owner._meta.get_field(parts[-1]).verbose_name)
        except (FieldDoesNotExist, AttributeError):
            return label

    def humanize_form(self, form: forms.Form) -> None:
        """Pickers by name for codes and numbers, "全部" for the empty choices."""
        user = self._user()
        for name, field in form.fields.items():
            flt = self.filters.get(name)
            source = self.record_source(name, flt) if flt is not None else None
            if source is not None:
                field.widget = widgets.SearchSelect(source, user=user)
                field.label = self.picker_label(name, flt, field.label)
            elif isinstance(field, forms.NullBooleanField):
                field.widget = forms.Select(
                    choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]
                )
            elif (
                isinstance(field, forms.ModelChoiceField)
                and not isinstance(self.request, Request)  # the API draws no form
                and _long_list(field)
            ):
                # Hundreds of stations or projects: found by typing, not drawn in every page.
                value_field = field.to_field_name or "pk"
                field.widget = widgets.SearchSelect(
                    widgets.RecordSource(field.queryset.model, value_field),  # type: ignore[union-attr]
                    user=user,
                )
            elif isinstance(field, forms.ModelChoiceField):
                field.empty_label = _("All")
                widgets.searchable(field.widget)
            elif isinstance(field, forms.MultipleChoiceField):
                widgets.searchable(field.widget)
            elif isinstance(field, forms.ChoiceField):
                # What is drawn (the field keeps validating its own choices).
                field.widget.choices = [
                    ("", _("All")) if value in ("", None) else (value, label)
                    for value, label in field.widget.choices
                ]
            # A select is drawn in Python, not through two template includes per option.
            widgets.drawn_in_python(field.widget)

    def applied_filters(self) -> list[AppliedFilter]:
        """The filters the query applies, each with its value as a person reads it."""
        if not self.is_bound:
            return []
        form = self.form
        valid = form.is_valid()
        applied = []
        for name, field in form.fields.items():
            suffixes = getattr(field.widget, "suffixes", None)
            keys = tuple(f"{name}_{suffix}" for suffix in suffixes) if suffixes else (name,)
            raw = [v for key in keys for v in _values(self.data, key) if v not in ("", None)]
            if not raw:
                continue
            value = form.cleaned_data.get(name) if valid else None
            text = _value_text(field, raw, value, self._user())
            applied.append(AppliedFilter(name, str(field.label), text, keys))
        return applied

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        if not value or not self.search_fields:
            return queryset
        return queryset.filter(
            reduce(or_, (contains_q(queryset.model, field, value) for field in self.search_fields))
        )


# --- search by name that an index serves (issue 10, "Lists fast at any size") ------------------

# A related record's name matching more records than this is searched through the join.
RELATED_MATCH_LIMIT = 500


def _forward_relations(model: Any, parts: list[str]) -> Any:
    """The model at the end of a chain of forward relations (a service record's recipient,
    a case's recipient), or None if a step is not one."""
    for part in parts:
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        if not (field.is_relation and (field.many_to_one or field.one_to_one) and field.concrete):
            return None
        model = field.related_model
    return model


def contains_q(model: Any, field: str, value: str) -> Q:
    """``field`` contains ``value``, ignoring case, as a query an index can serve.

    On PostgreSQL the names (a person's, a social worker's) and a service's notes have trigram
    indexes (``pg_trgm``, GIN on ``UPPER(field)``: the expression ``icontains`` compares), which
    find a Chinese name of three characters or more among millions without reading them. A
    field of the record itself is compared directly. A related record's field
    (``recipient__name``) is first looked up in its own table, where its index finds the few
    records that match, and the list is filtered by their ids — a join would make the database
    read the list in its order and test each row's person, the whole table for a rare name.
    When more than :data:`RELATED_MATCH_LIMIT` records match (a common surname), the join is
    kept: the matches are then dense and a page of them is found quickly in the list's order.
    On SQLite the same queries run without the index."""
    parts = field.split("__")
    related = _forward_relations(model, parts[:-1]) if len(parts) > 1 else None
    if related is None:
        return Q(**{f"{field}__icontains": value})
    matching = related._default_manager.filter(**{f"{parts[-1]}__icontains": value})
    ids = list(matching.values_list("pk", flat=True)[: RELATED_MATCH_LIMIT + 1])
    if len(ids) > RELATED_MATCH_LIMIT:
        return Q(**{f"{field}__icontains": value})
    return Q(**{f"{'__'.join(parts[:-1])}__in": ids})


# A filter choosing among more records than this is a picker searched through /choices/ (the
# list page would otherwise draw every station or project of the city in each filter form:
# 1,700 options and 80 KB of a service list's 124 KB, most of its rendering time; issue 10).
PICKER_OPTIONS_MAX = 50


def _long_list(field: forms.ModelChoiceField) -> bool:
    """Whether ``field`` offers more than :data:`PICKER_OPTIONS_MAX` records of a model whose
    list the pickers can search (by its primary key, or a unique field)."""
    from swstation.core.views.registry import _REGISTRY  # the pages registered (no app named)

    queryset = field.queryset
    if isinstance(field, forms.ModelMultipleChoiceField) or queryset is None:
        return False
    model = queryset.model
    meta = model._meta
    if not any(
        pages.model_name == meta.model_name and "list" in pages.actions
        for pages in _REGISTRY.get(meta.app_label, [])
    ):
        return False
    if field.to_field_name and not getattr(meta.get_field(field.to_field_name), "unique", False):
        return False
    return bool(queryset[PICKER_OPTIONS_MAX : PICKER_OPTIONS_MAX + 1].exists())


def _values(data: Any, key: str) -> list[Any]:
    return list(data.getlist(key)) if hasattr(data, "getlist") else [data.get(key)]


def _choice_labels(field: forms.Field) -> dict[str, str]:
    labels: dict[str, str] = {}
    for value, label in getattr(field, "choices", ()):
        if isinstance(label, list | tuple):  # a group
            labels.update({str(v): str(text) for v, text in label})
        else:
            labels[str(value)] = str(label)
    return labels


def _value_text(field: forms.Field, raw: list[Any], value: Any, user: Any) -> str:
    """A filter's value as a person reads it: a record by its name, a choice by its label."""
    if isinstance(field.widget, widgets.SearchSelect):
        names = field.widget.source.labels(raw, user)
        return "、".join(names.get(str(v), str(v)) for v in raw)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(field, forms.NullBooleanField):
        return str(_("Yes") if value else _("No")) if value is not None else ""
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        labels = _choice_labels(field)
        return "、".join(labels.get(str(v), str(v)) for v in raw)
    if isinstance(value, QuerySet):
        return "、".join(str(obj) for obj in value)
    if isinstance(value, slice):
        return " – ".join(str(v) if v else "…" for v in (value.start, value.stop))
    return " – ".join(str(v) for v in raw)


def _model_at(model: Any, parts: list[str]) -> Any:
    """The model a chain of relations leads to from ``model`` (None if it leads nowhere)."""
    for part in parts:
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        if not field.is_relation or field.related_model is None:
            return None
        model = field.related_model
    return model


# --- core's own model: the synonyms imports accept ----------------------------------------


def _vocabulary_choices() -> list[tuple[str, str]]:
    from swstation.core.imports.vocabularies import vocabulary_choices

    return vocabulary_choices()


class ImportSynonymFilterSet(BaseFilterSet):
    search_fields = ("text", "means", "note")

    vocabulary = django_filters.ChoiceFilter(choices=_vocabulary_choices, label=_("list"))

    class Meta:
        model = ImportSynonym
        fields = ["q", "vocabulary"]
