from typing import Any

from django.db.models import QuerySet

from swstation.core import views as generic
from swstation.regions import filtersets, forms, selectors, tables
from swstation.regions.models import Population, Region


class RegionMixin:
    model = Region
    request: Any

    def scoped_queryset(self) -> QuerySet[Region]:
        return selectors.region_list(actor=self.request.user)


class RegionListView(RegionMixin, generic.ObjectListView):
    filterset_class = filtersets.RegionFilterSet
    table_class = tables.RegionTable


class RegionDetailView(RegionMixin, generic.ObjectDetailView):
    template_name = "regions/region.html"

    def get_extra_context(self, obj: Region) -> dict[str, Any]:
        user = self.request.user
        children = tables.RegionTable(
            selectors.region_children(actor=user, region=obj),
            user=user,
            exclude=("parent",),
            orderable=False,
        )
        children.paginate(page=self.request.GET.get("page", 1), per_page=100)
        return {
            "ancestors": selectors.region_ancestors(actor=user, region=obj),
            "children_table": children,
            "populations": selectors.region_population_by_year(actor=user, region=obj),
        }


class RegionEditView(RegionMixin, generic.ObjectEditView):
    form_class = forms.RegionForm


class RegionDeleteView(RegionMixin, generic.ObjectDeleteView):
    pass


class RegionHistoryView(RegionMixin, generic.ObjectHistoryView):
    pass


class PopulationMixin:
    model = Population
    request: Any

    def scoped_queryset(self) -> QuerySet[Population]:
        return selectors.population_list(actor=self.request.user)


class PopulationListView(PopulationMixin, generic.ObjectListView):
    filterset_class = filtersets.PopulationFilterSet
    table_class = tables.PopulationTable


class PopulationDetailView(PopulationMixin, generic.ObjectDetailView):
    template_name = "regions/population.html"


class PopulationEditView(PopulationMixin, generic.ObjectEditView):
    form_class = forms.PopulationForm


class PopulationDeleteView(PopulationMixin, generic.ObjectDeleteView):
    pass


class PopulationHistoryView(PopulationMixin, generic.ObjectHistoryView):
    pass
