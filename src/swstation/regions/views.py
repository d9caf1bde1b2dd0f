from typing import Any

from swstation.core import views as generic
from swstation.core.views.registry import model_pages
from swstation.regions import filtersets, forms, selectors, tables
from swstation.regions.models import Population, Region

region_pages = model_pages(
    Region,
    prefix="",
    queryset=selectors.region_list,
    filterset=filtersets.RegionFilterSet,
    table=tables.RegionTable,
    form=forms.RegionForm,
)


@region_pages.register("detail")
class RegionDetailView(generic.ObjectDetailView):
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


population_pages = model_pages(
    Population,
    prefix="population/",
    queryset=selectors.population_list,
    filterset=filtersets.PopulationFilterSet,
    table=tables.PopulationTable,
    form=forms.PopulationForm,
    template="regions/population.html",
)
