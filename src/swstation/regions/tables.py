import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from swstation.core.tables import BaseTable
from swstation.regions.models import Population, Region


class RegionTable(BaseTable):
    name = tables.Column(linkify=True)
    parent = tables.Column(linkify=False)
    children_count = tables.Column(verbose_name=_("subdivisions"), orderable=True)
    is_development_zone = tables.BooleanColumn()

    class Meta(BaseTable.Meta):
        model = Region
        fields = ("code", "name", "level", "parent", "is_development_zone", "children_count")


class PopulationTable(BaseTable):
    region = tables.Column(linkify=True)
    year = tables.Column(linkify=lambda record: record.get_absolute_url())

    class Meta(BaseTable.Meta):
        model = Population
        fields = ("region", "year", "population", "status", "note")
