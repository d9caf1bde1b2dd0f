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
from datetime import date, datetime
from functools import reduce
from operator import or_
from typing import Any, ClassVar

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

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


class BaseFilterSet(django_filters.FilterSet):
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

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        if not value or not self.search_fields:
            return queryset
        return queryset.filter(
            reduce(or_, (Q(**{f"{field}__icontains": value}) for field in self.search_fields))
        )


# --- core's own model: the synonyms imports accept ----------------------------------------


class ImportSynonymFilterSet(BaseFilterSet):
    search_fields = ("text", "means", "note")

    vocabulary = django_filters.CharFilter(label=_("list"))

    class Meta:
        model = ImportSynonym
        fields = ["q", "vocabulary"]
