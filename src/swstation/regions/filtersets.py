import django_filters
from django.utils.translation import gettext_lazy as _

from swstation.core.filtersets import BaseFilterSet
from swstation.regions.models import Population, PopulationStatus, Region, RegionLevel


class RegionFilterSet(BaseFilterSet):
    search_fields = ("name", "code")

    level = django_filters.ChoiceFilter(choices=RegionLevel.choices, label=_("level"))
    parent_code = django_filters.CharFilter(field_name="parent__code", label=_("parent code"))
    code_prefix = django_filters.CharFilter(
        field_name="code", lookup_expr="startswith", label=_("code starts with")
    )
    is_development_zone = django_filters.BooleanFilter(label=_("development zone"))

    class Meta:
        model = Region
        fields = ["q", "level", "parent_code", "code_prefix", "is_development_zone", "code"]


class PopulationFilterSet(BaseFilterSet):
    search_fields = ("region__name", "region__code")

    region_code = django_filters.CharFilter(field_name="region__code", label=_("region code"))
    year = django_filters.NumberFilter(label=_("year"))
    status = django_filters.ChoiceFilter(choices=PopulationStatus.choices, label=_("source"))

    class Meta:
        model = Population
        fields = ["q", "region_code", "year", "status"]
