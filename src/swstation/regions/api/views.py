from swstation.core.api.viewsets import ScopedModelViewSet
from swstation.regions.api.serializers import PopulationSerializer, RegionSerializer
from swstation.regions.filtersets import PopulationFilterSet, RegionFilterSet
from swstation.regions.models import Population, Region


class RegionViewSet(ScopedModelViewSet):
    """Regions of the division tree inside the caller's jurisdiction."""

    model = Region
    serializer_class = RegionSerializer
    filterset_class = RegionFilterSet
    select_related = ("parent",)
    ordering_fields = ["code", "name", "level"]


class PopulationViewSet(ScopedModelViewSet):
    """Resident population by region and year (editable by the city bureau)."""

    model = Population
    serializer_class = PopulationSerializer
    filterset_class = PopulationFilterSet
    select_related = ("region",)
    ordering_fields = ["year", "population"]
