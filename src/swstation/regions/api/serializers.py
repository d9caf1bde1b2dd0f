from rest_framework import serializers

from swstation.core.api.viewsets import ScopedSerializerMixin
from swstation.regions.models import Population, Region


class RegionSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:region-detail")
    parent_code = serializers.SlugRelatedField(
        source="parent",
        slug_field="code",
        queryset=Region.objects.all(),
        allow_null=True,
        required=False,
    )

    class Meta:
        model = Region
        fields = ["id", "url", "code", "name", "level", "parent_code", "is_development_zone"]


class PopulationSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:population-detail")
    region_code = serializers.SlugRelatedField(
        source="region", slug_field="code", queryset=Region.objects.all()
    )

    class Meta:
        model = Population
        fields = ["id", "url", "region_code", "year", "population", "status", "note"]
