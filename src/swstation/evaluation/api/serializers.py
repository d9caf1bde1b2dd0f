"""Serializers of the indicator sets API: a version (its tree nested on the detail), its
dimensions and indicators. Points are decimal strings ("8.00")."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from swstation.core.api.viewsets import ScopedSerializerMixin
from swstation.evaluation.models import Dimension, Indicator, IndicatorSet

INDICATOR_FIELDS = [
    "id",
    "url",
    "dimension",
    "code",
    "order",
    "name",
    "points",
    "rule_type",
    "rule_params",
    "evidence",
    "source",
    "note",
]


class IndicatorSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:indicator-detail")
    dimension = serializers.PrimaryKeyRelatedField(
        queryset=Dimension.objects.all(), help_text=_("The dimension (first-level indicator).")
    )
    rule_params = serializers.JSONField(
        required=False,
        help_text=_(
            "The rule's targets or thresholds: ratio {target, floor, prorate, target_mode, unit, "
            "on_empty}; band {bands: [{min, max, max_included, points}], unit}; each {per_item, "
            "items}; yes_no {condition}; manual {}."
        ),
    )

    class Meta:
        model = Indicator
        fields = INDICATOR_FIELDS


class DimensionSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:dimension-detail")
    indicator_set = serializers.PrimaryKeyRelatedField(queryset=IndicatorSet.objects.all())

    class Meta:
        model = Dimension
        fields = ["id", "url", "indicator_set", "code", "order", "name", "points"]


class NestedIndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = [name for name in INDICATOR_FIELDS if name not in ("url", "dimension")]
        read_only_fields = fields


class NestedDimensionSerializer(serializers.ModelSerializer):
    indicators = NestedIndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = Dimension
        fields = ["id", "code", "order", "name", "points", "indicators"]
        read_only_fields = fields


class IndicatorSetSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:indicatorset-detail")

    class Meta:
        model = IndicatorSet
        fields = [
            "id",
            "url",
            "name",
            "version",
            "status",
            "total_points",
            "published_on",
            "copied_from",
            "note",
        ]
        read_only_fields = ["version", "status", "total_points", "published_on", "copied_from"]


class IndicatorSetDetailSerializer(IndicatorSetSerializer):
    """A version with its tree: dimensions in order, each with its indicators."""

    dimensions = NestedDimensionSerializer(many=True, read_only=True)

    class Meta(IndicatorSetSerializer.Meta):
        fields = [*IndicatorSetSerializer.Meta.fields, "dimensions"]


class IndicatorSetCopySerializer(serializers.Serializer):
    name = serializers.CharField(
        required=False,
        max_length=100,
        help_text=_("The name of a new standard; empty: the next version of the same one."),
    )
