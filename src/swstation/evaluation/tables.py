"""Tables of the indicator set, dimension and indicator lists (and their exports)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from swstation.core.tables import BaseTable, NumberColumn
from swstation.evaluation.models import Dimension, Indicator, IndicatorSet


class IndicatorSetTable(BaseTable):
    name = tables.Column(linkify=True)
    version = tables.Column(linkify=lambda record: record.get_absolute_url())
    total_points = NumberColumn()
    dimension_count = tables.Column(verbose_name=_("number of dimensions"), orderable=False)
    indicator_count = tables.Column(verbose_name=_("number of indicators"), orderable=False)

    class Meta(BaseTable.Meta):
        model = IndicatorSet
        fields = (
            "name",
            "version",
            "status",
            "total_points",
            "dimension_count",
            "indicator_count",
            "published_on",
        )


class DimensionTable(BaseTable):
    name = tables.Column(linkify=True)
    indicator_set = tables.Column(linkify=True)
    points = NumberColumn()
    indicator_count = tables.Column(verbose_name=_("number of indicators"), orderable=False)

    class Meta(BaseTable.Meta):
        model = Dimension
        fields = ("name", "code", "indicator_set", "order", "points", "indicator_count")
        sequence = ("name", "code", "indicator_set", "order", "points", "indicator_count")


class IndicatorTable(BaseTable):
    name = tables.Column(linkify=True)
    code = tables.Column()
    dimension = tables.Column(linkify=True)
    indicator_set = tables.Column(
        accessor="dimension__indicator_set",
        verbose_name=_("indicator set"),
        linkify=True,
        order_by=("dimension__indicator_set__name", "dimension__indicator_set__version"),
    )
    points = NumberColumn()

    class Meta(BaseTable.Meta):
        model = Indicator
        fields = ("name", "code", "dimension", "indicator_set", "points", "rule_type", "source")
        sequence = ("name", "code", "dimension", "indicator_set", "points", "rule_type", "source")
